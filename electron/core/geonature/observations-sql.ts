import type pg from 'pg';
import { NOMENCLATURE_FIELDS, SYNTHESE_NOMENCLATURES } from '../../../shared/domain/synthese.js';
import { decodeCopyField } from '../pg/copy-text.js';
import { OBSERVATION_COLUMNS } from '../workspace/format.js';
import type { DetectedSchema } from './detect.js';
import type { Nomenclatures } from './nomenclatures.js';
import { qi, RAW_TYPES } from './sql.js';

/**
 * How each workspace observation column is read from gn_synthese.synthese and converted.
 *
 * The server sends each row as ONE text value: the fields joined by tabs, escaped as in COPY's
 * text format (`\N` for NULL, `\t`, `\n`, `\\`…), geometries as hex WKB. Measured here on 100,000
 * rows, node-postgres spends ~0.27 µs per field it parses; splitting one string costs a fraction
 * of that, which makes a pull of a million rows many seconds faster. Values stay text (SQLite's
 * column affinity stores integers as integers); nomenclature ids become SINP codes, the JDD id
 * its UUID, geometries GeoPackage blobs: the install's ids never reach the workspace.
 */
type Convert = (v: string | null) => unknown;

/** How a column travels: `int` needs no escaping, `text` may hold tabs or newlines, `hex` is a bytea. */
type Kind = 'int' | 'text' | 'hex';

interface Source {
  readonly column: string;
  /** The SQL value, already text (or NULL). */
  readonly sql: string;
  readonly kind: Kind;
  readonly convert: Convert;
}

const same: Convert = (v) => v;
const timestamp: Convert = (v) => (v === null ? null : v.replace(' ', 'T'));

/** The packed-row SELECT, its workspace columns (fid and geom first), and the converters. */
export interface ObservationQuery {
  /** One text expression per row (use `AS row`). */
  readonly rowSql: string;
  /** Workspace columns in insert order: fid, geom, then OBSERVATION_COLUMNS. */
  readonly columns: readonly string[];
  readonly convert: readonly Convert[];
  /** Splits a packed row into its raw fields (NULL as null, escapes decoded). */
  readonly split: (row: string) => Array<string | null>;
  /** Index of the raw id_dataset, cd_nom and area links ("{1,2,3}") fields in a split row. */
  readonly datasetIndex: number;
  readonly cdNomIndex: number;
  readonly areasIndex: number;
}

/**
 * What the observation rows refer to by id and the workspace stores by name: the source
 * (t_sources) and the organism of the digitiser (UsersHub). Small tables, read once
 * ({@link loadRowLookups}) and decoded here like the JDD UUID: as a correlated subquery per row
 * they cost the server ~3 s per 200,000 rows, more than every other column together.
 */
export interface RowLookups {
  /** id_source → name_source; null when the server has no t_sources.name_source. */
  readonly sourceName: ReadonlyMap<string, string | null> | null;
  /** id_role → [nom_organisme, uuid_organisme]; null when the server lacks what it takes. */
  readonly organismByRole: ReadonlyMap<string, readonly [string | null, string | null]> | null;
}

/** Reads the source names and the digitisers' organisms, when the server has what it takes. */
export async function loadRowLookups(client: pg.Client, d: DetectedSchema): Promise<RowLookups> {
  const has = (c: string) => d.has(`gn_synthese.synthese.${c}`);
  let sourceName: Map<string, string | null> | null = null;
  if (has('id_source') && d.has('gn_synthese.t_sources.name_source')) {
    const r = await client.query<[string, string | null]>({
      text: `SELECT src.id_source::text, src.name_source::text FROM ${qi('gn_synthese', 't_sources')} src`,
      rowMode: 'array',
      types: RAW_TYPES,
    });
    sourceName = new Map(r.rows.map(([id, name]) => [id, name]));
  }
  let organismByRole: Map<string, readonly [string | null, string | null]> | null = null;
  const ok = has('id_digitiser') && d.has('utilisateurs.t_roles.id_organisme') && d.has('utilisateurs.bib_organismes.nom_organisme') && d.has('utilisateurs.bib_organismes.uuid_organisme');
  if (ok) {
    const r = await client.query<[string, string | null, string | null]>({
      text: `SELECT r.id_role::text, o.${qi('nom_organisme')}::text, o.${qi('uuid_organisme')}::text
               FROM ${qi('utilisateurs', 't_roles')} r JOIN ${qi('utilisateurs', 'bib_organismes')} o ON o.id_organisme = r.id_organisme`,
      rowMode: 'array',
      types: RAW_TYPES,
    });
    organismByRole = new Map(r.rows.map(([id, name, uuid]) => [id, [name, uuid] as const]));
  }
  return { sourceName, organismByRole };
}

/** The source's name and the organism of the observation's digitiser (name and UUID): ids on the wire, names in the workspace. */
function lookupSources(has: (c: string) => boolean, lookups: RowLookups): Record<string, Source> {
  const { sourceName, organismByRole } = lookups;
  const none: Source = { column: '', sql: 'NULL::text', kind: 'int', convert: () => null };
  const organism = (column: string, k: 0 | 1): Source =>
    organismByRole
      ? { column, sql: `s.${qi('id_digitiser')}::text`, kind: 'int', convert: (v) => (v === null ? null : (organismByRole.get(v)?.[k] ?? null)) }
      : { ...none, column };
  return {
    source_name: sourceName && has('id_source')
      ? { column: 'source_name', sql: `s.${qi('id_source')}::text`, kind: 'int', convert: (v) => (v === null ? null : (sourceName.get(v) ?? null)) }
      : { ...none, column: 'source_name' },
    producer_name: organism('producer_name', 0),
    producer_uuid: organism('producer_uuid', 1),
  };
}

function packed(s: Source): string {
  const text = s.kind === 'text' ? `replace(replace(replace(replace(${s.sql}, E'\\\\', E'\\\\\\\\'), E'\\t', E'\\\\t'), E'\\n', E'\\\\n'), E'\\r', E'\\\\r')` : s.sql;
  return `coalesce(${text}, E'\\\\N')`;
}

/**
 * Builds the observation query for this server: columns it lacks are read as NULL (the
 * connector adapts instead of failing), identifiers are quoted. `areasSql` is the text of the
 * observation's area links, appended as the last field.
 */
export function observationQuery(
  d: DetectedSchema,
  noms: Nomenclatures,
  datasetUuidById: ReadonlyMap<string, string>,
  lookups: RowLookups,
  toGeom: (wkb: Buffer) => Uint8Array,
  areasSql: string,
): ObservationQuery {
  const has = (c: string) => d.has(`gn_synthese.synthese.${c}`);
  const col = (c: string, cast = '::text') => (has(c) ? `s.${qi(c)}${cast}` : 'NULL::text');
  const codeById = new Map<string, string>();
  const nomSources: Source[] = NOMENCLATURE_FIELDS.map((f) => {
    const type = SYNTHESE_NOMENCLATURES[f];
    return {
      column: `cd_nomenclature_${f}`,
      sql: col(`id_nomenclature_${f}`),
      kind: 'int',
      convert: (v) => {
        if (v === null) return null;
        let code = codeById.get(v);
        if (code === undefined) {
          const row = noms.row(v);
          // An id of another type would be a broken install (the CHECKs forbid it): keep no code rather than a wrong one.
          code = row && row.type === type ? row.code : '';
          codeById.set(v, code);
        }
        return code === '' ? null : code;
      },
    };
  });
  const hex = (v: string | null) => (v === null ? null : Buffer.from(v, 'hex'));
  const bySource: Record<string, Source> = {
    unique_id_sinp: { column: 'unique_id_sinp', sql: 's.unique_id_sinp::text', kind: 'int', convert: same },
    unique_id_sinp_grp: { column: 'unique_id_sinp_grp', sql: col('unique_id_sinp_grp'), kind: 'int', convert: same },
    id_synthese: { column: 'id_synthese', sql: 's.id_synthese::text', kind: 'int', convert: same },
    dataset_uuid: { column: 'dataset_uuid', sql: 's.id_dataset::text', kind: 'int', convert: (v) => (v === null ? null : (datasetUuidById.get(v) ?? null)) },
    cd_nom: { column: 'cd_nom', sql: col('cd_nom'), kind: 'int', convert: same },
    count_min: { column: 'count_min', sql: col('count_min'), kind: 'int', convert: same },
    count_max: { column: 'count_max', sql: col('count_max'), kind: 'int', convert: same },
    altitude_min: { column: 'altitude_min', sql: col('altitude_min'), kind: 'int', convert: same },
    altitude_max: { column: 'altitude_max', sql: col('altitude_max'), kind: 'int', convert: same },
    date_min: { column: 'date_min', sql: 's.date_min::text', kind: 'int', convert: timestamp },
    date_max: { column: 'date_max', sql: 's.date_max::text', kind: 'int', convert: timestamp },
    meta_create_date: { column: 'meta_create_date', sql: col('meta_create_date'), kind: 'int', convert: timestamp },
    meta_update_date: { column: 'meta_update_date', sql: col('meta_update_date'), kind: 'int', convert: timestamp },
    geom_local_wkb: { column: 'geom_local_wkb', sql: `encode(ST_AsBinary(s.the_geom_local), 'hex')`, kind: 'hex', convert: hex },
    // Format 3: what restructuring splits by protocol (the source: a module, protocol or import)
    // and by producer (the organism of the digitiser) reads.
    ...lookupSources(has, lookups),
  };
  for (const s of nomSources) bySource[s.column] = s;
  const sources: Source[] = [
    { column: 'fid', sql: 's.id_synthese::text', kind: 'int', convert: same },
    { column: 'geom', sql: `encode(ST_AsBinary(s.the_geom_4326), 'hex')`, kind: 'hex', convert: (v) => (v === null ? null : toGeom(Buffer.from(v, 'hex'))) },
    ...OBSERVATION_COLUMNS.map((c) => bySource[c.name] ?? { column: c.name, sql: col(c.name), kind: 'text' as const, convert: same }),
  ];
  const fields = [...sources.map(packed), `coalesce(${areasSql}, '{}')`];
  const rowSql = `concat_ws(E'\\t', ${fields.join(', ')})`;
  const texts = new Set(sources.flatMap((s, i) => (s.kind === 'text' ? [i] : [])));
  const width = fields.length;
  const split = (row: string): Array<string | null> => {
    const raw = row.split('\t');
    if (raw.length !== width) throw new Error(`a synthese row has ${raw.length} fields, expected ${width}`);
    const out: Array<string | null> = raw;
    for (let i = 0; i < width; i++) {
      const v = raw[i] as string;
      if (v === '\\N') out[i] = null;
      else if (texts.has(i) && v.includes('\\')) out[i] = decodeCopyField(v);
    }
    return out;
  };
  return {
    rowSql,
    columns: sources.map((s) => s.column),
    convert: sources.map((s) => s.convert),
    split,
    datasetIndex: sources.findIndex((s) => s.column === 'dataset_uuid'),
    cdNomIndex: sources.findIndex((s) => s.column === 'cd_nom'),
    areasIndex: sources.length,
  };
}
