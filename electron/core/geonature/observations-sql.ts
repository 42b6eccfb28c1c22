import { NOMENCLATURE_FIELDS, SYNTHESE_NOMENCLATURES } from '../../../shared/domain/synthese.js';
import { OBSERVATION_COLUMNS } from '../workspace/format.js';
import type { DetectedSchema } from './detect.js';
import type { Nomenclatures } from './nomenclatures.js';
import { qi } from './sql.js';

/**
 * How each workspace observation column is read from gn_synthese.synthese and converted.
 *
 * Values arrive as the server's text (no Date or number parsing: SQLite's column affinity
 * stores integers as integers), bytea as Buffers. Nomenclature ids become SINP codes, the JDD
 * id its UUID, geometries GeoPackage blobs; the install's ids never reach the workspace.
 */
type Convert = (v: string | Buffer | null) => unknown;

interface Source {
  readonly column: string;
  readonly sql: string;
  readonly convert: Convert;
}

const text: Convert = (v) => v;
const timestamp: Convert = (v) => (typeof v === 'string' ? v.replace(' ', 'T') : null);

/** The observation part of the SELECT, its workspace columns (fid and geom first), and the converters. */
export interface ObservationQuery {
  readonly selectList: string;
  /** Workspace columns in insert order: fid, geom, then OBSERVATION_COLUMNS. */
  readonly columns: readonly string[];
  readonly convert: readonly Convert[];
  /** Index of the id_dataset and cd_nom values in a raw row (for collecting what to pull next). */
  readonly datasetIndex: number;
  readonly cdNomIndex: number;
  /** Index of the area links column ("{1,2,3}"): after the converted columns. */
  readonly areasIndex: number;
}

/**
 * Builds the observation SELECT for this server: columns it lacks are read as NULL (the
 * connector adapts instead of failing), identifiers are quoted.
 */
export function observationQuery(
  d: DetectedSchema,
  noms: Nomenclatures,
  datasetUuidById: ReadonlyMap<string, string>,
  toGeom: (wkb: Buffer) => Uint8Array,
): ObservationQuery {
  const has = (c: string) => d.has(`gn_synthese.synthese.${c}`);
  const col = (c: string, cast = '') => (has(c) ? `s.${qi(c)}${cast}` : 'NULL');
  const codeById = new Map<string, string>();
  const nomSources: Source[] = NOMENCLATURE_FIELDS.map((f) => {
    const type = SYNTHESE_NOMENCLATURES[f];
    return {
      column: `cd_nomenclature_${f}`,
      sql: col(`id_nomenclature_${f}`, '::text'),
      convert: (v) => {
        if (v === null) return null;
        const key = v as string;
        let code = codeById.get(key);
        if (code === undefined) {
          const row = noms.row(key);
          // An id of another type would be a broken install (the CHECKs forbid it): keep no code rather than a wrong one.
          code = row && row.type === type ? row.code : '';
          codeById.set(key, code);
        }
        return code === '' ? null : code;
      },
    };
  });
  const bySource: Record<string, Source> = {
    unique_id_sinp: { column: 'unique_id_sinp', sql: 's.unique_id_sinp::text', convert: text },
    unique_id_sinp_grp: { column: 'unique_id_sinp_grp', sql: col('unique_id_sinp_grp', '::text'), convert: text },
    id_synthese: { column: 'id_synthese', sql: 's.id_synthese::text', convert: text },
    entity_source_pk_value: { column: 'entity_source_pk_value', sql: col('entity_source_pk_value', '::text'), convert: text },
    dataset_uuid: { column: 'dataset_uuid', sql: 's.id_dataset::text', convert: (v) => (v === null ? null : (datasetUuidById.get(v as string) ?? null)) },
    date_min: { column: 'date_min', sql: 's.date_min::text', convert: timestamp },
    date_max: { column: 'date_max', sql: 's.date_max::text', convert: timestamp },
    meta_create_date: { column: 'meta_create_date', sql: col('meta_create_date', '::text'), convert: timestamp },
    meta_update_date: { column: 'meta_update_date', sql: col('meta_update_date', '::text'), convert: timestamp },
    geom_local_wkb: { column: 'geom_local_wkb', sql: 'ST_AsBinary(s.the_geom_local)', convert: (v) => v },
  };
  for (const s of nomSources) bySource[s.column] = s;
  const sources: Source[] = [
    { column: 'fid', sql: 's.id_synthese::text', convert: text },
    { column: 'geom', sql: 'ST_AsBinary(s.the_geom_4326)', convert: (v) => (v === null ? null : toGeom(v as Buffer)) },
    ...OBSERVATION_COLUMNS.map((c) => bySource[c.name] ?? { column: c.name, sql: col(c.name, '::text'), convert: text }),
  ];
  const selectList = sources.map((s) => s.sql).join(', ');
  const datasetIndex = sources.findIndex((s) => s.column === 'dataset_uuid');
  const cdNomIndex = sources.findIndex((s) => s.column === 'cd_nom');
  return {
    selectList,
    columns: sources.map((s) => s.column),
    convert: sources.map((s) => s.convert),
    datasetIndex,
    cdNomIndex,
    areasIndex: sources.length,
  };
}
