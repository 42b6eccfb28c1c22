/**
 * The CA (cadre d'acquisition) and JDD (jeu de données) fields a workspace keeps, how each maps
 * to its GeoNature column, and which ones the generic change methods may edit.
 *
 * One table drives the pull (which columns to read and decode), the workspace schema, the
 * change methods (validation of a field and its value) and the push (which column to write,
 * how to resolve a nomenclature code). Source: gn_meta.t_acquisition_frameworks and
 * gn_meta.t_datasets in GeoNature 2.17 (geonature-reference.md §1.1–1.2).
 */

/** How a value is stored and checked. Dates are ISO `YYYY-MM-DD`; nomenclatures are SINP codes. */
export type MetaFieldKind = 'text' | 'date' | 'boolean' | 'nomenclature' | 'framework' | 'number';

export interface MetaField {
  /** Name in the contract and the change journal (e.g. `data_type`). */
  readonly name: string;
  /** Column in gn_meta (e.g. `id_nomenclature_data_type`). */
  readonly serverColumn: string;
  /** Column in the workspace table (e.g. `cd_nomenclature_data_type`). */
  readonly column: string;
  readonly kind: MetaFieldKind;
  /** The nomenclature type (bib_nomenclatures_types.mnemonique) of a `nomenclature` field. */
  readonly nomenclatureType?: string;
  /** NOT NULL on the server: an edit may not clear it, a new JDD must have it. */
  readonly required: boolean;
  /** The generic change methods may change it. */
  readonly editable: boolean;
  /** May be missing on some servers (detected through information_schema; e.g. develop drops it). */
  readonly optional?: boolean;
  /**
   * The server keeps it in another gn_meta table, one row per owner (e.g. the territory
   * description on each `cor_dataset_territory` row): read with a subquery, written with an
   * UPDATE of the owner's rows after the lists.
   */
  readonly via?: { readonly table: string; readonly owner: string };
}

const nomenclature = (name: string, type: string, required: boolean, optional = false): MetaField => ({
  name,
  serverColumn: `id_nomenclature_${name}`,
  column: `cd_nomenclature_${name}`,
  kind: 'nomenclature',
  nomenclatureType: type,
  required,
  editable: true,
  ...(optional ? { optional } : {}),
});

const plain = (name: string, kind: MetaFieldKind, required: boolean, editable = true): MetaField => ({
  name,
  serverColumn: name,
  column: name,
  kind,
  required,
  editable,
});

/** Fields of gn_meta.t_acquisition_frameworks kept in the workspace table `acquisition_frameworks`. */
export const FRAMEWORK_FIELDS: readonly MetaField[] = [
  plain('acquisition_framework_name', 'text', true),
  plain('acquisition_framework_desc', 'text', true),
  nomenclature('territorial_level', 'NIVEAU_TERRITORIAL', false),
  plain('territory_desc', 'text', false),
  plain('keywords', 'text', false),
  nomenclature('financing_type', 'TYPE_FINANCEMENT', false),
  plain('target_description', 'text', false),
  plain('ecologic_or_geologic_target', 'text', false),
  plain('is_parent', 'boolean', false),
  plain('opened', 'boolean', false),
  plain('acquisition_framework_start_date', 'date', true),
  plain('acquisition_framework_end_date', 'date', false),
  // The méta-cadre this CA belongs to, by UUID (acquisition_framework_parent_id has no FK, reference §1.1).
  { name: 'parent', serverColumn: 'acquisition_framework_parent_id', column: 'parent_uuid', kind: 'framework', required: false, editable: true },
];

/** Fields of gn_meta.t_datasets kept in the workspace table `datasets`. */
export const DATASET_FIELDS: readonly MetaField[] = [
  { name: 'acquisition_framework', serverColumn: 'id_acquisition_framework', column: 'acquisition_framework_uuid', kind: 'framework', required: true, editable: true },
  plain('dataset_name', 'text', true),
  plain('dataset_shortname', 'text', true),
  plain('dataset_desc', 'text', true),
  nomenclature('data_type', 'DATA_TYP', true),
  plain('keywords', 'text', false),
  plain('marine_domain', 'boolean', true),
  plain('terrestrial_domain', 'boolean', true),
  // Dropped by GeoNature's develop branch (cor_dataset_objectif replaces it, reference §1.6).
  nomenclature('dataset_objectif', 'JDD_OBJECTIFS', true, true),
  nomenclature('collecting_method', 'METHO_RECUEIL', true),
  nomenclature('data_origin', 'DS_PUBLIQUE', true),
  nomenclature('source_status', 'STATUT_SOURCE', true),
  nomenclature('resource_type', 'RESOURCE_TYP', true),
  plain('active', 'boolean', true),
  plain('validable', 'boolean', false),
  // real columns: values are the text of the float4 the server stores (float4Text), so they compare exactly.
  plain('bbox_west', 'number', false),
  plain('bbox_east', 'number', false),
  plain('bbox_south', 'number', false),
  plain('bbox_north', 'number', false),
  // cor_dataset_territory.territory_desc: one text per territory row on the server, one per JDD here.
  { ...plain('territory_desc', 'text', false), via: { table: 'cor_dataset_territory', owner: 'id_dataset' } },
];

/** Nomenclature types used by CA/JDD fields and their cor_* tables: pulled whole, so an edit can pick any value. */
export const METADATA_NOMENCLATURE_TYPES = [
  ...new Set([
    ...[...FRAMEWORK_FIELDS, ...DATASET_FIELDS].flatMap((f) => (f.nomenclatureType ? [f.nomenclatureType] : [])),
    'ROLE_ACTEUR',
    'CA_OBJECTIFS',
    'TERRITOIRE',
    'VOLET_SINP',
    'TYPE_PROTOCOLE',
    'SENSIBILITE',
  ]),
] as const;

export type MetaEntity = 'framework' | 'dataset';

/** The field table of an entity. */
export function metaFields(entity: MetaEntity): readonly MetaField[] {
  return entity === 'framework' ? FRAMEWORK_FIELDS : DATASET_FIELDS;
}

/** A field by name, or undefined. */
export function metaField(entity: MetaEntity, name: string): MetaField | undefined {
  return metaFields(entity).find((f) => f.name === name);
}

/** A value of a CA/JDD field as the contract and the workspace carry it. */
export type MetaValue = string | boolean | null;

/**
 * Checks a value against a field's kind; returns an English reason, or null when it fits.
 *
 * Nomenclature codes are checked against the workspace's nomenclatures by the engine, not here.
 */
export function checkMetaValue(field: MetaField, value: MetaValue): string | null {
  if (value === null) return field.required ? `${field.name} is required` : null;
  switch (field.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${field.name} takes true or false`;
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : `${field.name} takes a date YYYY-MM-DD`;
    case 'text':
      return typeof value === 'string' && (!field.required || value.trim() !== '') ? null : `${field.name} takes a non-empty text`;
    case 'nomenclature':
    case 'framework':
      return typeof value === 'string' && value !== '' ? null : `${field.name} takes a code`;
    case 'number':
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? null : `${field.name} takes a number`;
  }
}

/**
 * A number as the text of the float4 (`real`) PostgreSQL would store and print for it: the
 * shortest decimal that reads back as the same 32-bit float (PostgreSQL ≥ 12 prints float4 so).
 *
 * gn_meta's bbox columns are `real`: a bbox computed here with 15 digits would never compare
 * equal to what the server keeps, and the JDD would look modified forever.
 */
export function float4Text(x: number): string {
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

/** How a list field is stored and compared. */
export type MetaListKind = 'nomenclatures' | 'actors' | 'protocols' | 'publications';

/**
 * A CA/JDD field the server keeps as rows of a gn_meta table (cor_* or the bibliography):
 * the workspace keeps it as a JSON array in `column`, push replaces the owner's rows as a whole.
 */
export interface MetaListField {
  /** Name in the contract and the change journal (`actors`, `territories`…). */
  readonly name: string;
  /** JSON column of the workspace table. */
  readonly column: string;
  readonly kind: MetaListKind;
  readonly nomenclatureType?: string;
  /** The gn_meta table holding the list on the server. */
  readonly serverTable: string;
  /** The column of that table pointing to the owner (id_acquisition_framework, id_dataset). */
  readonly owner: string;
}

/** A nomenclature value as lists keep it (the contract's NomenclatureValue). */
export interface MetaCode {
  readonly type: string;
  readonly code: string;
  readonly label: string;
}

/** An actor as `actors_json` keeps it: names and UUIDs of UsersHub's organism and person, role by code. */
export interface MetaListActor {
  readonly organism: string | null;
  readonly organismUuid: string | null;
  readonly person: string | null;
  readonly personUuid: string | null;
  readonly role: MetaCode | null;
  /** The actor's e-mail (t_roles.email or bib_organismes.email_organisme on the server; format 3). */
  readonly email?: string | null;
}

/** A protocol as `protocols_json` keeps it (gn_meta.sinp_datatype_protocols; details since format 3). */
export interface MetaListProtocol {
  readonly uuid: string | null;
  readonly name: string;
  readonly description?: string | null;
  readonly url?: string | null;
  /** TYPE_PROTOCOLE code. */
  readonly type?: string | null;
}

/** A publication of a CA (gn_meta.t_bibliographical_references). */
export interface MetaListPublication {
  readonly reference: string;
  readonly url: string | null;
}

const FW_OWNER = 'id_acquisition_framework';
const DS_OWNER = 'id_dataset';

/** List fields of a CA. */
export const FRAMEWORK_LISTS: readonly MetaListField[] = [
  { name: 'actors', column: 'actors_json', kind: 'actors', serverTable: 'cor_acquisition_framework_actor', owner: FW_OWNER },
  { name: 'territories', column: 'territories_json', kind: 'nomenclatures', nomenclatureType: 'TERRITOIRE', serverTable: 'cor_acquisition_framework_territory', owner: FW_OWNER },
  { name: 'objectives', column: 'objectives_json', kind: 'nomenclatures', nomenclatureType: 'CA_OBJECTIFS', serverTable: 'cor_acquisition_framework_objectif', owner: FW_OWNER },
  { name: 'volets_sinp', column: 'voletsinp_json', kind: 'nomenclatures', nomenclatureType: 'VOLET_SINP', serverTable: 'cor_acquisition_framework_voletsinp', owner: FW_OWNER },
  { name: 'publications', column: 'publications_json', kind: 'publications', serverTable: 't_bibliographical_references', owner: FW_OWNER },
];

/** List fields of a JDD (`objectives`: develop's cor_dataset_objectif, reference §1.6; absent from 2.17 servers). */
export const DATASET_LISTS: readonly MetaListField[] = [
  { name: 'actors', column: 'actors_json', kind: 'actors', serverTable: 'cor_dataset_actor', owner: DS_OWNER },
  { name: 'territories', column: 'territories_json', kind: 'nomenclatures', nomenclatureType: 'TERRITOIRE', serverTable: 'cor_dataset_territory', owner: DS_OWNER },
  { name: 'protocols', column: 'protocols_json', kind: 'protocols', serverTable: 'cor_dataset_protocol', owner: DS_OWNER },
  { name: 'objectives', column: 'objectives_json', kind: 'nomenclatures', nomenclatureType: 'JDD_OBJECTIFS', serverTable: 'cor_dataset_objectif', owner: DS_OWNER },
];

/** The list fields of an entity. */
export function metaLists(entity: MetaEntity): readonly MetaListField[] {
  return entity === 'framework' ? FRAMEWORK_LISTS : DATASET_LISTS;
}

/** A list field by name, or undefined. */
export function metaList(entity: MetaEntity, name: string): MetaListField | undefined {
  return metaLists(entity).find((f) => f.name === name);
}

const norm = (s: unknown): string => (typeof s === 'string' ? s.trim().toLowerCase() : '');

/**
 * What identifies a list's content, to compare the workspace, the base and the server: codes
 * for nomenclatures; role, organism and person names for actors (e-mails are the server's, not
 * the actor's); UUID (else name) for protocols (push links protocols, it does not rewrite them);
 * reference and URL for publications. Order and repeats do not count.
 */
export function listKey(field: MetaListField, items: readonly unknown[] | null | undefined): string {
  const keys = (items ?? []).map((raw) => {
    const x = (raw ?? {}) as Record<string, unknown>;
    switch (field.kind) {
      case 'nomenclatures':
        return String(x.code ?? '');
      case 'actors':
        return `${String((x.role as MetaCode | null)?.code ?? '')}|${norm(x.organism)}|${norm(x.person)}`;
      case 'protocols':
        return typeof x.uuid === 'string' && x.uuid ? x.uuid.toLowerCase() : `name:${norm(x.name)}`;
      case 'publications':
        return `${norm(x.reference)}|${typeof x.url === 'string' ? x.url.trim() : ''}`;
    }
  });
  return [...new Set(keys)].sort().join('\u0001');
}

/** True when two lists of a field have the same content (see {@link listKey}). */
export function sameList(field: MetaListField, a: readonly unknown[] | null | undefined, b: readonly unknown[] | null | undefined): boolean {
  return listKey(field, a) === listKey(field, b);
}
