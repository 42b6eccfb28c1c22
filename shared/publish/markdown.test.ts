import { describe, expect, it } from 'vitest';
import { escapeHtml, inline, markdownToHtml, safeHref } from './markdown.js';

describe('README Markdown to HTML', () => {
  it('renders headings (shifted), paragraphs, bold, code, lists and pipe tables', () => {
    const html = markdownToHtml('# Titre\n\n## Français\n\n**Quoi.** Des `observations`\nsur deux lignes.\n\n- un\n- deux\n\n| file | bytes |\n| --- | ---: |\n| data/a.csv | 12 |\n', { headingOffset: 1 });
    expect(html).toBe(
      [
        '<h2>Titre</h2>',
        '<h3>Français</h3>',
        '<p><strong>Quoi.</strong> Des <code>observations</code> sur deux lignes.</p>',
        '<ul><li>un</li><li>deux</li></ul>',
        '<table><thead><tr><th>file</th><th style="text-align:right">bytes</th></tr></thead><tbody><tr><td>data/a.csv</td><td style="text-align:right">12</td></tr></tbody></table>',
      ].join('\n'),
    );
  });

  it('escapes everything: a JDD description cannot become markup or script', () => {
    const html = markdownToHtml('<script>alert(1)</script> & <img src=x onerror=alert(1)> `<b>` [x](javascript:alert(1)) "quoted"');
    expect(html).not.toMatch(/<script|<img|<b>|javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img');
    expect(html).toContain('<code>&lt;b&gt;</code>');
    expect(html).toContain('&quot;quoted&quot;');
  });

  it('links: http(s) and relative only; bare URLs linked; an underscore in a URL is not emphasis', () => {
    expect(safeHref('https://x.fr/a')).toBe('https://x.fr/a');
    expect(safeHref('LICENCE.md')).toBe('LICENCE.md');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(inline('voir [la licence](LICENCE.md) et https://www.etalab.gouv.fr/licence_ouverte_v2/.')).toBe(
      'voir <a href="LICENCE.md">la licence</a> et <a href="https://www.etalab.gouv.fr/licence_ouverte_v2/">https://www.etalab.gouv.fr/licence_ouverte_v2/</a>.',
    );
    expect(inline('_emphase_ et *aussi*')).toBe('<em>emphase</em> et <em>aussi</em>');
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});
