import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.js';
import { NS, attr, child, children, decodeXml, descendants, parseXml, text, xmlSafe } from './xml.js';

const enc = (s: string, encoding: 'utf-16le' | 'latin1') => Uint8Array.from(Buffer.from(s, encoding));

describe('decodeXml', () => {
  const doc = '<?xml version="1.0" encoding="ENC"?><a>Écrins</a>';
  it.each([
    ['UTF-8 with BOM', Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from(doc.replace('ENC', 'UTF-8'))]), 'utf-8'],
    ['UTF-16LE with BOM', Uint8Array.from([0xff, 0xfe, ...enc(doc.replace('ENC', 'UTF-16'), 'utf-16le')]), 'utf-16le'],
    ['UTF-16BE with BOM', Uint8Array.from([0xfe, 0xff, ...Buffer.from(doc.replace('ENC', 'UTF-16'), 'utf16le').swap16()]), 'utf-16be'],
    ['UTF-16LE without BOM', enc(doc.replace('ENC', 'UTF-16'), 'utf-16le'), 'utf-16le'],
    ['declared ISO-8859-1', enc(doc.replace('ENC', 'ISO-8859-1'), 'latin1'), 'iso-8859-1'],
    ['undeclared Windows-1252 bytes', enc('<a>Écrins</a>', 'latin1'), 'windows-1252'],
    ['plain UTF-8', Uint8Array.from(Buffer.from(doc.replace('ENC', 'utf-8'))), 'utf-8'],
  ])('%s', (_name, bytes, encoding) => {
    const decoded = decodeXml(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(text(parseXml(decoded.text))).toBe('Écrins');
  });
});

describe('parseXml', () => {
  it('resolves namespaces, whatever the prefix', () => {
    const root = parseXml(
      '<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:ca="http://inpn.mnhn.fr/mtd" xmlns:x="http://inpn.mnhn.fr/mtd"><gml:featureMember><ca:CadreAcquisition gml:id="A"/><x:JeuDeDonnees/></gml:featureMember></gml:FeatureCollection>',
    );
    expect(root.ns).toBe(NS.gml);
    expect(descendants(root, 'CadreAcquisition', NS.mtd)).toHaveLength(1);
    expect(descendants(root, 'JeuDeDonnees', NS.mtd)).toHaveLength(1);
    expect(attr(descendants(root, 'CadreAcquisition', NS.mtd)[0], 'id', NS.gml)).toBe('A');
    expect(children(root, 'featureMember', NS.mtd)).toHaveLength(0);
  });

  it('decodes entities, character references and CDATA, and keeps newlines as LF', () => {
    const root = parseXml('<a>1 &amp; 2 &#233; &#x1F600;<![CDATA[<b>]]>&#13;\nfin</a>');
    expect(text(root)).toBe('1 & 2 é 😀<b>\nfin');
    expect(child(parseXml('<a xmlns="u"><b>x</b></a>'), 'b', 'u')).toBeDefined();
  });

  it.each([
    ['a tag left open', '<a><b></a>'],
    ['text outside any element', 'hello'],
    ['an empty file', ''],
  ])('refuses %s with a located message', (_name, input) => {
    try {
      parseXml(input, 'f.xml');
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
      expect((e as { key: string }).key).toBe('metadata.errors.notXml');
      expect((e as Error).message).toMatch(/f\.xml/);
    }
  });
});

describe('xmlSafe', () => {
  it('drops characters XML cannot carry and writes newlines as LF', () => {
    expect(xmlSafe('a\u0000b\u0007c\tb\r\nc\rd\uD800e\uFFFE')).toBe('abc\tb\nc\nde');
    expect(xmlSafe('😀 é')).toBe('😀 é');
  });
});
