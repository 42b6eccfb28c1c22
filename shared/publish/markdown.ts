/**
 * The small part of Markdown a bundle's README uses, to HTML for the landing page: headings,
 * paragraphs, lists, pipe tables, `code`, **bold**, *emphasis*, links and bare URLs. Everything
 * else is text: every character is escaped first, so nothing in a README (a JDD description
 * typed by anyone) can become markup or script. Links go only to http(s) and relative URLs.
 * Pure.
 */

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A URL a link may point to: http(s), or relative without a scheme. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  if (/^https?:\/\//i.test(u)) return u;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u) || u.startsWith('//')) return null;
  return u;
}

/** Inline Markdown of one line of text (already split into blocks), escaped. */
export function inline(text: string): string {
  // Code spans first: their content is literal.
  const parts = text.split(/(`[^`]+`)/g);
  return parts
    .map((p) => {
      if (p.length > 1 && p.startsWith('`') && p.endsWith('`')) return `<code>${escapeHtml(p.slice(1, -1))}</code>`;
      let s = escapeHtml(p);
      s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (all, label: string, href: string) => {
        const h = safeHref(href.replace(/&amp;/g, '&'));
        return h ? `<a href="${escapeHtml(h)}">${label}</a>` : label;
      });
      s = s.replace(/(^|[\s(])(https?:\/\/[^\s<)]+[^\s<).,;:!?])/g, (_m, pre: string, url: string) => `${pre}<a href="${url}">${url}</a>`);
      // Emphasis outside links only (an underscore in a URL is not emphasis).
      return s
        .split(/(<a [^>]*>.*?<\/a>)/g)
        .map((seg) =>
          seg.startsWith('<a ')
            ? seg
            : seg
                .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
                .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
                .replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>'),
        )
        .join('');
    })
    .join('');
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** Markdown to HTML (the subset above). Heading levels are shifted by `headingOffset` (a page has its own h1). */
export function markdownToHtml(md: string, opts: { headingOffset?: number } = {}): string {
  const off = opts.headingOffset ?? 0;
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      flush();
      const level = Math.min(6, (h[1] as string).length + off);
      out.push(`<h${level}>${inline(h[2] as string)}</h${level}>`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const next = lines[i + 1] ?? '';
    if (line.trim().startsWith('|') && /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(next)) {
      flush();
      const head = cells(line);
      const align = cells(next).map((c) => (c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : null));
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && (lines[i] as string).trim().startsWith('|')) rows.push(cells(lines[i++] as string));
      i--;
      const td = (tag: 'th' | 'td', c: string, k: number) => `<${tag}${align[k] ? ` style="text-align:${align[k]}"` : ''}>${inline(c)}</${tag}>`;
      out.push(
        `<table><thead><tr>${head.map((c, k) => td('th', c, k)).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, k) => td('td', c, k)).join('')}</tr>`).join('')}</tbody></table>`,
      );
      continue;
    }
    const li = /^\s*([-*]|\d+[.)])\s+(.*)$/.exec(line);
    if (li) {
      flush();
      const ordered = /\d/.test(li[1] as string);
      const items: string[] = [];
      while (i < lines.length) {
        const m = /^\s*([-*]|\d+[.)])\s+(.*)$/.exec(lines[i] as string);
        if (!m) break;
        items.push(`<li>${inline(m[2] as string)}</li>`);
        i++;
      }
      i--;
      out.push(ordered ? `<ol>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`);
      continue;
    }
    para.push(line.trim());
  }
  flush();
  return out.join('\n');
}
