import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import { BUNDLE_FIELDS, type Publication } from '../../../shared/bundle/fields.js';
import type { BundleFilters, BundlePreset } from '../../../shared/bundle/presets.js';
import { NOMENCLATURE_FIELDS, nomenclatureColumn, type SyntheseNomenclatureField } from '../../../shared/domain/synthese.js';
import { decodeGpkg, encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { envelopeOf, forEachPosition, type Geometry } from '../gpkg/geometry/model.js';
import { decodeWkb } from '../gpkg/geometry/wkb.js';
import { hasTable } from '../workspace/migrations.js';
import { referencePoint, toGeoJsonText, toWkt } from './geom-text.js';
import type { BundleSensitivity } from './sensitivity.js';
import type { PublishedLocation } from '../sensitivity/blur.js';
import { emptyRow, type ObservationRow } from '../sensitivity/runner.js';

type Db = Database.Database;

/**
 * Reading the workspace's observations for a bundle and turning each into what the bundle
 * publishes: the field policy (observer names), the data-origin rule (DS_PUBLIQUE), the
 * sensitivity decision and its blurring, the columns that could locate or re-identify a
 * generalised record emptied.
 *
 * Records come ordered by `unique_id_sinp`: a random UUID, so the order of the files tells
 * nothing about which records were made together (a sensitive observation between two precise
 * ones of the same relevé would otherwise be located by its neighbours), and it is the same
 * across re-pulls of the workspace, which keeps rebuilds and changelogs stable.
 */

/** Columns read, in order (the raw row arrays are indexed by {@link C}). */
const READ_COLUMNS = [
  'fid',
  'unique_id_sinp',
  'unique_id_sinp_grp',
  'id_synthese',
  'entity_source_pk_value',
  'dataset_uuid',
  'cd_nom',
  'nom_cite',
  'meta_v_taxref',
  'count_min',
  'count_max',
  'altitude_min',
  'altitude_max',
  'date_min',
  'date_max',
  'observers',
  'determiner',
  'sample_number_proof',
  'digital_proof',
  'non_digital_proof',
  'comment_description',
  ...NOMENCLATURE_FIELDS.map(nomenclatureColumn),
  'source_name',
  'meta_create_date',
  'meta_update_date',
  'geom',
  'geom_local_wkb',
  'taxref_cd_ref',
] as const;

type Column =
  | 'fid' | 'unique_id_sinp' | 'unique_id_sinp_grp' | 'id_synthese' | 'entity_source_pk_value' | 'dataset_uuid' | 'cd_nom' | 'nom_cite'
  | 'meta_v_taxref' | 'count_min' | 'count_max' | 'altitude_min' | 'altitude_max' | 'date_min' | 'date_max' | 'observers' | 'determiner'
  | 'sample_number_proof' | 'digital_proof' | 'non_digital_proof' | 'comment_description' | 'source_name' | 'meta_create_date'
  | 'meta_update_date' | 'geom' | 'geom_local_wkb' | 'taxref_cd_ref' | `cd_nomenclature_${SyntheseNomenclatureField}`;

/** Index of each read column in a raw row. */
export const C = Object.fromEntries(READ_COLUMNS.map((c, i) => [c, i])) as Record<Column, number>;

/** Index of each output field in {@link BundleRecord.values}. */
export const F = Object.fromEntries(BUNDLE_FIELDS.map((f, i) => [f.key, i])) as Record<string, number>;

/** SQL condition and parameters for the preset's filters, on `o`. */
export function filterSql(filters: BundleFilters): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filters.datasets.length) {
    parts.push('o.dataset_uuid IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filters.datasets));
  }
  if (filters.taxa.length) {
    parts.push('o.cd_nom IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(filters.taxa));
  }
  if (filters.dateFrom) {
    parts.push('substr(o.date_min, 1, 10) >= ?');
    params.push(filters.dateFrom);
  }
  if (filters.dateTo) {
    parts.push('substr(o.date_min, 1, 10) <= ?');
    params.push(filters.dateTo);
  }
  return { where: parts.length ? parts.join(' AND ') : '1', params };
}

/**
 * The workspace's observations as raw rows (arrays indexed by {@link C}), ordered by
 * unique_id_sinp, streamed. The cd_ref of each cd_nom comes from the
 * workspace's `taxref` (format 2), looked up once per taxon. Columns a format 1 workspace lacks
 * read as NULL.
 */
export function* readObservations(db: Db, filters: BundleFilters): Generator<unknown[]> {
  const have = new Set((db.prepare('PRAGMA table_info(observations)').all() as Array<{ name: string }>).map((c) => c.name));
  const cdRef = new Map<number, number | null>();
  if (hasTable(db, 'taxref')) {
    const rows = db.prepare('SELECT t.cd_nom, t.cd_ref FROM taxref t WHERE t.cd_nom IN (SELECT DISTINCT cd_nom FROM observations)').raw(true).all() as [number, number | null][];
    for (const [nom, ref] of rows) cdRef.set(nom, ref);
  }
  // The local geometry is read on demand ({@link localGeometryLoader}): only sensitive rows need it.
  const select = READ_COLUMNS.map((c) => (c === 'taxref_cd_ref' || c === 'geom_local_wkb' ? 'NULL' : have.has(c) ? `o."${c}"` : 'NULL')).join(', ');
  const { where, params } = filterSql(filters);
  // NOT INDEXED: SQLite then reads the table in file order and sorts (its external merge sort),
  // which on a million rows costs half the random page reads that walking the UUID index does.
  const stmt = db.prepare(`SELECT ${select} FROM observations o NOT INDEXED WHERE ${where} ORDER BY o.unique_id_sinp`).raw(true);
  const at = C.taxref_cd_ref;
  const nom = C.cd_nom;
  for (const r of stmt.iterate(...params) as IterableIterator<unknown[]>) {
    const cd = r[nom];
    if (typeof cd === 'number') r[at] = cdRef.get(cd) ?? null;
    yield r;
  }
}

/** Reads one observation's local-SRID geometry (ISO WKB) by fid; null when it has none. */
export function localGeometryLoader(db: Db): (fid: number) => Uint8Array | null {
  const have = (db.prepare('PRAGMA table_info(observations)').all() as Array<{ name: string }>).some((c) => c.name === 'geom_local_wkb');
  if (!have) return () => null;
  const stmt = db.prepare('SELECT geom_local_wkb FROM observations WHERE fid = ?').pluck();
  return (fid) => (stmt.get(fid) as Uint8Array | null | undefined) ?? null;
}

/** Observations the filters select (for the preview's counts). */
export function countFiltered(db: Db, filters: BundleFilters): { total: number; selected: number } {
  const total = (db.prepare('SELECT count(*) AS n FROM observations').get() as { n: number }).n;
  const { where, params } = filterSql(filters);
  const selected = (db.prepare(`SELECT count(*) AS n FROM observations o WHERE ${where}`).get(...params) as { n: number }).n;
  return { total, selected };
}

/**
 * What the bundle publishes of one observation. The builder reuses one record for every row
 * (a million rows allocate a million arrays otherwise): a sink copies what it keeps.
 */
export interface BundleRecord {
  /** Output values, aligned with BUNDLE_FIELDS. */
  values: (string | number | null)[];
  uuid: string;
  publication: Publication;
  /** GeoPackage blob (EPSG:4326) of the published geometry; null when withheld. */
  gpkgGeometry: Uint8Array | null;
  /** GeoJSON geometry text; null for a precise point (written from lon/lat) and when withheld. */
  geojson: string | null;
  /** The published geometry is a point at lon/lat. */
  point: boolean;
  /** The precise geometry's WKT, when not a point (DwC footprintWKT). */
  footprintWkt: string | null;
  lon: number | null;
  lat: number | null;
  /** Box of the published geometry (WGS 84), for the extents. */
  west: number;
  south: number;
  east: number;
  north: number;
  scientificName: string | null;
  /** SENSIBILITE decided (-1: not checked or undetermined). */
  sensitivityLevel: number;
  blurLevel: number;
  /** cd_nom when its taxon was not matched by the referential (withheld by precaution). */
  unmatchedCdNom: number | null;
}

/**
 * Fills the sensitivity runner's row from a raw row (the row is reused: one per reader). The
 * local geometry, which raw rows do not carry, is loaded by `loadLocal` when the checker first
 * needs the row's details (a taxon with rules): most rows never need it.
 */
export function fillCheckRow(row: ObservationRow, v: readonly unknown[], loadLocal: ((fid: number) => Uint8Array | null) | null = null): ObservationRow {
  row.fid = v[C.fid] as number;
  row.uuid = v[C.unique_id_sinp] as string;
  row.cdNom = v[C.cd_nom] as number | null;
  row.cdRefHint = v[C.taxref_cd_ref] as number | null;
  row.dateMin = v[C.date_min] as string | null;
  row.dateMax = v[C.date_max] as string | null;
  row.bioStatus = v[C.cd_nomenclature_bio_status] as string | null;
  row.behaviour = v[C.cd_nomenclature_behaviour] as string | null;
  row.diffusionLevel = v[C.cd_nomenclature_diffusion_level] as string | null;
  row.datasetUuid = v[C.dataset_uuid] as string | null;
  row.geom = v[C.geom] as Uint8Array | null;
  row.releve = v[C.unique_id_sinp_grp] as string | null;
  row.positionsLoaded = true;
  row.geomLocal = v[C.geom_local_wkb] as Uint8Array | null;
  if (loadLocal && row.geomLocal === null) {
    row.loadDetails = LOAD_LOCAL;
    row.detailsLoaded = false;
    localLoaders.set(row, loadLocal);
  } else {
    row.loadDetails = null;
    row.detailsLoaded = true;
  }
  return row;
}

const localLoaders = new WeakMap<ObservationRow, (fid: number) => Uint8Array | null>();
const LOAD_LOCAL = (r: ObservationRow): void => {
  r.geomLocal = localLoaders.get(r)?.(r.fid) ?? null;
};

/** Counts of what a pass published and left out. */
export interface RecordCounts {
  read: number;
  published: number;
  precise: number;
  /** By blurring level 1 commune, 2 10 km cell, 3 département. */
  generalised: { commune: number; cell: number; departement: number };
  withheld: number;
  withheldBy: { sensitivity: number; unmatchedTaxon: number; areaNotFound: number; diffusion: number; noGeometry: number };
  /** Left out because the JDD's data origin is not public (DS_PUBLIQUE) and the producer did not agree. */
  excludedNonPublic: number;
  /** Blurred because a sensitive observation shares their site or relevé (propagation), at any level. */
  propagated: number;
  bySensitivity: number[];
  observerNames: number;
  unmatchedTaxa: Map<number, number>;
}

/** A fresh zero count. */
export function emptyCounts(): RecordCounts {
  return {
    read: 0,
    published: 0,
    precise: 0,
    generalised: { commune: 0, cell: 0, departement: 0 },
    withheld: 0,
    withheldBy: { sensitivity: 0, unmatchedTaxon: 0, areaNotFound: 0, diffusion: 0, noGeometry: 0 },
    excludedNonPublic: 0,
    propagated: 0,
    bySensitivity: [0, 0, 0, 0, 0],
    observerNames: 0,
    unmatchedTaxa: new Map(),
  };
}

/** What a dataset contributes to its records. */
export interface DatasetInfo {
  readonly name: string;
  /** DS_PUBLIQUE code (Pu, Pr, NSP) or null when unknown. */
  readonly dataOrigin: string | null;
}

/** A published area, built once and shared by every record published in it. */
interface AreaOutput {
  readonly blob: Uint8Array;
  /** GeoJSON text, made the first time a sink asks for it. */
  geojson: string | null;
  readonly geometry: Geometry;
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

const DAY = /^(\d{4}-\d{2}-\d{2})/;
const normName = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Reads the point of a 2D point blob without decoding (the common case); null otherwise. */
function blobPoint(b: Uint8Array): [number, number] | null {
  if (b.length !== 29 || b[0] !== 0x47 || b[1] !== 0x50 || ((b[3] as number) & 0x0e) !== 0 || b[8] !== 1 || b[9] !== 1 || b[10] !== 0 || b[11] !== 0 || b[12] !== 0) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [view.getFloat64(13, true), view.getFloat64(21, true)];
}

/**
 * Turns raw rows into published records for one preset. Keeps the counts, the unmatched taxa
 * and, for the gate, where the records that are not precise were (see {@link SecretSink}).
 */
export class RecordBuilder {
  readonly counts = emptyCounts();
  private readonly row: ObservationRow = emptyRow();
  private readonly areaCache = new Map<string, AreaOutput>();
  private readonly pseudonyms = new Map<string, string>();
  private readonly lang: 'fr' | 'en';

  constructor(
    private readonly preset: BundlePreset,
    private readonly datasets: ReadonlyMap<string, DatasetInfo>,
    private readonly sensitivity: BundleSensitivity | null,
    /** Loads a row's local geometry on demand (see {@link fillCheckRow}). */
    private readonly loadLocal: ((fid: number) => Uint8Array | null) | null = null,
  ) {
    this.lang = preset.language;
    this.row.loadDetails = null;
    this.row.detailsLoaded = true;
  }

  /** Applies the observer policy to one text of names. */
  private people(text: unknown): string | null {
    if (typeof text !== 'string' || text.trim() === '') return null;
    switch (this.preset.observers) {
      case 'keep':
        return text;
      case 'drop':
        return null;
      case 'pseudonymise': {
        const key = this.preset.pseudonymKey as string;
        return text
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
          .map((name) => {
            const n = normName(name);
            let p = this.pseudonyms.get(n);
            if (!p) {
              p = `${this.lang === 'fr' ? 'Observateur' : 'Observer'} ${createHmac('sha256', Buffer.from(key, 'hex')).update(n).digest('hex').slice(0, 10)}`;
              this.pseudonyms.set(n, p);
            }
            return p;
          })
          .join(', ');
      }
    }
  }

  /** Distinct names the observer policy treated. */
  get distinctNames(): number {
    return this.pseudonyms.size;
  }

  private area(key: string, geometry: Geometry): AreaOutput {
    let a = this.areaCache.get(key);
    if (!a) {
      const e = envelopeOf(geometry);
      a = { blob: encodeGpkg(geometry, 4326), geojson: null, geometry, west: e?.minX ?? NaN, south: e?.minY ?? NaN, east: e?.maxX ?? NaN, north: e?.maxY ?? NaN };
      this.areaCache.set(key, a);
    }
    return a;
  }


  private readonly rec: BundleRecord = {
    values: new Array(BUNDLE_FIELDS.length).fill(null),
    uuid: '',
    publication: 'precise',
    gpkgGeometry: null,
    geojson: null,
    point: false,
    footprintWkt: null,
    lon: null,
    lat: null,
    west: NaN,
    south: NaN,
    east: NaN,
    north: NaN,
    scientificName: null,
    sensitivityLevel: -1,
    blurLevel: 0,
    unmatchedCdNom: null,
  };

  /**
   * One raw row (indexed by {@link C}) → its published record (the builder's one record,
   * overwritten by the next call), or null when the row is left out (data origin not public).
   */
  build(v: unknown[]): BundleRecord | null {
    const counts = this.counts;
    counts.read++;
    const uuid = v[C.unique_id_sinp] as string;
    const datasetUuid = v[C.dataset_uuid] as string | null;
    const ds = datasetUuid ? this.datasets.get(datasetUuid) : undefined;
    const origin = ds?.dataOrigin ?? null;
    if (this.preset.publicOnly && origin !== 'Pu' && !this.preset.producerAgreement) {
      counts.excludedNonPublic++;
      return null;
    }
    const geom = v[C.geom] as Uint8Array | null;
    const cdNom = v[C.cd_nom] as number | null;
    const blurred = this.preset.locations === 'blurred';

    // Sensitivity.
    let sensitivityLevel = -1;
    let blurLevel = 0;
    let unmatched: number | null = null;
    let published: PublishedLocation | null = null;
    const s = this.sensitivity;
    if (s) {
      const row = fillCheckRow(this.row, v, this.loadLocal);
      const r = s.checker.check(row);
      sensitivityLevel = r.sensitivityLevel;
      if (sensitivityLevel >= 0) counts.bySensitivity[sensitivityLevel] = (counts.bySensitivity[sensitivityLevel] ?? 0) + 1;
      if (r.resolution === 'unmatched' && cdNom !== null) {
        unmatched = cdNom;
        counts.unmatchedTaxa.set(cdNom, (counts.unmatchedTaxa.get(cdNom) ?? 0) + 1);
      }
      if (blurred) {
        blurLevel = r.blurLevel;
        if (blurLevel > 0) {
          published = s.checker.publishLast(row, this.lang);
          if (r.propagation) counts.propagated++;
          if (r.reason === 'unmatched-taxon') counts.withheldBy.unmatchedTaxon++;
          else if (r.reason === 'area-not-found') counts.withheldBy.areaNotFound++;
          else if (blurLevel === 4 && r.reason === 'diffusion') counts.withheldBy.diffusion++;
          else if (blurLevel === 4) counts.withheldBy.sensitivity++;
        }
      }
    }
    if (blurred && !geom && blurLevel === 0) {
      // Nothing to publish precisely: the record goes out without location, and says so.
      blurLevel = 4;
      counts.withheldBy.noGeometry++;
    }

    const rec = this.rec;
    const out = rec.values;
    for (let k = 0; k < out.length; k++) out[k] = null;
    for (let k = 0; k < COPY.length; k += 2) out[COPY[k] as number] = cell(v[COPY[k + 1] as number]);
    out[O.dataset_name] = ds?.name ?? null;
    out[O.data_origin] = origin;
    out[O.observers] = this.people(v[C.observers]);
    out[O.determiner] = this.people(v[C.determiner]);
    if (sensitivityLevel >= 0) out[O.cd_nomenclature_sensitivity] = String(sensitivityLevel);
    out[O.meta_update_date] = cell(v[C.meta_update_date] ?? v[C.meta_create_date]);

    rec.uuid = uuid;
    rec.gpkgGeometry = null;
    rec.geojson = null;
    rec.point = false;
    rec.footprintWkt = null;
    rec.lon = null;
    rec.lat = null;
    rec.west = rec.south = rec.east = rec.north = NaN;
    if (blurLevel === 0) {
      rec.publication = 'precise';
      counts.precise++;
      if (geom) {
        rec.gpkgGeometry = geom;
        const p = blobPoint(geom);
        if (p) {
          rec.point = true;
          rec.lon = rec.west = rec.east = p[0];
          rec.lat = rec.south = rec.north = p[1];
          out[O.wkt] = `POINT (${p[0]} ${p[1]})`;
        } else {
          const g = decodeGpkg(geom).geometry;
          const c = referencePoint(g);
          if (c) [rec.lon, rec.lat] = c;
          const e = envelopeOf(g);
          if (e) [rec.west, rec.south, rec.east, rec.north] = [e.minX, e.minY, e.maxX, e.maxY];
          rec.geojson = toGeoJsonText(g);
          rec.footprintWkt = toWkt(g);
          out[O.wkt] = rec.footprintWkt;
          // A blob with a stored envelope or another layout: written the canonical way.
          rec.gpkgGeometry = encodeGpkg(g, 4326);
        }
      }
      if (sensitivityLevel >= 0 && blurred) out[O.cd_nomenclature_blurring] = 'NON';
    } else {
      // Whatever could locate the site, or link the record to precise ones, goes.
      for (const k of EMPTIED) out[k] = null;
      for (const k of DAY_ONLY) {
        const d = out[k];
        if (typeof d === 'string') out[k] = DAY.exec(d)?.[1] ?? null;
      }
      const pub = published;
      if (pub && !pub.withheld && pub.geometry && pub.areaType) {
        rec.publication = 'generalised';
        if (blurLevel === 1) counts.generalised.commune++;
        else if (blurLevel === 2) counts.generalised.cell++;
        else counts.generalised.departement++;
        const codes = pub.areas.map((a) => a.code).join(',');
        const area = this.area(`${pub.areaType}:${codes}`, pub.geometry);
        rec.gpkgGeometry = area.blob;
        if (area.geojson === null) area.geojson = toGeoJsonText(area.geometry);
        rec.geojson = area.geojson;
        rec.lon = pub.decimalLongitude;
        rec.lat = pub.decimalLatitude;
        rec.west = area.west;
        rec.south = area.south;
        rec.east = area.east;
        rec.north = area.north;
        out[O.blur_area_type] = pub.areaType;
        out[O.blur_area_codes] = codes;
        out[O.coordinate_uncertainty_m] = pub.dwc.coordinateUncertaintyInMeters;
        out[O.data_generalizations] = pub.dwc.dataGeneralizations;
        out[O.cd_nomenclature_blurring] = 'OUI';
      } else {
        rec.publication = 'withheld';
        counts.withheld++;
        out[O.information_withheld] =
          pub?.dwc.informationWithheld ??
          (this.lang === 'fr'
            ? 'Localisation non diffusée : l’observation n’a pas de géométrie. La localisation précise peut être demandée au producteur.'
            : 'Location withheld: the observation has no geometry. The precise location may be available from the producer on request.');
      }
    }
    out[O.publication] = rec.publication;
    out[O.longitude] = rec.lon;
    out[O.latitude] = rec.lat;
    counts.published++;
    rec.scientificName = (v[C.nom_cite] as string | null) ?? null;
    rec.sensitivityLevel = sensitivityLevel;
    rec.blurLevel = blurLevel;
    rec.unmatchedCdNom = unmatched;
    return rec;
  }
}

/** A database value as a bundle cell. */
function cell(x: unknown): string | number | null {
  // An empty text is no value: every file of the bundle writes it as such (a CSV cannot tell them apart).
  if (x === null || x === undefined || x === '') return null;
  if (typeof x === 'number' || typeof x === 'string') return x;
  if (typeof x === 'bigint') return Number(x);
  return String(x);
}

const OUT_KEYS = [
  'dataset_name',
  'data_origin',
  'observers',
  'determiner',
  'cd_nomenclature_sensitivity',
  'cd_nomenclature_blurring',
  'meta_update_date',
  'wkt',
  'blur_area_type',
  'blur_area_codes',
  'coordinate_uncertainty_m',
  'data_generalizations',
  'information_withheld',
  'publication',
  'longitude',
  'latitude',
] as const;
/** Output index of the fields the builder sets itself. */
const O = Object.fromEntries(OUT_KEYS.map((k) => [k, F[k] as number])) as Record<(typeof OUT_KEYS)[number], number>;

/** Output fields copied from the read columns as they are: pairs (output index, read index). */
const COPY: readonly number[] = (
  [
    ['unique_id_sinp', C.unique_id_sinp],
    ['unique_id_sinp_grp', C.unique_id_sinp_grp],
    ['id_synthese', C.id_synthese],
    ['entity_source_pk_value', C.entity_source_pk_value],
    ['dataset_uuid', C.dataset_uuid],
    ['cd_nom', C.cd_nom],
    ['cd_ref', C.taxref_cd_ref],
    ['nom_cite', C.nom_cite],
    ['meta_v_taxref', C.meta_v_taxref],
    ['count_min', C.count_min],
    ['count_max', C.count_max],
    ['altitude_min', C.altitude_min],
    ['altitude_max', C.altitude_max],
    ['date_min', C.date_min],
    ['date_max', C.date_max],
    ['sample_number_proof', C.sample_number_proof],
    ['digital_proof', C.digital_proof],
    ['non_digital_proof', C.non_digital_proof],
    ['comment_description', C.comment_description],
    ['source_name', C.source_name],
    ...NOMENCLATURE_FIELDS.map((n) => [nomenclatureColumn(n), C[nomenclatureColumn(n) as Column]] as const),
  ] as const
).flatMap(([key, read]) => [F[key] as number, read]);

/** Columns emptied when a location is generalised or withheld (they locate the site or link the record to precise ones). */
const EMPTIED: readonly number[] = ['altitude_min', 'altitude_max', 'comment_description', 'digital_proof', 'non_digital_proof', 'unique_id_sinp_grp', 'id_synthese', 'entity_source_pk_value'].map(
  (k) => F[k] as number,
);
/** Date-times cut to the day when a location is generalised or withheld (the time links a record to its relevé). */
const DAY_ONLY: readonly number[] = ['date_min', 'date_max', 'meta_update_date'].map((k) => F[k] as number);

/** Precise vertices of a record (lon/lat from the blob, projected x/y from the local WKB), for the leak scan. */
export function secretVertices(geom: Uint8Array | null, local: Uint8Array | null): { lonlat: number[]; local: number[] } {
  const lonlat: number[] = [];
  const xy: number[] = [];
  if (geom) {
    const p = blobPoint(geom);
    if (p) lonlat.push(p[0], p[1]);
    else {
      try {
        forEachPosition(decodeGpkg(geom).geometry, (q) => lonlat.push(q[0] as number, q[1] as number));
      } catch {
        // An unreadable blob publishes nothing either.
      }
    }
  }
  if (local) {
    try {
      forEachPosition(decodeWkb(local).geometry, (q) => xy.push(q[0] as number, q[1] as number));
    } catch {
      // idem
    }
  }
  return { lonlat, local: xy };
}
