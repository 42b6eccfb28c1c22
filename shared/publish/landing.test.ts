import { describe, expect, it } from 'vitest';
import { landingHtml, landingJsonLd, schemaOrgProblems, scriptJson, type LandingFacts } from './landing.js';

const facts: LandingFacts = {
  bundleId: 'b1',
  title: 'Synthèse </script><script>alert(1)</script>',
  summary: 'Observations naturalistes du Parc national des Écrins, lot données ouvertes.',
  version: '1.0.0',
  asOf: '2026-11-29T09:46:15.356Z',
  language: 'fr',
  licence: { id: 'etalab-2.0', title: 'Licence Ouverte 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
  schemaOrg: { '@context': 'https://schema.org/', '@type': 'Dataset', name: 'Synthèse', description: 'Court.', temporalCoverage: '2000-01-10/2017-10-02' },
  keywords: ['SINP'],
  temporal: null,
  bbox: { west: 5.4, south: 44.1, east: 7.1, north: 45.2 },
  publisher: { name: 'Parc national des Écrins', url: 'https://www.ecrins-parcnational.fr' },
  readme: '# T\n\n**Quoi.** <b>x</b>',
  files: [
    { path: 'data/observations.csv', bytes: 10, sha256: 'a', mediaType: 'text/csv', title: 'Observations (CSV)', data: true },
    { path: 'LICENCE.md', bytes: 5, sha256: 'b', mediaType: 'text/markdown', title: 'Licence', data: false },
  ],
  hostedAt: 'https://parc.fr/lots/a',
  image: { path: 'preview.png', width: 800, height: 600 },
};

describe('the landing page', () => {
  it('JSON-LD: the bundle’s schema.org record completed (description made long enough, absolute URLs, data downloads only)', () => {
    const j = landingJsonLd(facts);
    expect(schemaOrgProblems(j)).toEqual([]);
    expect(j).toMatchObject({ name: 'Synthèse', url: 'https://parc.fr/lots/a/index.html', image: 'https://parc.fr/lots/a/preview.png', temporalCoverage: '2000-01-10/2017-10-02', version: '1.0.0' });
    expect((j.description as string).startsWith('Court. Observations naturalistes')).toBe(true);
    expect(j.distribution).toEqual([{ '@type': 'DataDownload', name: 'Observations (CSV)', contentUrl: 'https://parc.fr/lots/a/data/observations.csv', encodingFormat: 'text/csv', contentSize: '10 B' }]);
    expect(j.spatialCoverage).toEqual({ '@type': 'Place', geo: { '@type': 'GeoShape', box: '44.1 5.4 45.2 7.1' } });
  });

  it('schemaOrgProblems says what Google Dataset Search would miss', () => {
    expect(schemaOrgProblems({ '@context': 'https://schema.org/', '@type': 'Dataset', name: 'x', description: 'too short', license: 'lov2', distribution: [] })).toEqual([
      'description has 9 characters (50–5000)',
      'license is not a URL',
      'no distribution',
    ]);
  });

  it('the page: no way out of the JSON-LD script, every text escaped, a content security policy', () => {
    const html = landingHtml(facts, landingJsonLd(facts));
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script type="application/ld+json">');
    expect(html).not.toContain('</script><script>');
    expect(html).toContain('Synthèse &lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain("Content-Security-Policy");
    expect(html).toContain('<a href="data/observations.csv" download>');
    expect(scriptJson({ a: '</script>' })).not.toContain('</');
  });
});
