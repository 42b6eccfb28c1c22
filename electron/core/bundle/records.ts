import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import { BUNDLE_FIELDS, type Publication } from '../../../shared/bundle/fields.js';
import type { BundleFilters, BundlePreset } from '../../../shared/bundle/presets.js';
import { NOMENCLATURE_FIELDS, nomenclatureColumn, type SyntheseNomenclatureField } from '../../../shared/domain/synthese.js';
import { decodeGpkg, encodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import { forEachPosition, type Geometry } from '../gpkg/geometry/model.js';
import { decodeWkb } from '../gpkg/geometry/wkb.js';
import { hasTable } from '../workspace/migrations.js';
import { referencePoint, toGeoJsonText, toWkt } from './geom-text.js';
import type { BundleSensitivity } from './sensitivity.js';
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
 * unique_id_sinp, a page at a time (keyset on the unique index). Columns a format 1 workspace
 * lacks read as NULL.
 */
export function* readObservations(db: Db, filters: BundleFilters, pageSize = 5000): Generator<unknown[]> {
  const have = new Set((db.prepare('PRAGMA table_info(observations)').all() as Array<{ name: string }>).map((c) => c.name));
  const taxref = hasTable(db, 'taxref');
  const select = READ_COLUMNS.map((c) => {
    if (c === 'taxref_cd_ref') return taxref ? '(SELECT t.cd_ref FROM taxref t WHERE t.cd_nom = o.cd_nom)' : 'NULL';
    return have.has(c) ? `o."${c}"` : 'NULL';
  }).join(', ');
  const { where, params } = filterSql(filters);
  const page = db.prepare(`SELECT ${select} FROM observations o WHERE (${where}) AND o.unique_id_sinp > ? ORDER BY o.unique_id_sinp LIMIT ${Number(pageSize)}`).raw(true);
  let last = '';
  for (;;) {
    const rows = page.all(...params, last) as unknown[][];
    if (rows.length === 0) return;
    for (const r of rows) yield r;
    last = (rows[rows.length - 1] as unknown[])[C.unique_id_sinp] as string;
  }
}

/** Observations the filters select (for the preview's counts). */
export function countFiltered(db: Db, filters: BundleFilters): { total: number; selected: number } {
  const total = (db.prepare('SELECT count(*) AS n FROM observations').get() as { n: number }).n;
  const { where, params } = filterSql(filters);
  const selected = (db.prepare(`SELECT count(*) AS n FROM observations o WHERE ${where}`).get(...params) as { n: number }).n;
  return { total, selected };
}

/** What the bundle publishes of one observation. */
export interface BundleRecord {
  /** Output values, aligned with BUNDLE_FIELDS. */
  readonly values: (string | number | null)[];
  readonly uuid: string;
  readonly publication: Publication;
  /** GeoPackage blob (EPSG:4326) of the published geometry; null when withheld. */
  readonly gpkgGeometry: Uint8Array | null;
  /** GeoJSON geometry text, `null` when withheld. */
  readonly geojson: string;
  /** The precise geometry's WKT, when not a point (DwC footprintWKT). */
  readonly footprintWkt: string | null;
  readonly lon: number | null;
  readonly lat: number | null;
  readonly scientificName: string | null;
  /** SENSIBILITE decided (-1: not checked or undetermined). */
  readonly sensitivityLevel: number;
  readonly blurLevel: number;
  /** cd_nom when its taxon was not matched by the referential (withheld by precaution). */
  readonly unmatchedCdNom: number | null;
}

/** Fills the sensitivity runner's row from a raw row (the row is reused: one per reader). */
export function fillCheckRow(row: ObservationRow, v: readonly unknown[]): ObservationRow {
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
  row.geomLocal = v[C.geom_local_wkb] as Uint8Array | null;
  row.loadDetails = null;
  row.detailsLoaded = true;
  return row;
}

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
  readonly geojson: string;
  readonly names: string;
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

  private area(key: string, geometry: Geometry, names: string): AreaOutput {
    let a = this.areaCache.get(key);
    if (!a) {
      a = { blob: encodeGpkg(geometry, 4326), geojson: toGeoJsonText(geometry), names };
      this.areaCache.set(key, a);
    }
    return a;
  }

  /**
   * One raw row (indexed by {@link C}) → its published record, or null when the row is left out
   * (data origin not public). `onSecret` receives the precise geometry of every row that is not
   * published precisely (for the gate's leak scan).
   */
  build(v: unknown[], onSecret?: (uuid: string, geom: Uint8Array | null, local: Uint8Array | null) => void): BundleRecord | null {
    const counts = this.counts;
    counts.read++;
    const uuid = v[C.unique_id_sinp] as string;
    const datasetUuid = v[C.dataset_uuid] as string | null;
    const ds = datasetUuid ? this.datasets.get(datasetUuid) : undefined;
    const origin = ds?.dataOrigin ?? null;
    if (this.preset.publicOnly && origin !== 'Pu' && !this.preset.producerAgreement) {
      counts.excludedNonPublic++;
      onSecret?.(uuid, v[C.geom] as Uint8Array | null, v[C.geom_local_wkb] as Uint8Array | null);
      return null;
    }
    const geom = v[C.geom] as Uint8Array | null;
    const cdNom = v[C.cd_nom] as number | null;

    // Sensitivity.
    let sensitivityLevel = -1;
    let blurLevel = 0;
    let unmatched: number | null = null;
    let published: ReturnType<NonNullable<BundleSensitivity>['checker']['publishLast']> | null = null;
    const s = this.sensitivity;
    if (s) {
      const row = fillCheckRow(this.row, v);
      const r = s.checker.check(row);
      sensitivityLevel = r.sensitivityLevel;
      if (sensitivityLevel >= 0) counts.bySensitivity[sensitivityLevel] = (counts.bySensitivity[sensitivityLevel] ?? 0) + 1;
      if (r.resolution === 'unmatched' && cdNom !== null) {
        unmatched = cdNom;
        counts.unmatchedTaxa.set(cdNom, (counts.unmatchedTaxa.get(cdNom) ?? 0) + 1);
      }
      if (this.preset.locations === 'blurred') {
        blurLevel = r.blurLevel;
        if (blurLevel > 0) {
          published = s.checker.publishLast(row, this.lang);
          if (r.reason === 'unmatched-taxon') counts.withheldBy.unmatchedTaxon++;
          else if (r.reason === 'area-not-found') counts.withheldBy.areaNotFound++;
          else if (blurLevel === 4 && r.reason === 'diffusion') counts.withheldBy.diffusion++;
          else if (blurLevel === 4) counts.withheldBy.sensitivity++;
        }
      }
    }
    if (this.preset.locations === 'blurred' && !geom && blurLevel === 0) {
      // Nothing to publish precisely: the record goes out without location, and says so.
      blurLevel = 4;
      counts.withheldBy.noGeometry++;
    }

    const values: (string | number | null)[] = new Array(BUNDLE_FIELDS.length).fill(null);
    const put = (key: string, value: unknown) => {
      const i = F[key];
      if (i !== undefined) values[i] = value === undefined || value === null ? null : typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : String(value);
    };
    put('unique_id_sinp', uuid);
    put('unique_id_sinp_grp', v[C.unique_id_sinp_grp]);
    put('id_synthese', v[C.id_synthese]);
    put('entity_source_pk_value', v[C.entity_source_pk_value]);
    put('dataset_uuid', datasetUuid);
    put('dataset_name', ds?.name ?? null);
    put('data_origin', origin);
    put('cd_nom', cdNom);
    put('cd_ref', v[C.taxref_cd_ref]);
    put('nom_cite', v[C.nom_cite]);
    put('meta_v_taxref', v[C.meta_v_taxref]);
    put('count_min', v[C.count_min]);
    put('count_max', v[C.count_max]);
    put('altitude_min', v[C.altitude_min]);
    put('altitude_max', v[C.altitude_max]);
    put('date_min', v[C.date_min]);
    put('date_max', v[C.date_max]);
    put('observers', this.people(v[C.observers]));
    put('determiner', this.people(v[C.determiner]));
    put('sample_number_proof', v[C.sample_number_proof]);
    put('digital_proof', v[C.digital_proof]);
    put('non_digital_proof', v[C.non_digital_proof]);
    put('comment_description', v[C.comment_description]);
    for (const n of NOMENCLATURE_FIELDS) {
      const col = nomenclatureColumn(n);
      put(col, v[C[col as Column]]);
    }
    if (sensitivityLevel >= 0) put('cd_nomenclature_sensitivity', String(sensitivityLevel));
    put('source_name', v[C.source_name]);
    put('meta_update_date', v[C.meta_update_date] ?? v[C.meta_create_date]);

    let publication: Publication;
    let gpkgGeometry: Uint8Array | null = null;
    let geojson = 'null';
    let footprintWkt: string | null = null;
    let lon: number | null = null;
    let lat: number | null = null;
    if (blurLevel === 0) {
      publication = 'precise';
      counts.precise++;
      if (geom) {
        gpkgGeometry = geom;
        const p = blobPoint(geom);
        if (p) {
          [lon, lat] = p;
          geojson = `{"type":"Point","coordinates":[${lon},${lat}]}`;
          put('wkt', `POINT (${lon} ${lat})`);
        } else {
          const g = decodeGpkg(geom).geometry;
          const c = referencePoint(g);
          if (c) [lon, lat] = c;
          geojson = toGeoJsonText(g);
          footprintWkt = toWkt(g);
          put('wkt', footprintWkt);
          // A blob with a stored envelope or another layout: write it the canonical way.
          gpkgGeometry = encodeGpkg(g, 4326);
        }
      }
      if (sensitivityLevel >= 0 && this.preset.locations === 'blurred') put('cd_nomenclature_blurring', 'NON');
    } else {
      onSecret?.(uuid, geom, v[C.geom_local_wkb] as Uint8Array | null);
      // Whatever could locate the site, or link the record to precise ones, goes.
      for (const k of ['altitude_min', 'altitude_max', 'comment_description', 'digital_proof', 'non_digital_proof', 'unique_id_sinp_grp', 'id_synthese', 'entity_source_pk_value']) put(k, null);
      for (const k of ['date_min', 'date_max', 'meta_update_date']) {
        const d = values[F[k] as number];
        if (typeof d === 'string') values[F[k] as number] = DAY.exec(d)?.[1] ?? null;
      }
      const pub = published;
      if (pub && !pub.withheld && pub.geometry && pub.areaType) {
        publication = 'generalised';
        if (blurLevel === 1) counts.generalised.commune++;
        else if (blurLevel === 2) counts.generalised.cell++;
        else counts.generalised.departement++;
        const codes = pub.areas.map((a) => a.code).join(',');
        const area = this.area(`${pub.areaType}:${codes}`, pub.geometry, pub.areas.map((a) => (a.name ? `${a.name} (${a.code})` : a.code)).join(', '));
        gpkgGeometry = area.blob;
        geojson = area.geojson;
        lon = pub.decimalLongitude;
        lat = pub.decimalLatitude;
        put('blur_area_type', pub.areaType);
        put('blur_area_codes', codes);
        put('coordinate_uncertainty_m', pub.dwc.coordinateUncertaintyInMeters);
        put('data_generalizations', pub.dwc.dataGeneralizations);
        put('cd_nomenclature_blurring', 'OUI');
      } else {
        publication = 'withheld';
        counts.withheld++;
        const text =
          pub?.dwc.informationWithheld ??
          (this.lang === 'fr'
            ? 'Localisation non diffusée : l’observation n’a pas de géométrie. La localisation précise peut être demandée au producteur.'
            : 'Location withheld: the observation has no geometry. The precise location may be available from the producer on request.');
        put('information_withheld', text);
      }
    }
    put('publication', publication);
    put('longitude', lon);
    put('latitude', lat);
    counts.published++;
    return {
      values,
      uuid,
      publication,
      gpkgGeometry,
      geojson,
      footprintWkt,
      lon,
      lat,
      scientificName: (v[C.nom_cite] as string | null) ?? null,
      sensitivityLevel,
      blurLevel,
      unmatchedCdNom: unmatched,
    };
  }
}

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
