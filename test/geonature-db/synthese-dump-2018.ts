import { readFileSync } from 'node:fs';
import { parseCopyBlocks } from '../../electron/core/pg/copy-text.js';
import { decodeHexWkb } from '../../electron/core/gpkg/geometry/wkb.js';

/**
 * One row of GeoNature's 2018 development dump (data/dev/jdd_synthese_dev.sql): 1,000 real
 * observations of the Parc national des Écrins, in the synthese column set of that time.
 *
 * Values are kept as the dump has them (empty strings stay empty, observer names keep their
 * double-encoded UTF-8); only the column set is described here. Tests compare the database
 * against these rows, so they are the single reading of the dump.
 */
export interface SyntheseDumpRow {
  idSynthese: number;
  uniqueIdSinp: string;
  uniqueIdSinpGrp: string | null;
  entitySourcePkValue: string | null;
  /** id_nomenclature_* of the 2018 install, by column: ids of that install, meaningless today. */
  nomenclatureIds: Record<string, number | null>;
  /** INSEE code of the 2018 commune (char(25) in the dump, trimmed here); dropped by GeoNature since. */
  idMunicipality: string | null;
  countMin: number | null;
  countMax: number | null;
  cdNom: number;
  nomCite: string;
  metaVTaxref: string | null;
  sampleNumberProof: string | null;
  digitalProof: string | null;
  nonDigitalProof: string | null;
  altitudeMin: number | null;
  altitudeMax: number | null;
  /** EWKB hex, SRID 4326, as dumped. */
  theGeom4326: string;
  /** EWKB hex, SRID 4326. */
  theGeomPoint: string;
  /** EWKB hex, SRID 2154 (Lambert-93), as dumped. */
  theGeomLocal: string;
  /** 'YYYY-MM-DD' */
  dateMin: string;
  dateMax: string;
  idValidator: number | null;
  validationComment: string | null;
  observers: string | null;
  determiner: string | null;
  /** Free text in 2018; now a METH_DETERMIN nomenclature. */
  determinationMethod: string | null;
  /** Now comment_description. */
  comments: string | null;
  /** Soft-delete flag of 2018; the column no longer exists (deletions are physical and logged). */
  deleted: boolean;
  metaValidationDate: string | null;
  metaCreateDate: string | null;
  metaUpdateDate: string | null;
  lastAction: string | null;
}

export interface SyntheseDump {
  columns: string[];
  rows: SyntheseDumpRow[];
}

const int = (v: string | null | undefined): number | null => (v === null || v === undefined || v === '' ? null : Number.parseInt(v, 10));

/**
 * Reads the dump and checks what the builder relies on: 1 COPY block, UUIDs present and
 * unique, points in SRID 4326 and 2154.
 */
export function readSyntheseDump(path: string): SyntheseDump {
  const block = parseCopyBlocks(readFileSync(path, 'utf8')).find((b) => b.table === 'synthese');
  if (!block) throw new Error(`${path}: no COPY synthese block`);
  const index = new Map(block.columns.map((c, i) => [c, i]));
  const get = (row: Array<string | null>, column: string): string | null => {
    const i = index.get(column);
    if (i === undefined) throw new Error(`${path}: column ${column} missing from the COPY header`);
    return row[i] ?? null;
  };
  const required = (row: Array<string | null>, column: string): string => {
    const v = get(row, column);
    if (v === null) throw new Error(`${path}: NULL ${column} in row ${get(row, 'id_synthese')}`);
    return v;
  };
  const nomenclatureColumns = block.columns.filter((c) => c.startsWith('id_nomenclature_'));
  const seen = new Set<string>();
  const rows = block.rows.map((r): SyntheseDumpRow => {
    const uuid = required(r, 'unique_id_sinp');
    if (seen.has(uuid)) throw new Error(`${path}: duplicate unique_id_sinp ${uuid}`);
    seen.add(uuid);
    const geoms = { theGeom4326: required(r, 'the_geom_4326'), theGeomPoint: required(r, 'the_geom_point'), theGeomLocal: required(r, 'the_geom_local') };
    const srids = [decodeHexWkb(geoms.theGeom4326).srid, decodeHexWkb(geoms.theGeomPoint).srid, decodeHexWkb(geoms.theGeomLocal).srid];
    if (srids[0] !== 4326 || srids[1] !== 4326 || srids[2] !== 2154) {
      throw new Error(`${path}: unexpected SRIDs ${srids.join('/')} for ${uuid}`);
    }
    return {
      idSynthese: Number(required(r, 'id_synthese')),
      uniqueIdSinp: uuid,
      uniqueIdSinpGrp: get(r, 'unique_id_sinp_grp'),
      entitySourcePkValue: get(r, 'entity_source_pk_value'),
      nomenclatureIds: Object.fromEntries(nomenclatureColumns.map((c) => [c, int(get(r, c))])),
      idMunicipality: get(r, 'id_municipality')?.trim() ?? null,
      countMin: int(get(r, 'count_min')),
      countMax: int(get(r, 'count_max')),
      cdNom: Number(required(r, 'cd_nom')),
      nomCite: required(r, 'nom_cite'),
      metaVTaxref: get(r, 'meta_v_taxref'),
      sampleNumberProof: get(r, 'sample_number_proof'),
      digitalProof: get(r, 'digital_proof'),
      nonDigitalProof: get(r, 'non_digital_proof'),
      altitudeMin: int(get(r, 'altitude_min')),
      altitudeMax: int(get(r, 'altitude_max')),
      ...geoms,
      dateMin: required(r, 'date_min'),
      dateMax: required(r, 'date_max'),
      idValidator: int(get(r, 'id_validator')),
      validationComment: get(r, 'validation_comment'),
      observers: get(r, 'observers'),
      determiner: get(r, 'determiner'),
      determinationMethod: get(r, 'determination_method'),
      comments: get(r, 'comments'),
      deleted: get(r, 'deleted') === 't',
      metaValidationDate: get(r, 'meta_validation_date'),
      metaCreateDate: get(r, 'meta_create_date'),
      metaUpdateDate: get(r, 'meta_update_date'),
      lastAction: get(r, 'last_action'),
    };
  });
  return { columns: block.columns, rows };
}
