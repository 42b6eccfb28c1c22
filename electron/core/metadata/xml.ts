/**
 * Reading and writing XML for the metadata formats.
 *
 * Reading: bytes are decoded by their BOM or XML declaration (the EML samples include UTF-16LE
 * and a UTF-8 BOM), checked for well-formedness and parsed by fast-xml-parser, then turned into a
 * small tree whose elements carry their resolved namespace URI. Formats match elements by
 * (namespace, local name), never by prefix: the INPN writes `ca:` and `jdd:` for the same
 * namespace, and CSW responses re-prefix ISO records.
 *
 * Writing: xmlbuilder2 builds the document with declared namespaces and escapes text; output is
 * pretty-printed with fixed settings, so the same tree always gives the same bytes.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';
import { AppError } from '../errors.js';

/** A node of a document being built (xmlbuilder2's builder). */
export type XMLBuilder = ReturnType<typeof create>;

/** The namespaces the formats use. */
export const NS = {
  xml: 'http://www.w3.org/XML/1998/namespace',
  xmlns: 'http://www.w3.org/2000/xmlns/',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xlink: 'http://www.w3.org/1999/xlink',
  gml: 'http://www.opengis.net/gml/3.2',
  mtd: 'http://inpn.mnhn.fr/mtd',
  gmd: 'http://www.isotc211.org/2005/gmd',
  gco: 'http://www.isotc211.org/2005/gco',
  gmi: 'http://www.isotc211.org/2005/gmi',
  eml220: 'https://eml.ecoinformatics.org/eml-2.2.0',
} as const;

/** An attribute with its resolved namespace (null when unprefixed). */
export interface XmlAttribute {
  readonly ns: string | null;
  readonly name: string;
  readonly value: string;
}

/** An element: resolved namespace, local name, attributes, and children (elements and texts). */
export interface XmlElement {
  readonly ns: string | null;
  readonly name: string;
  readonly prefix: string | null;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly (XmlElement | string)[];
}

/** How a file's bytes were decoded. */
export interface DecodedXml {
  readonly text: string;
  readonly encoding: string;
}

/**
 * Decodes an XML file: BOM first (UTF-8, UTF-16LE/BE), then UTF-16 without BOM (`<\0?\0`), then
 * the declaration's `encoding`, UTF-8 by default. Invalid UTF-8 without a declaration falls back
 * to windows-1252, the other encoding French files come in.
 */
export function decodeXml(input: Uint8Array | string): DecodedXml {
  if (typeof input === 'string') return { text: input.replace(/^\uFEFF/, ''), encoding: 'utf-16' };
  const b = input;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(b.subarray(3)), encoding: 'utf-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'utf-16be' };
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return { text: new TextDecoder('utf-16le').decode(b), encoding: 'utf-16le' };
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return { text: new TextDecoder('utf-16be').decode(b), encoding: 'utf-16be' };
  const head = new TextDecoder('latin1').decode(b.subarray(0, 200));
  const declared = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared && !/^utf-?8$/.test(declared)) {
    try {
      return { text: new TextDecoder(declared).decode(b), encoding: declared };
    } catch {
      // an encoding TextDecoder does not know: try UTF-8 below
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(b), encoding: 'windows-1252' };
  }
}

type RawNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function toElement(raw: RawNode, scope: ReadonlyMap<string, string>): XmlElement | null {
  const tag = Object.keys(raw).find((k) => k !== ':@');
  if (!tag || tag === '#text' || tag.startsWith('?') || tag.startsWith('!')) return null;
  const attrsRaw = (raw[':@'] ?? {}) as Record<string, unknown>;
  let local = scope;
  for (const [k, v] of Object.entries(attrsRaw)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (local === scope) local = new Map(scope);
      (local as Map<string, string>).set(k === 'xmlns' ? '' : k.slice(6), String(v));
    }
  }
  const split = (q: string): [string | null, string] => {
    const i = q.indexOf(':');
    return i < 0 ? [null, q] : [q.slice(0, i), q.slice(i + 1)];
  };
  const [prefix, name] = split(tag);
  const attributes: XmlAttribute[] = [];
  for (const [k, v] of Object.entries(attrsRaw)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    const [p, n] = split(k);
    attributes.push({ ns: p === null ? null : (local.get(p) ?? null), name: n, value: String(v) });
  }
  const children: (XmlElement | string)[] = [];
  for (const c of (raw[tag] ?? []) as RawNode[]) {
    if ('#text' in c) children.push(String(c['#text']));
    else {
      const e = toElement(c, local);
      if (e) children.push(e);
    }
  }
  return { ns: local.get(prefix ?? '') ?? null, name, prefix, attributes, children };
}

/**
 * Parses XML text into a namespace-resolved tree and returns its root element.
 *
 * @throws AppError INVALID_INPUT (`metadata.errors.notXml`) when the text is not well-formed.
 */
export function parseXml(text: string, where?: string): XmlElement {
  const check = XMLValidator.validate(text);
  if (check !== true) {
    const { msg, line } = check.err;
    throw new AppError('INVALID_INPUT', `Not well-formed XML${where ? ` (${where})` : ''}: ${msg} (line ${line})`, {
      key: 'metadata.errors.notXml',
      params: { reason: msg, line },
      ...(where ? { where } : {}),
    });
  }
  const nodes = parser.parse(text) as RawNode[];
  const scope = new Map<string, string>([['xml', NS.xml]]);
  for (const n of nodes) {
    const e = toElement(n, scope);
    if (e) return e;
  }
  throw new AppError('INVALID_INPUT', `No root element${where ? ` (${where})` : ''}`, { key: 'metadata.errors.notXml', params: { reason: 'no root element', line: 1 } });
}

/** Decodes and parses in one step. */
export function readXml(input: Uint8Array | string, where?: string): { root: XmlElement; encoding: string } {
  const { text, encoding } = decodeXml(input);
  return { root: parseXml(text, where), encoding };
}

/** The qualified name of an element as written, for messages. */
export const qname = (e: XmlElement): string => (e.prefix ? `${e.prefix}:${e.name}` : e.name);

const matches = (e: XmlElement, name: string, ns: string | null | undefined): boolean => e.name === name && (ns === undefined || e.ns === ns);

/** Child elements named `name` (in `ns` when given; any namespace when undefined). */
export function children(e: XmlElement, name?: string, ns?: string | null): XmlElement[] {
  return e.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || matches(c, name, ns)));
}

/** The first child element named `name`, or undefined. */
export function child(e: XmlElement | undefined, name: string, ns?: string | null): XmlElement | undefined {
  if (!e) return undefined;
  return e.children.find((c): c is XmlElement => typeof c !== 'string' && matches(c, name, ns));
}

/** Follows a path of child names in one namespace: `path(md, NS.gmd, 'identificationInfo', '*', 'citation')`; `*` is any child. */
export function path(e: XmlElement | undefined, ns: string | null | undefined, ...names: string[]): XmlElement | undefined {
  let cur = e;
  for (const n of names) {
    if (!cur) return undefined;
    cur = n === '*' ? children(cur)[0] : child(cur, n, ns);
  }
  return cur;
}

/** Every element named `name` below `e` (document order, `e` excluded). */
export function descendants(e: XmlElement, name: string, ns?: string | null): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (x: XmlElement) => {
    for (const c of x.children) {
      if (typeof c === 'string') continue;
      if (matches(c, name, ns)) out.push(c);
      walk(c);
    }
  };
  walk(e);
  return out;
}

/** All the text below `e`, concatenated. */
export function textContent(e: XmlElement | undefined): string {
  if (!e) return '';
  return e.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}

/** The trimmed text of `e`, or null when `e` is missing or holds only whitespace. */
export function text(e: XmlElement | undefined): string | null {
  const t = normalizeNewlines(textContent(e)).trim();
  return t === '' ? null : t;
}

/** The value of attribute `name` (in `ns` when given), or null. */
export function attr(e: XmlElement | undefined, name: string, ns?: string | null): string | null {
  return e?.attributes.find((a) => a.name === name && (ns === undefined || a.ns === ns))?.value ?? null;
}

/**
 * Text as it can be written: characters XML 1.0 cannot carry (C0 controls but tab and LF,
 * U+FFFE/FFFF, lone surrogates) removed, as a description pasted from a PDF may hold them, and
 * newlines as LF.
 */
export function xmlSafe(s: string): string {
  return normalizeNewlines(s).replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

/** CR LF and lone CR as LF, as an XML parser reads them: a text then survives a write and a read unchanged. */
export function normalizeNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/** A new document whose root is `qualifiedName` in `ns`, with the namespace declarations given (prefix → URI). */
export function newDocument(ns: string, qualifiedName: string, declarations: Readonly<Record<string, string>>): XMLBuilder {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const root = doc.ele(ns, qualifiedName);
  for (const [prefix, uri] of Object.entries(declarations)) root.att(NS.xmlns, prefix === '' ? 'xmlns' : `xmlns:${prefix}`, uri);
  return root;
}

/** Serialises a document built with {@link newDocument}: UTF-8 declaration, two-space indent, LF, final newline. */
export function serialize(node: XMLBuilder): string {
  return `${node.doc().end({ prettyPrint: true, indent: '  ', newline: '\n', headless: false })}\n`;
}
