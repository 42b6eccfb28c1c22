/**
 * The workspace's CA and JDD as the SINP model (shared/metadata): reading the tables the
 * GeoNature connector writes (format 2, extended by format 3) into a {@link MetadataSet}, and the
 * nomenclature catalog the workspace validates with.
 *
 * Mapping (docs/workspace-format.md, "CA and JDD"): scalar fields come from the columns of the
 * field table (shared/domain/metadata.ts), lists from their JSON columns, keywords from the one
 * `keywords` text, the metadata dates from the server's meta dates (day part). A JDD's objectives
 * are its scalar `dataset_objectif` (GeoNature 2.17) followed by the others of `objectives_json`
 * (develop's cor_dataset_objectif, and extra objectives kept here).
 */
import type Database from 'better-sqlite3';
import type { MetaCode, MetaListActor, MetaListProtocol, MetaListPublication, MetaValue } from '../../../shared/domain/metadata.js';
import {
  catalogFromRows,
  splitKeywords,
  SINP_NOMENCLATURES,
  type AcquisitionFramework,
  type AdditionalAttribute,
  type Dataset,
  type MetadataActor,
  type MetadataSet,
  type NomenclatureCatalog,
} from '../../../shared/metadata/index.js';
import { readWsMeta, type WsMetaRow } from '../geonature/ws-meta.js';
import { T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';

type Db = Database.Database;

const str = (v: MetaValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const bool = (v: MetaValue | undefined): boolean | null => (typeof v === 'boolean' ? v : null);
/** The day part of a server timestamp ("2024-03-01 10:00:00.123" → "2024-03-01"). */
const day = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);

function codes(items: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const x of items ?? []) {
    const c = (x as Partial<MetaCode> | null)?.code;
    if (typeof c === 'string' && c !== '' && !out.includes(c)) out.push(c);
  }
  return out;
}

function additional(v: unknown): AdditionalAttribute[] {
  if (typeof v !== 'string' || v === '') return [];
  try {
    const parsed = JSON.parse(v) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null)
      .map((x) => ({ name: String(x.name ?? ''), value: String(x.value ?? ''), definition: typeof x.definition === 'string' ? x.definition : null }));
  } catch {
    return [];
  }
}

/** An actor of the workspace as the model has it (UsersHub's person UUID is kept in the workspace only). */
export function modelActor(a: Partial<MetaListActor>): MetadataActor {
  return {
    role: a.role?.code ?? null,
    person: a.person ?? null,
    email: a.email ?? null,
    organism: a.organism ?? null,
    organismUuid: a.organismUuid ?? null,
  };
}

/** A CA row as the SINP model. */
export function frameworkFromRow(row: WsMetaRow): AcquisitionFramework {
  const v = row.values;
  return {
    uuid: row.uuid,
    name: str(v.acquisition_framework_name) ?? '',
    description: str(v.acquisition_framework_desc) ?? '',
    isMetaFramework: v.is_parent === true,
    parentUuid: str(v.parent),
    territorialLevel: str(v.territorial_level),
    financingType: str(v.financing_type),
    objectives: codes(row.lists.objectives),
    territories: codes(row.lists.territories),
    territoryDescription: str(v.territory_desc),
    keywords: splitKeywords(str(v.keywords)),
    targetDescription: str(v.target_description),
    ecologicalTarget: str(v.ecologic_or_geologic_target),
    voletsSinp: codes(row.lists.volets_sinp),
    publications: (row.lists.publications ?? []).map((p) => {
      const x = p as Partial<MetaListPublication>;
      return { reference: String(x.reference ?? ''), url: x.url ?? null };
    }),
    actors: (row.lists.actors ?? []).map((a) => modelActor(a as Partial<MetaListActor>)),
    startDate: str(v.acquisition_framework_start_date),
    endDate: str(v.acquisition_framework_end_date),
    metadataCreated: day(row.raw.meta_create_date),
    metadataUpdated: day(row.raw.meta_update_date),
    additionalAttributes: additional(row.raw.additional_json),
  };
}

/** A JDD row as the SINP model (a JDD without a CA has frameworkUuid '', which validation reports). */
export function datasetFromRow(row: WsMetaRow): Dataset {
  const v = row.values;
  const bbox = ['bbox_west', 'bbox_south', 'bbox_east', 'bbox_north'].map((k) => str(v[k]));
  const objectives = [...new Set([str(v.dataset_objectif), ...codes(row.lists.objectives)].filter((c): c is string => c !== null))];
  return {
    uuid: row.uuid,
    frameworkUuid: str(v.acquisition_framework) ?? '',
    name: str(v.dataset_name) ?? '',
    shortName: str(v.dataset_shortname) ?? '',
    description: str(v.dataset_desc) ?? '',
    dataType: str(v.data_type),
    objectives,
    collectingMethod: str(v.collecting_method),
    dataOrigin: str(v.data_origin),
    sourceStatus: str(v.source_status),
    resourceType: str(v.resource_type),
    marineDomain: bool(v.marine_domain),
    terrestrialDomain: bool(v.terrestrial_domain),
    territories: codes(row.lists.territories),
    territoryDescription: str(v.territory_desc),
    keywords: splitKeywords(str(v.keywords)),
    protocols: (row.lists.protocols ?? []).map((p) => {
      const x = p as Partial<MetaListProtocol>;
      return { uuid: x.uuid ?? null, name: String(x.name ?? ''), description: x.description ?? null, url: x.url ?? null, type: x.type ?? null };
    }),
    bbox: bbox.every((b) => b !== null) ? { west: Number(bbox[0]), south: Number(bbox[1]), east: Number(bbox[2]), north: Number(bbox[3]) } : null,
    actors: (row.lists.actors ?? []).map((a) => modelActor(a as Partial<MetaListActor>)),
    metadataCreated: day(row.raw.meta_create_date),
    metadataRevised: day(row.raw.meta_update_date),
    additionalAttributes: additional(row.raw.additional_json),
  };
}

/** The workspace's rows and their model records, in the same order (by UUID). */
export interface WorkspaceSet {
  readonly set: MetadataSet;
  readonly frameworkRows: readonly WsMetaRow[];
  readonly datasetRows: readonly WsMetaRow[];
}

/** Reads every CA and JDD (a format 1 file has JDD only, with their four v1 columns). */
export function readWorkspaceSet(db: Db): WorkspaceSet {
  const frameworkRows = hasTable(db, T.frameworks) ? readWsMeta(db, 'framework') : [];
  const datasetRows = hasTable(db, T.datasets) ? readWsMeta(db, 'dataset') : [];
  return {
    set: { frameworks: frameworkRows.map(frameworkFromRow), datasets: datasetRows.map(datasetFromRow) },
    frameworkRows,
    datasetRows,
  };
}

/**
 * The nomenclature catalog of a workspace: the built-in SINP values for every type, replaced
 * type by type by the workspace's own rows (those a pull brought from the target GeoNature), so
 * validation accepts exactly the codes the server has.
 */
export function workspaceCatalog(db: Db): NomenclatureCatalog {
  if (!hasTable(db, T.nomenclatures)) return SINP_NOMENCLATURES;
  const rows = db
    .prepare(`SELECT type_mnemonique AS type, cd_nomenclature AS code, coalesce(label_fr, label_default) AS labelFr, label_en AS labelEn, definition_fr AS definitionFr, active FROM ${T.nomenclatures} ORDER BY id`)
    .all() as Array<{ type: string; code: string; labelFr: string | null; labelEn: string | null; definitionFr: string | null; active: number | null }>;
  if (!rows.length) return SINP_NOMENCLATURES;
  const own = catalogFromRows(rows.map((r) => ({ type: r.type, code: r.code, labelFr: r.labelFr ?? r.code, labelEn: r.labelEn, definitionFr: r.definitionFr, active: r.active !== 0 })));
  return { ...SINP_NOMENCLATURES, ...own };
}

/** The French label of a code in a catalog (null when unknown). */
export function catalogLabel(catalog: NomenclatureCatalog, type: string, code: string | null): string | null {
  if (code === null) return null;
  return catalog[type]?.values.find((v) => v.code === code)?.label.fr ?? null;
}

/** Observation counts and first/last days by JDD UUID (JDD without observations are absent). */
export function observationStats(db: Db): Map<string, { observations: number; dateMin: string | null; dateMax: string | null }> {
  const rows = db
    .prepare(`SELECT dataset_uuid AS u, count(*) AS n, min(substr(date_min, 1, 10)) AS dmin, max(substr(coalesce(date_max, date_min), 1, 10)) AS dmax FROM ${T.observations} GROUP BY dataset_uuid`)
    .all() as Array<{ u: string | null; n: number; dmin: string | null; dmax: string | null }>;
  return new Map(rows.filter((r) => r.u !== null).map((r) => [r.u as string, { observations: r.n, dateMin: r.dmin, dateMax: r.dmax }]));
}
