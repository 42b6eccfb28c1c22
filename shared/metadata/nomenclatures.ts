/**
 * The nomenclature catalog: for each SINP type (mnemonique), its values as code → French and
 * English labels.
 *
 * CA/JDD fields hold SINP codes (`'3'`, `'7.2'`, `'METROP'`, `'Pu'`), never an install's
 * id_nomenclature, so a catalog is all validation and the exports need to check a code and show
 * its label. {@link SINP_NOMENCLATURES} is built from the generated INPN data; a workspace that
 * pulled its nomenclatures from a GeoNature database can build its own with
 * {@link catalogFromRows} and pass it instead.
 */
import { SINP_NOMENCLATURE_DATA } from './nomenclature-data.js';
import { NOMENCLATURE_LABELS_EN } from './nomenclature-labels-en.js';
import { METADATA_NOMENCLATURE_TYPES } from './nomenclature-types.js';

/** The two languages of the app. */
export type Lang = 'fr' | 'en';

/** A text in French and English. */
export interface Bilingual {
  readonly fr: string;
  readonly en: string;
}

/** One value of a type. `definition` is the source's French definition (none exists in English). */
export interface NomenclatureEntry {
  readonly code: string;
  readonly label: Bilingual;
  readonly definition: string | null;
}

/** One type: its label and its values, in the source's order. */
export interface NomenclatureTypeEntry {
  readonly label: Bilingual;
  readonly values: readonly NomenclatureEntry[];
}

/** Types by mnemonique. Plain JSON, so a catalog can cross the contract to the UI's pickers. */
export type NomenclatureCatalog = Readonly<Record<string, NomenclatureTypeEntry>>;

function buildSinpCatalog(): NomenclatureCatalog {
  const catalog: Record<string, NomenclatureTypeEntry> = {};
  for (const type of METADATA_NOMENCLATURE_TYPES) {
    const data = SINP_NOMENCLATURE_DATA[type];
    const en = NOMENCLATURE_LABELS_EN[type];
    catalog[type] = {
      label: { fr: data.label, en: en.label },
      values: data.values
        .filter((v) => v.active !== false)
        .map((v) => ({ code: v.code, label: { fr: v.label, en: en.values[v.code] ?? v.label }, definition: v.definition })),
    };
  }
  return catalog;
}

/** The SINP values of the INPN referential for every type CA/JDD use (with our English labels). */
export const SINP_NOMENCLATURES: NomenclatureCatalog = buildSinpCatalog();

/** The value `code` of `type`, or undefined when the catalog does not have it. */
export function nomenclatureEntry(catalog: NomenclatureCatalog, type: string, code: string): NomenclatureEntry | undefined {
  return catalog[type]?.values.find((v) => v.code === code);
}

/** True when `code` is a value of `type` in the catalog. */
export function isKnownCode(catalog: NomenclatureCatalog, type: string, code: string): boolean {
  return nomenclatureEntry(catalog, type, code) !== undefined;
}

/** The label of a code in a language, or null when the catalog does not know the code. */
export function nomenclatureLabel(catalog: NomenclatureCatalog, type: string, code: string | null, lang: Lang): string | null {
  if (code === null) return null;
  return nomenclatureEntry(catalog, type, code)?.label[lang] ?? null;
}

/** A nomenclature row as a workspace or a GeoNature database gives it (ref_nomenclatures.t_nomenclatures). */
export interface NomenclatureRow {
  readonly type: string;
  readonly code: string;
  readonly labelFr: string;
  readonly labelEn?: string | null;
  readonly definitionFr?: string | null;
  readonly active?: boolean;
}

/**
 * A catalog from nomenclature rows (e.g. those a workspace pulled from GeoNature), so validation
 * accepts exactly the codes the target database has.
 *
 * A row without an English label takes Passerelle's translation of that code, then the French
 * label. Inactive rows are left out; rows keep their order within a type.
 */
export function catalogFromRows(rows: readonly NomenclatureRow[]): NomenclatureCatalog {
  const byType = new Map<string, NomenclatureEntry[]>();
  for (const r of rows) {
    if (r.active === false) continue;
    const list = byType.get(r.type) ?? [];
    if (list.some((v) => v.code === r.code)) continue;
    const known = (NOMENCLATURE_LABELS_EN as Readonly<Record<string, { values: Readonly<Record<string, string>> }>>)[r.type];
    list.push({
      code: r.code,
      label: { fr: r.labelFr, en: r.labelEn ?? known?.values[r.code] ?? r.labelFr },
      definition: r.definitionFr ?? null,
    });
    byType.set(r.type, list);
  }
  const catalog: Record<string, NomenclatureTypeEntry> = {};
  for (const [type, values] of byType) {
    catalog[type] = { label: SINP_NOMENCLATURES[type]?.label ?? { fr: type, en: type }, values };
  }
  return catalog;
}
