import type { FieldMapping, GeometryHint, MappedRow, RejectReason } from '../../../shared/contract/index.js';
import { gridCellSquare } from '../../../shared/cleanup/coords.js';
import { DATE_PATTERNS, formatIso, parseDateWith, parseIso, withTime, type DateParts } from '../../../shared/cleanup/dates.js';
import { TARGET_FIELDS, targetField } from '../../../shared/cleanup/fields.js';
import { anchorOf, bboxOf, isEmptyGeometry, parseWkt, type SimpleGeometry } from '../../../shared/cleanup/geometry.js';
import { rejectMessage } from '../../../shared/cleanup/messages.js';
import { matchNomenclature, type SyntheseCatalog } from '../../../shared/cleanup/nomenclatures.js';
import { cellText, isIntegerText, isUuid } from '../../../shared/cleanup/normalize.js';
import { nomenclatureColumn } from '../../../shared/domain/synthese.js';
import type { AreaIndex } from './areas.js';
import { toWgs84 } from './geom.js';
import type { SourceRecord } from './source.js';

/** What mapping one source row gives. */
export interface MappedObservation {
  /** `observations` columns → values (text kept as it is when it cannot be typed: the checks report it). */
  readonly values: Record<string, string | number | null>;
  /** Synthese fields without a column, and the file's unmapped cells (`_unmapped`). */
  readonly extra: Record<string, unknown>;
  readonly geometry: SimpleGeometry | null;
  readonly reject: { reason: RejectReason; detail: string | null } | null;
  readonly filledDateMax: boolean;
  readonly problems: MappedRow['problems'];
}

export interface MappingContext {
  readonly catalog: SyntheseCatalog;
  readonly areas: AreaIndex;
  readonly today: string;
}

/** A compiled mapping: column indexes resolved once for a file. */
export interface CompiledMapping {
  map(rec: SourceRecord): MappedObservation;
}

const num = (s: string): number => Number(s.trim().replace(',', '.'));

/** Reads a date with the mapping's format ("auto": ISO, then the usual patterns). */
function readDate(text: string, format: string, today: string): DateParts | null {
  if (format !== 'auto') return parseDateWith(text, format, today) ?? parseIso(text);
  const iso = parseIso(text);
  if (iso) return iso;
  for (const p of DATE_PATTERNS) {
    const d = parseDateWith(text, p, today);
    if (d) return d;
  }
  return null;
}

/** Compiles a mapping against a source's columns. Unknown column names fail early with INVALID_INPUT. */
export function compileMapping(mapping: FieldMapping, columns: readonly string[], ctx: MappingContext, unknownColumn: (c: string) => never): CompiledMapping {
  const index = new Map(columns.map((c, i) => [c, i]));
  const col = (c: string): number => {
    const i = index.get(c);
    if (i === undefined) return unknownColumn(c);
    return i;
  };
  const fields = Object.entries(mapping.fields).map(([key, mv]) => {
    const def = targetField(key);
    if (!def) throw new Error(`unknown target field ${key}`);
    return { def, column: 'column' in mv ? col(mv.column) : null, constant: 'value' in mv ? mv.value : null };
  });
  const nomenclatureMemo: Record<string, Map<string, string | null>> = {};
  const usedColumns = new Set<number>(fields.flatMap((f) => (f.column === null ? [] : [f.column])));
  const geomSources = mapping.geometry.map((g) => {
    switch (g.kind) {
      case 'wkt':
        usedColumns.add(col(g.column));
        return { ...g, i: col(g.column) };
      case 'xy':
        usedColumns.add(col(g.x));
        usedColumns.add(col(g.y));
        return { ...g, ix: col(g.x), iy: col(g.y) };
      case 'area':
        usedColumns.add(col(g.column));
        return { ...g, i: col(g.column) };
      default:
        return g;
    }
  });

  return {
    map(rec) {
      const cell = (i: number | null) => (i === null ? null : cellText(rec.cells[i]));
      const values: Record<string, string | number | null> = {};
      const extra: Record<string, unknown> = {};
      const problems: MappedRow['problems'] = [];
      const problem = (field: string, code: string, fr: string, en: string) => problems.push({ field, code, message: { fr, en } });
      let hourMin: string | null = null;
      let hourMax: string | null = null;
      for (const f of fields) {
        const raw = f.constant !== null ? cellText(f.constant) : cell(f.column);
        const key = f.def.key;
        let v: string | number | null = raw;
        if (raw !== null) {
          switch (f.def.kind) {
            case 'uuid':
              v = isUuid(raw) ? raw.toLowerCase() : raw;
              if (!isUuid(raw)) problem(key, 'uuid.invalid', `« ${raw} » n’est pas un UUID`, `"${raw}" is not a UUID`);
              break;
            case 'integer':
              if (isIntegerText(raw)) v = Number(raw);
              else problem(key, 'value.not-integer', `« ${raw} » n’est pas un entier`, `"${raw}" is not a whole number`);
              break;
            case 'date': {
              const d = readDate(raw, mapping.dateFormat, ctx.today);
              if (d) v = formatIso(d);
              else problem(key, 'date.unparseable', `« ${raw} » : date illisible`, `"${raw}": unreadable date`);
              break;
            }
            case 'time':
              if (key === 'hour_min') hourMin = raw;
              else hourMax = raw;
              break;
            case 'nomenclature': {
              // A file repeats a few values a million times: match each distinct value once.
              const memo = (nomenclatureMemo[key] ??= new Map<string, string | null>());
              let code = memo.get(raw);
              if (code === undefined) {
                code = matchNomenclature(ctx.catalog, f.def.type as string, raw, mapping.values[key]);
                if (memo.size < 10_000) memo.set(raw, code);
              }
              if (code !== null) v = code;
              else problem(key, 'nomenclature.unknown-value', `« ${raw} » : valeur inconnue de ${f.def.type}`, `"${raw}": unknown value of ${f.def.type}`);
              break;
            }
            case 'json':
              try {
                v = null;
                extra[key] = JSON.parse(raw);
              } catch {
                extra[key] = raw;
              }
              break;
            default:
          }
        }
        if (f.def.kind === 'time' || f.def.kind === 'json') continue;
        if (f.def.column) values[f.def.column] = v;
        else if (v !== null) extra[key] = v;
      }
      // Hours join their dates (the workspace keeps ISO date-times, like the synthese's timestamps).
      for (const [k, h] of [['date_min', hourMin], ['date_max', hourMax]] as const) {
        const d = typeof values[k] === 'string' ? parseIso(values[k] as string) : null;
        if (h !== null && d) {
          const t = withTime(d, h);
          if (t) values[k] = formatIso(t);
          else extra[k === 'date_min' ? 'hour_min' : 'hour_max'] = h;
        } else if (h !== null) extra[k === 'date_min' ? 'hour_min' : 'hour_max'] = h;
      }
      // GeoNature's importer: an empty end date is the start date.
      let filledDateMax = false;
      if ((values.date_max === undefined || values.date_max === null) && typeof values.date_min === 'string' && parseIso(values.date_min)) {
        values.date_max = values.date_min;
        filledDateMax = true;
      }
      const unmapped: Record<string, string> = {};
      rec.cells.forEach((c, i) => {
        if (!usedColumns.has(i) && c !== null && c !== undefined && c.trim() !== '') unmapped[columns[i] as string] = c;
      });
      if (Object.keys(unmapped).length) extra._unmapped = unmapped;

      type Attempt = { geometry: SimpleGeometry; attached: boolean } | { error: { reason: RejectReason; detail: string } } | null;
      const attempts: (() => Attempt)[] = geomSources.map((g) => (): Attempt => {
          try {
            switch (g.kind) {
              case 'wkt': {
                const t = cell(g.i);
                if (t === null) return null;
                const parsed = parseWkt(t);
                return { geometry: g.srs.toUpperCase() === 'EPSG:4326' ? parsed : toWgs84(parsed, g.srs), attached: false };
              }
              case 'xy': {
                const xs = cell(g.ix);
                const ys = cell(g.iy);
                if (xs === null && ys === null) return null;
                if (xs === null || ys === null) return { error: { reason: 'geometry-unreadable', detail: `x="${xs ?? ''}" y="${ys ?? ''}"` } };
                const x = num(xs);
                const y = num(ys);
                if (!Number.isFinite(x) || !Number.isFinite(y)) return { error: { reason: 'geometry-unreadable', detail: `x="${xs}" y="${ys}"` } };
                const p: SimpleGeometry = { type: 'Point', hasZ: false, hasM: false, coordinates: [x, y] };
                return { geometry: g.srs.toUpperCase() === 'EPSG:4326' ? p : toWgs84(p, g.srs), attached: false };
              }
              case 'area': {
                const code = cell(g.i);
                if (code === null) return null;
                const a = ctx.areas.byCode(g.areaType, code);
                if (a) return { geometry: a.geometry, attached: true };
                const cellSq = g.areaType.startsWith('M') ? gridCellSquare(code) : null;
                if (cellSq) {
                  const ring = [
                    [cellSq.minX, cellSq.minY],
                    [cellSq.maxX, cellSq.minY],
                    [cellSq.maxX, cellSq.maxY],
                    [cellSq.minX, cellSq.maxY],
                    [cellSq.minX, cellSq.minY],
                  ];
                  return { geometry: toWgs84({ type: 'Polygon', hasZ: false, hasM: false, coordinates: [ring] }, 'EPSG:2154'), attached: true };
                }
                return { error: { reason: 'area-unknown', detail: `${g.areaType} ${code}` } };
              }
              default:
                return rec.geometry === undefined || rec.geometry === null ? null : { geometry: rec.geometry, attached: false };
            }
          } catch (e) {
            return { error: { reason: 'geometry-unreadable', detail: e instanceof Error ? e.message : String(e) } };
          }
        });
      // Geometry: the first source that gives one.
      let geometry: SimpleGeometry | null = null;
      let failure: { reason: RejectReason; detail: string } | null = null;
      for (const g of attempts) {
        const r = g();
        if (r === null) continue;
        if ('error' in r) {
          failure ??= r.error;
          continue;
        }
        geometry = r.geometry;
        if (r.attached && !values[nomenclatureColumn('info_geo_type')]) values[nomenclatureColumn('info_geo_type')] = '2';
        break;
      }
      let reject: MappedObservation['reject'] = null;
      if (rec.broken) reject = { reason: rec.broken, detail: rec.broken === 'field-count' ? `${rec.cells.length}/${columns.length}` : null };
      else if (!geometry) reject = failure ?? { reason: 'geometry-missing', detail: null };
      return { values, extra, geometry, reject, filledDateMax, problems };
    },
  };
}

/** The map hint of a geometry (point or bbox centre). */
export function geometryHint(g: SimpleGeometry | null): GeometryHint | null {
  if (!g || isEmptyGeometry(g)) return null;
  const a = anchorOf(g);
  const b = bboxOf(g);
  if (!a || !b) return null;
  return { type: g.type, lon: a[0], lat: a[1], bbox: b };
}

/** A mapped observation as the wizard's live preview shows it (values by target field key). */
export function previewRow(rec: SourceRecord, m: MappedObservation, columns: number): MappedRow {
  const values: MappedRow['values'] = {};
  for (const t of TARGET_FIELDS) {
    if (t.column && m.values[t.column] !== undefined) values[t.key] = m.values[t.column] ?? null;
    else if (m.extra[t.key] !== undefined) {
      const v = m.extra[t.key];
      values[t.key] = typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v);
    }
  }
  const problems = [...m.problems];
  if (m.reject) {
    const msg = rejectMessage(m.reject.reason, { detail: m.reject.detail, found: rec.cells.length, expected: columns });
    problems.push({ field: 'geom', code: `rejected.${m.reject.reason}`, message: msg });
  }
  return { line: rec.line, values, geometry: geometryHint(m.geometry), rejected: m.reject?.reason ?? null, problems };
}
