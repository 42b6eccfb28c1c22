import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import type { CleanSourceFormat, CsvDelimiter, FileIssue, ReadOptions, TextEncoding } from '../../../shared/contract/index.js';
import type { SimpleGeometry } from '../../../shared/cleanup/geometry.js';
import { mojibakeScore } from '../../../shared/cleanup/mojibake.js';
import { AppError } from '../errors.js';
import { gdal, gdalError, type Gdal } from '../gpkg/gdal.js';
import { linearize } from '../gpkg/geometry/linearize.js';
import { decodeWkb } from '../gpkg/geometry/wkb.js';
import { csvRecords, guessDelimiter, parseRecord, physicalLines, type LineEndings } from './csv.js';
import { fileIssue as issue } from '../../../shared/cleanup/messages.js';
import { decodeSample, detectEncoding, encodingCandidates, headBytes, readText, type DetectedEncoding } from './text.js';

/** One row of a source: its line (or feature number), its cells by column, its native geometry. */
export interface SourceRecord {
  readonly line: number;
  readonly cells: readonly (string | null)[];
  /** A native geometry in WGS 84 (GDAL sources), undefined for text sources. */
  readonly geometry?: SimpleGeometry | null;
  /** The raw text of the row (text sources), kept for rejected rows. */
  readonly raw: string | null;
  /** Why the row cannot be read as a row of this file (wrong field count, unclosed quote). */
  readonly broken: 'field-count' | 'unclosed-quote' | null;
}

/** A source opened for reading. */
export interface OpenedSource {
  readonly path: string;
  readonly format: CleanSourceFormat;
  readonly encoding: (DetectedEncoding & { candidates: ReturnType<typeof encodingCandidates> }) | null;
  readonly csv: { delimiter: CsvDelimiter; headerLine: number; lineEnding: 'lf' | 'crlf' | 'cr' | 'mixed' | 'none'; quoted: boolean } | null;
  readonly layers: readonly string[];
  readonly layer: string | null;
  readonly srs: string | null;
  readonly columns: readonly string[];
  readonly rows: number | null;
  readonly issues: FileIssue[];
  readonly nativeGeometry: boolean;
  /** Rows in batches, from the first data row. */
  records(): AsyncGenerator<SourceRecord[]>;
  close(): void;
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** The kind of a file, from its name and first bytes. */
export function sourceFormat(path: string): CleanSourceFormat {
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `No file at ${path}`, { key: 'errors.FILE_NOT_FOUND', params: { path }, where: path });
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'meta.xml'))) return 'dwca';
    if (readdirSync(path).some((f) => /\.shp$/i.test(f))) return 'shapefile';
    throw new AppError('UNSUPPORTED', `${path} is a folder without a Darwin Core meta.xml or a Shapefile`, { key: 'errors.CLEAN_UNKNOWN_FORMAT', params: { path }, where: path });
  }
  const ext = extname(path).toLowerCase();
  const head = headBytes(path, 100);
  if (head.toString('latin1', 0, 16) === SQLITE_MAGIC || ext === '.gpkg') return 'geopackage';
  if (ext === '.shp' || ext === '.dbf') return 'shapefile';
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (basename(path).toLowerCase() === 'meta.xml') return 'dwca';
  if (ext === '.zip') {
    const names = zipNames(path);
    if (names.some((n) => /(^|\/)meta\.xml$/i.test(n))) return 'dwca';
    if (names.some((n) => /\.shp$/i.test(n))) return 'shapefile';
    throw new AppError('UNSUPPORTED', `${path} is a zip without a Darwin Core meta.xml or a Shapefile`, { key: 'errors.CLEAN_UNKNOWN_FORMAT', params: { path }, where: path });
  }
  return 'csv';
}

function zipNames(path: string): string[] {
  try {
    return Object.keys(unzipSync(readFileSync(path), { filter: (f) => !f.name.startsWith('__MACOSX/') && (/meta\.xml$/i.test(f.name) || /\.shp$/i.test(f.name)) }));
  } catch (e) {
    throw new AppError('CORRUPT', `${path} is not a readable zip: ${e instanceof Error ? e.message : String(e)}`, { key: 'errors.CLEAN_BAD_ZIP', params: { path }, where: path, cause: e });
  }
}

/** Opens any supported source. */
export function openSource(path: string, read: ReadOptions = {}): OpenedSource {
  const format = sourceFormat(path);
  switch (format) {
    case 'csv':
      return openCsv(path, read, { format: 'csv' });
    case 'dwca':
      return openDwca(path, read);
    default:
      return openGdal(path, format, read);
  }
}

/** Column names made unique and non-empty (GeoNature refuses duplicate headers: Passerelle renames and reports). */
function uniqueColumns(raw: readonly string[], issues: FileIssue[]): string[] {
  const seen = new Map<string, number>();
  const dup: string[] = [];
  let empty = 0;
  const out = raw.map((c, i) => {
    let name = c.trim();
    if (name === '') {
      empty++;
      name = `column ${i + 1}`;
    }
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) {
      dup.push(name);
      return `${name} (${n})`;
    }
    return name;
  });
  if (dup.length) issues.push(issue('duplicate-columns', 'warning', { columns: [...new Set(dup)].join(', ') }));
  if (empty) issues.push(issue('empty-column-name', 'warning', { count: empty }));
  return out;
}

interface CsvOverrides {
  format: CleanSourceFormat;
  delimiter?: string;
  quote?: string | null;
  /** Column names given by a descriptor (Darwin Core meta.xml) rather than the header. */
  columns?: readonly string[];
  /** Lines to skip before the data (meta.xml's ignoreHeaderLines). */
  skipLines?: number;
  encoding?: TextEncoding;
  cleanup?: () => void;
}

function openCsv(path: string, read: ReadOptions, o: CsvOverrides): OpenedSource {
  const size = statSync(path).size;
  const issues: FileIssue[] = [];
  if (size === 0) {
    throw new AppError('INVALID_INPUT', `${path} is empty`, { key: 'errors.CLEAN_EMPTY_FILE', params: { path }, where: path });
  }
  const head = headBytes(path);
  const detected = detectEncoding(head, read.encoding ?? o.encoding);
  const candidates = encodingCandidates(head, detected);
  const text = decodeSample(head, detected.encoding);
  if (detected.how === 'guess' && !detected.encoding.startsWith('utf-16')) issues.push(issue('encoding-uncertain', 'info', { encoding: detected.encoding }));
  if (mojibakeScore(text) > 0.5) issues.push(issue('encoding-damage', 'warning', { encoding: detected.encoding }));
  const sampleLines = text.split(/\r\n|\n|\r/);
  // The sample's last line may be cut: drop it unless it is the whole file.
  if (head.length < size) sampleLines.pop();
  const endings = { lf: 0, crlf: 0, cr: 0 };
  for (const m of text.matchAll(/\r\n|\n|\r/g)) endings[m[0] === '\r\n' ? 'crlf' : m[0] === '\n' ? 'lf' : 'cr']++;
  const kinds = (['lf', 'crlf', 'cr'] as const).filter((k) => endings[k] > 0);
  const lineEnding = kinds.length === 0 ? 'none' : kinds.length > 1 ? 'mixed' : (kinds[0] as 'lf' | 'crlf' | 'cr');
  if (lineEnding === 'mixed') issues.push(issue('mixed-line-endings', 'info', {}));

  let headerLine: number;
  let columns: string[];
  const quote = o.quote === undefined ? '"' : o.quote;
  if (o.columns) {
    headerLine = o.skipLines ?? 0;
    columns = uniqueColumns(o.columns, issues);
  } else {
    const blank = sampleLines.findIndex((l) => l.trim() !== '');
    if (blank < 0) throw new AppError('INVALID_INPUT', `${path} holds only blank lines`, { key: 'errors.CLEAN_EMPTY_FILE', params: { path }, where: path });
    headerLine = read.headerLine ?? blank + 1;
    if (headerLine > 1 && read.headerLine === undefined) issues.push(issue('blank-lines-before-header', 'info', { count: headerLine - 1 }));
    columns = [];
  }
  const delimiter = (read.delimiter ?? o.delimiter ?? guessDelimiter(sampleLines.slice(Math.max(0, headerLine - 1)))) as CsvDelimiter;
  if (!o.columns) {
    const headerText = sampleLines[headerLine - 1];
    if (headerText === undefined) throw new AppError('INVALID_INPUT', `${path} has no line ${headerLine}`, { key: 'errors.CLEAN_NO_HEADER', params: { path, line: headerLine }, where: path });
    columns = uniqueColumns(parseRecord(headerText, delimiter, quote), issues);
  }
  const quoted = quote !== null && sampleLines.some((l) => l.includes(quote));
  const dataStart = headerLine;
  let rows: number | null = null;
  // A quick count on a file that fits the sample; bigger files are counted while importing.
  if (head.length >= size) rows = Math.max(0, sampleLines.slice(dataStart).filter((l) => l.trim() !== '').length);

  const width = columns.length;
  const source: OpenedSource = {
    path,
    format: o.format,
    encoding: { ...detected, candidates },
    csv: { delimiter, headerLine, lineEnding, quoted },
    layers: [],
    layer: null,
    srs: null,
    columns,
    rows,
    issues,
    nativeGeometry: false,
    async *records() {
      const lineEnds: LineEndings = { lf: 0, crlf: 0, cr: 0 };
      async function* afterHeader() {
        for await (const l of physicalLines(readText(path, detected.encoding), lineEnds)) if (l.n > dataStart) yield l;
      }
      for await (const batch of csvRecords(afterHeader(), delimiter, { quote })) {
        yield batch.map((r) => {
          let cells: (string | null)[] = r.fields;
          let broken: SourceRecord['broken'] = r.unclosedQuote ? 'unclosed-quote' : null;
          if (!broken && cells.length !== width) {
            const lenient = quote !== null && r.lines === 1 ? lenientSplit(r.text, delimiter, quote) : null;
            // A trailing separator ("a;b;c;") adds only empty cells: not a broken row.
            if (cells.length > width && cells.slice(width).every((c) => c === '')) cells = cells.slice(0, width);
            // A stray quote inside a field ('""57e4…' in GeoNature's one_line.csv) misleads RFC 4180
            // parsing; split on the separator when that gives the right count, as Python's csv does.
            else if (lenient && lenient.length === width) cells = lenient;
            else broken = 'field-count';
          }
          return { line: r.line, cells: cells.map((c) => (c === null || c.trim() === '' ? null : c)), raw: r.text, broken };
        });
      }
    },
    close: () => o.cleanup?.(),
  };
  return source;
}

/** A line split on the separator, each field unquoted when it is fully quoted; the rest kept as written. */
function lenientSplit(text: string, delimiter: string, quote: string): string[] {
  return text.split(delimiter).map((f) => (f.length >= 2 && f.startsWith(quote) && f.endsWith(quote) ? f.slice(1, -1).split(quote + quote).join(quote) : f));
}

/** Darwin Core Archive: meta.xml (a file, a folder or a zip) describing the core data file. */
function openDwca(path: string, read: ReadOptions): OpenedSource {
  let dir: string;
  let cleanup: (() => void) | undefined;
  if (statSync(path).isDirectory()) dir = path;
  else if (basename(path).toLowerCase() === 'meta.xml') dir = dirname(path);
  else {
    const tmp = mkdtempSync(join(tmpdir(), 'passerelle-dwca-'));
    cleanup = () => rmSync(tmp, { recursive: true, force: true });
    const files = unzipSync(readFileSync(path), { filter: (f) => !f.name.startsWith('__MACOSX/') });
    const meta = Object.keys(files)
      .filter((n) => /(^|\/)meta\.xml$/i.test(n))
      .sort((a, b) => a.split('/').length - b.split('/').length)[0];
    if (!meta) throw new AppError('INVALID_INPUT', `${path} has no meta.xml`, { key: 'errors.CLEAN_DWCA_NO_META', params: { path }, where: path });
    const prefix = meta.slice(0, meta.length - 'meta.xml'.length);
    for (const [name, bytes] of Object.entries(files)) {
      if (!name.startsWith(prefix) || name.endsWith('/')) continue;
      const rel = name.slice(prefix.length);
      if (rel.includes('/')) continue;
      writeFileSync(join(tmp, rel), bytes);
    }
    dir = tmp;
  }
  try {
    const metaBytes = readFileSync(join(dir, 'meta.xml'));
    const metaText = new TextDecoder(detectEncoding(metaBytes).encoding).decode(metaBytes);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true }).parse(metaText) as {
      archive?: { core?: DwcaCore };
    };
    const core = parsed.archive?.core;
    if (!core) throw new AppError('INVALID_INPUT', `${path}: meta.xml has no <core>`, { key: 'errors.CLEAN_DWCA_NO_CORE', params: { path }, where: path });
    const location = [core.files?.location].flat()[0];
    const file = typeof location === 'string' ? join(dir, location) : null;
    if (!file || !existsSync(file)) {
      throw new AppError('NOT_FOUND', `${path}: the core file ${String(location)} named by meta.xml is missing`, {
        key: 'errors.CLEAN_DWCA_MISSING_FILE',
        params: { path, file: String(location) },
        where: path,
      });
    }
    const unescape = (s: string | undefined, dflt: string) => (s === undefined ? dflt : s.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\r/g, '\r'));
    const delimiter = unescape(core.fieldsTerminatedBy, ',');
    const enclosed = unescape(core.fieldsEnclosedBy, '"');
    const fields = [core.field ?? []].flat();
    const width = Math.max(-1, Number(core.id?.index ?? -1), ...fields.map((f) => Number(f.index ?? -1))) + 1;
    const columns: string[] = Array.from({ length: width }, (_, i) => `column ${i + 1}`);
    if (core.id?.index !== undefined) columns[Number(core.id.index)] = 'id';
    for (const f of fields) if (f.index !== undefined && f.term) columns[Number(f.index)] = f.term.replace(/.*[/#]/, '');
    const encoding = (String(core.encoding ?? 'UTF-8').toLowerCase().replace('utf8', 'utf-8') === 'utf-8' ? 'utf-8' : read.encoding) as TextEncoding | undefined;
    return openCsv(file, { ...read, delimiter: undefined }, {
      format: 'dwca',
      delimiter,
      quote: enclosed === '' ? null : enclosed,
      columns,
      skipLines: Number(core.ignoreHeaderLines ?? 0),
      ...(encoding ? { encoding } : {}),
      ...(cleanup ? { cleanup } : {}),
    });
  } catch (e) {
    cleanup?.();
    throw e;
  }
}

interface DwcaCore {
  encoding?: string;
  fieldsTerminatedBy?: string;
  fieldsEnclosedBy?: string;
  ignoreHeaderLines?: string;
  rowType?: string;
  files?: { location?: string | string[] };
  id?: { index?: string };
  field?: { index?: string; term?: string; default?: string } | { index?: string; term?: string; default?: string }[];
}

type Layer = ReturnType<ReturnType<Gdal['open']>['layers']['get']>;

function cellOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') {
    const d = v as { year?: number; month?: number; day?: number; hour?: number; minute?: number; second?: number };
    if (typeof d.year === 'number') {
      const p = (n: number | undefined) => String(n ?? 0).padStart(2, '0');
      const date = `${String(d.year).padStart(4, '0')}-${p(d.month)}-${p(d.day)}`;
      return d.hour !== undefined && (d.hour || d.minute || d.second) ? `${date}T${p(d.hour)}:${p(d.minute)}:${p(Math.floor(d.second ?? 0))}` : date;
    }
    return JSON.stringify(v);
  }
  const s = String(v);
  return s.trim() === '' ? null : s;
}

/** GeoPackage, Shapefile, GeoJSON through GDAL: features with their geometry reprojected to WGS 84. */
function openGdal(path: string, format: CleanSourceFormat, read: ReadOptions): OpenedSource {
  const g = gdal();
  let ds: ReturnType<Gdal['open']>;
  try {
    ds = g.open(/\.zip$/i.test(path) ? `/vsizip/${path}` : path);
  } catch (e) {
    throw gdalError(e, path);
  }
  const layers = ds.layers.map((l) => l.name);
  const name = read.layer ?? layers[0];
  if (name === undefined || !layers.includes(name)) {
    ds.close();
    throw new AppError('NOT_FOUND', `${path} has no layer ${name ?? ''}`, { key: 'errors.GPKG_NO_LAYER', params: { path, layer: name ?? '' }, where: path });
  }
  const layer: Layer = ds.layers.get(name);
  const srs = layer.srs;
  let srsName: string | null = null;
  if (srs) {
    try {
      srs.autoIdentifyEPSG();
    } catch {
      // a custom system: shown by name
    }
    const code = srs.getAuthorityCode(null);
    srsName = code ? `EPSG:${code}` : srs.getAttrValue(srs.isProjected() ? 'PROJCS' : 'GEOGCS');
  }
  const wgs84 = g.SpatialReference.fromEPSG(4326);
  const ct = srs && !srs.isSame(wgs84) ? new g.CoordinateTransformation(srs, wgs84) : null;
  const columns = layer.fields.getNames();
  const issues: FileIssue[] = [];
  const source: OpenedSource = {
    path,
    format,
    encoding: null,
    csv: null,
    layers,
    layer: name,
    srs: srsName,
    columns: uniqueColumns(columns, issues),
    rows: layer.features.count(),
    issues,
    nativeGeometry: layer.geomType !== g.wkbNone,
    async *records() {
      let batch: SourceRecord[] = [];
      let n = 0;
      for (let f = layer.features.first(); f; f = layer.features.next()) {
        n++;
        let geometry: SimpleGeometry | null = null;
        const og = f.getGeometry();
        if (og) {
          if (ct) og.transform(ct);
          geometry = linearize(decodeWkb(og.toWKB(g.wkbNDR, g.wkbVariantIso)).geometry) as unknown as SimpleGeometry;
        }
        batch.push({ line: n, cells: columns.map((c) => cellOf(f.fields.get(c))), geometry, raw: null, broken: null });
        if (batch.length >= 2000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
    close: () => ds.close(),
  };
  return source;
}
