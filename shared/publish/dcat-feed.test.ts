import { describe, expect, it } from 'vitest';
import { feedDataset, mergeFeed, resolveUrl } from './dcat-feed.js';

const dcat = (version: string) => ({
  '@context': { dcat: 'http://www.w3.org/ns/dcat#' },
  '@id': 'urn:uuid:jdd-1',
  '@type': 'dcat:Dataset',
  'dct:title': { '@value': `Synthèse ${version}` },
  'dcat:distribution': [{ '@type': 'dcat:Distribution', 'dcat:accessURL': { '@id': 'data/observations.csv' }, 'dcat:downloadURL': { '@id': 'data/observations.csv' } }],
});
const catalog = { id: 'https://parc.fr/catalog.jsonld', title: 'Données du parc', publisher: 'PNE', homepage: null, modified: '2026-12-01' };

describe('the DCAT feed', () => {
  it('a dataset: download URLs absolute where the park serves the bundle, with size and SHA-256, landing pages', () => {
    const d = feedDataset({ dcat: dcat('1'), hostedAt: 'https://parc.fr/lots/a/', version: '1.0.0', landingPage: true, checksums: new Map([['data/observations.csv', { sha256: 'abc', bytes: 12 }]]), portalPages: ['https://www.data.gouv.fr/fr/datasets/x/'] });
    const dist = (d['dcat:distribution'] as Record<string, unknown>[])[0];
    expect(dist).toMatchObject({ 'dcat:downloadURL': { '@id': 'https://parc.fr/lots/a/data/observations.csv' }, 'dcat:byteSize': { '@value': '12' }, 'spdx:checksum': { 'spdx:checksumValue': 'abc' } });
    expect(d['dcat:landingPage']).toEqual([{ '@id': 'https://parc.fr/lots/a/index.html' }, { '@id': 'https://www.data.gouv.fr/fr/datasets/x/' }]);
    expect('@context' in d).toBe(false);
    expect(resolveUrl('https://p.fr/x', 'urn:uuid:1')).toBe('urn:uuid:1');
  });

  it('a new version replaces its dataset in the feed; other datasets stay', () => {
    const one = feedDataset({ dcat: dcat('1'), hostedAt: 'https://parc.fr/a/', version: '1.0.0', landingPage: false, checksums: new Map(), portalPages: [] });
    const other = { ...one, '@id': 'urn:uuid:jdd-2' };
    let feed = mergeFeed(null, one, catalog);
    feed = mergeFeed(feed, other, catalog);
    const two = feedDataset({ dcat: dcat('2'), hostedAt: 'https://parc.fr/a/', version: '1.1.0', landingPage: false, checksums: new Map(), portalPages: [] });
    feed = mergeFeed(feed, two, catalog);
    const graph = feed['@graph'] as Record<string, unknown>[];
    expect(graph.map((n) => [n['@type'], n['@id']])).toEqual([
      ['dcat:Catalog', 'https://parc.fr/catalog.jsonld'],
      ['dcat:Dataset', 'urn:uuid:jdd-1'],
      ['dcat:Dataset', 'urn:uuid:jdd-2'],
    ]);
    expect(graph[1]?.['adms:version']).toBe('1.1.0');
    expect(graph[0]?.['dcat:dataset']).toEqual([{ '@id': 'urn:uuid:jdd-1' }, { '@id': 'urn:uuid:jdd-2' }]);
  });
});
