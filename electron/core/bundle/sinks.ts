import { csvLine, tsvField } from '../../../shared/bundle/csv.js';
import { DWC_TERMS, DWC_TERM_URI, profileFields, type BundleField, type DwcTerm } from '../../../shared/bundle/fields.js';
import type { FieldProfile } from '../../../shared/bundle/presets.js';
import { HashedWriter, type FileDigest } from './hashed-writer.js';
import { F, type BundleRecord } from './records.js';

/**
 * Where a bundle's records go: one sink per data file, fed in one pass over the workspace.
 * Text sinks hash what they write; the GeoPackage is hashed once closed.
 */
export interface RecordSink {
  add(r: BundleRecord, line: string): unknown;
}

/** The fields of a profile with their index in a record's values. */
export function indexed(profile: FieldProfile, withWkt: boolean): { field: BundleField; name: string; index: number }[] {
  return profileFields(profile, { withWkt }).map((x) => ({ ...x, index: F[x.field.key] as number }));
}

/** The CSV file (and the canonical line of each record, which versioning compares). */
export class CsvSink implements RecordSink {
  private readonly fields: ReturnType<typeof indexed>;
  private readonly out: HashedWriter | null;
  private readonly row: (string | number | null)[];
  readonly header: string;

  constructor(
    path: string | null,
    profile: FieldProfile,
    /** Receives each record's UUID and canonical line (even when no file is written). */
    private readonly onLine?: (uuid: string, line: string) => void,
  ) {
    this.fields = indexed(profile, true);
    this.row = new Array(this.fields.length);
    this.header = csvLine(this.fields.map((f) => f.name));
    this.out = path ? new HashedWriter(path) : null;
    this.out?.write(this.header);
  }

  /** Writes the record's line and returns it (the GeoPackage writer reads its values from it). */
  add(r: BundleRecord): string {
    const fs = this.fields;
    for (let i = 0; i < fs.length; i++) this.row[i] = r.values[(fs[i] as { index: number }).index] ?? null;
    const line = csvLine(this.row);
    this.out?.write(line);
    this.onLine?.(r.uuid, line);
    return line;
  }

  close(): FileDigest | null {
    return this.out ? this.out.close() : null;
  }

  abort(): void {
    this.out?.abort();
  }
}

/** The GeoJSON file: a FeatureCollection, one feature per line (RFC 7946, WGS 84). */
export class GeoJsonSink implements RecordSink {
  private readonly fields: ReturnType<typeof indexed>;
  private readonly out: HashedWriter;
  private n = 0;

  constructor(path: string, profile: FieldProfile) {
    this.fields = indexed(profile, false);
    this.out = new HashedWriter(path);
    this.out.write('{"type":"FeatureCollection","name":"observations","features":[\n');
  }

  add(r: BundleRecord): void {
    const props: Record<string, string | number | null> = {};
    for (const f of this.fields) props[f.name] = r.values[f.index] ?? null;
    const g = r.geojson ?? (r.point && r.lon !== null ? `{"type":"Point","coordinates":[${r.lon},${r.lat}]}` : 'null');
    this.out.write(`${this.n > 0 ? ',\n' : ''}{"type":"Feature","id":${++this.n},"geometry":${g},"properties":${JSON.stringify(props)}}`);
  }

  close(): FileDigest {
    this.out.write('\n]}\n');
    return this.out.close();
  }

  abort(): void {
    this.out.abort();
  }
}

/** What a Darwin Core row needs besides the record. */
export interface DwcContext {
  readonly licenceUrl: string;
  readonly rightsHolder: string | null;
}

const STATUS: Readonly<Record<string, string>> = { Pr: 'present', No: 'absent' };

const X_KEYS = [
  'date_min',
  'date_max',
  'count_min',
  'count_max',
  'cd_nomenclature_obj_count',
  'cd_nom',
  'dataset_uuid',
  'dataset_name',
  'cd_nomenclature_observation_status',
  'nom_cite',
  'observers',
  'determiner',
  'comment_description',
  'coordinate_uncertainty_m',
  'altitude_min',
  'altitude_max',
  'data_generalizations',
  'information_withheld',
] as const;
/** Index in a record's values of the fields Darwin Core reads. */
const X = Object.fromEntries(X_KEYS.map((k) => [k, F[k] as number])) as Record<(typeof X_KEYS)[number], number>;

const isoDate = (d: string | number | null): string | null => (typeof d === 'string' ? (d.includes(' ') ? d.replace(' ', 'T') : d) : null);
/** Darwin Core separates people with " | " (GeoNature with ", "). */
const people = (x: string | number | null): string | null => (typeof x === 'string' ? (x.includes(',') ? x.split(/\s*,\s*/).join(' | ') : x) : null);

/** The Darwin Core occurrence core (`occurrence.txt`, tab-separated, UTF-8, LF, a header line). */
export class DwcSink implements RecordSink {
  private readonly out: HashedWriter;
  private readonly row: (string | number | null)[] = new Array(DWC_TERMS.length);
  private readonly at: Record<DwcTerm, number>;

  constructor(
    path: string,
    private readonly ctx: DwcContext,
  ) {
    this.out = new HashedWriter(path);
    this.out.write(DWC_TERMS.join('\t') + '\n');
    this.at = Object.fromEntries(DWC_TERMS.map((t, i) => [t, i])) as Record<DwcTerm, number>;
  }

  add(r: BundleRecord): void {
    const v = r.values;
    const row = this.row;
    const t = this.at;
    row.fill(null);
    const dateMin = v[X.date_min] ?? null;
    const dateMax = v[X.date_max] ?? null;
    const countMin = v[X.count_min] ?? null;
    const objCount = v[X.cd_nomenclature_obj_count] ?? null;
    const cdNom = v[X.cd_nom] ?? null;
    row[t.occurrenceID] = r.uuid;
    row[t.basisOfRecord] = 'HumanObservation';
    row[t.datasetID] = v[X.dataset_uuid] ?? null;
    row[t.datasetName] = v[X.dataset_name] ?? null;
    row[t.institutionCode] = this.ctx.rightsHolder;
    row[t.license] = this.ctx.licenceUrl;
    row[t.rightsHolder] = this.ctx.rightsHolder;
    row[t.occurrenceStatus] = STATUS[String(v[X.cd_nomenclature_observation_status])] ?? null;
    row[t.scientificName] = r.scientificName;
    row[t.taxonID] = cdNom === null ? null : `https://inpn.mnhn.fr/espece/cd_nom/${cdNom}`;
    row[t.verbatimIdentification] = v[X.nom_cite] ?? null;
    row[t.eventDate] = dateMax !== null && dateMax !== dateMin ? `${isoDate(dateMin)}/${isoDate(dateMax)}` : isoDate(dateMin);
    row[t.recordedBy] = people(v[X.observers] ?? null);
    row[t.identifiedBy] = people(v[X.determiner] ?? null);
    if (countMin !== null && countMin === v[X.count_max]) {
      row[t.organismQuantity] = countMin;
      row[t.organismQuantityType] = objCount;
      if (objCount === 'IND') row[t.individualCount] = countMin;
    }
    row[t.occurrenceRemarks] = v[X.comment_description] ?? null;
    row[t.countryCode] = 'FR';
    if (r.lat !== null && r.lon !== null) {
      row[t.decimalLatitude] = r.lat;
      row[t.decimalLongitude] = r.lon;
      row[t.geodeticDatum] = 'EPSG:4326';
    }
    row[t.coordinateUncertaintyInMeters] = v[X.coordinate_uncertainty_m] ?? null;
    if (r.footprintWkt) {
      row[t.footprintWKT] = r.footprintWkt;
      row[t.footprintSRS] = 'EPSG:4326';
    }
    row[t.minimumElevationInMeters] = v[X.altitude_min] ?? null;
    row[t.maximumElevationInMeters] = v[X.altitude_max] ?? null;
    row[t.dataGeneralizations] = v[X.data_generalizations] ?? null;
    row[t.informationWithheld] = v[X.information_withheld] ?? null;
    let line = tsvField(row[0] ?? null);
    for (let i = 1; i < row.length; i++) line += '\t' + tsvField(row[i] ?? null);
    this.out.write(line + '\n');
  }

  close(): FileDigest {
    return this.out.close();
  }

  abort(): void {
    this.out.abort();
  }
}

/** meta.xml of the archive: the occurrence core and its terms (GBIF Darwin Core text guidelines). */
export function dwcMetaXml(): string {
  const fields = DWC_TERMS.map((t, i) => `    <field index="${i}" term="${DWC_TERM_URI(t)}"/>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1" rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files>
      <location>occurrence.txt</location>
    </files>
    <id index="0"/>
${fields}
  </core>
</archive>
`;
}
