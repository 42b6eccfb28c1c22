/**
 * What every per-JDD export derives the same way: the options parsed, the contacts picked, the
 * labels looked up, the lineage written, the dates checked.
 *
 * Picking rules (so ISO, EML, DCAT and schema.org agree):
 *  - main contact: the JDD's actor with role 1, else its metadata contact (8), else the first
 *    named actor;
 *  - metadata contact: role 8, else the main contact;
 *  - creators: producers (6), else maîtres d'œuvre (4), else the main contact;
 *  - funders: role 2 actors of the JDD, then of its CA (funding is usually recorded on the CA);
 *  - publisher: the option, else the main contact's organism.
 */
import {
  ExportContext,
  INSPIRE_THEMES,
  LICENCES,
  ROLE,
  SINP_NOMENCLATURES,
  actorDisplayName,
  isIsoDate,
  nomenclatureLabel,
  type AcquisitionFramework,
  type Dataset,
  type ExportContextInput,
  type InspireThemeId,
  type Lang,
  type Licence,
  type MetadataActor,
  type NomenclatureCatalog,
  type Publisher,
  AcquisitionFramework as FrameworkSchema,
  Dataset as DatasetSchema,
} from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { Notes } from './values.js';

/** What a per-JDD export takes. */
export interface DatasetExportInput {
  readonly dataset: Dataset;
  /** The JDD's CA, when known (its name, objectives and funders enrich the record). */
  readonly framework: AcquisitionFramework | null;
  readonly context: ExportContextInput;
  /** Labels of the codes. @default SINP_NOMENCLATURES */
  readonly catalog?: NomenclatureCatalog;
}

/** Everything derived once, for one export. */
export interface ResolvedExport {
  readonly dataset: Dataset;
  readonly framework: AcquisitionFramework | null;
  readonly ctx: ExportContext;
  readonly lang: Lang;
  readonly licence: Licence;
  readonly notes: Notes;
  readonly label: (type: string, code: string | null) => string | null;
  readonly mainContact: MetadataActor | null;
  readonly metadataContact: MetadataActor | null;
  readonly creators: readonly MetadataActor[];
  readonly funders: readonly MetadataActor[];
  readonly publisher: Publisher | null;
  readonly inspireThemes: readonly InspireThemeId[];
  readonly lineage: string;
  /** The JDD's creation and revision dates that are real dates (others noted and left out). */
  readonly created: string | null;
  readonly revised: string | null;
  /** The bbox when it is a real one (not missing, not the 0,0,0,0 filler). */
  readonly bbox: Dataset['bbox'];
}

const named = (a: MetadataActor) => actorDisplayName(a) !== '';

function zodIssues(e: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return e.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Parses the inputs and derives what the writers share.
 *
 * @throws AppError INVALID_INPUT (`metadata.errors.badRecord` / `metadata.errors.badContext`)
 */
export function resolveExport(input: DatasetExportInput, format: string): ResolvedExport {
  const ds = DatasetSchema.safeParse(input.dataset);
  if (!ds.success) {
    const issues = zodIssues(ds.error);
    throw new AppError('INVALID_INPUT', `The JDD to export does not have the expected shape: ${issues}`, { key: 'metadata.errors.badRecord', params: { what: 'JDD', issues } });
  }
  if (input.framework) {
    const fw = FrameworkSchema.safeParse(input.framework);
    if (!fw.success) {
      const issues = zodIssues(fw.error);
      throw new AppError('INVALID_INPUT', `The CA to export does not have the expected shape: ${issues}`, { key: 'metadata.errors.badRecord', params: { what: 'CA', issues } });
    }
  }
  const parsed = ExportContext.safeParse(input.context);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new AppError('INVALID_INPUT', `Invalid export options: ${issues}`, { key: 'metadata.errors.badContext', params: { issues } });
  }
  const ctx = parsed.data;
  if (!isIsoDate(ctx.metadataDate)) {
    throw new AppError('INVALID_INPUT', `Invalid export options: metadataDate ${ctx.metadataDate} is not an existing day`, {
      key: 'metadata.errors.badContext',
      params: { issues: `metadataDate: ${ctx.metadataDate}` },
    });
  }
  const dataset = input.dataset;
  const framework = input.framework;
  const catalog = input.catalog ?? SINP_NOMENCLATURES;
  const lang = ctx.language;
  const notes = new Notes();
  const label = (type: string, code: string | null) => nomenclatureLabel(catalog, type, code, lang) ?? code;

  const actors = dataset.actors.filter(named);
  const byRole = (role: string) => actors.filter((a) => a.role === role);
  const mainContact = byRole(ROLE.MAIN_CONTACT)[0] ?? byRole(ROLE.METADATA_CONTACT)[0] ?? actors[0] ?? null;
  const metadataContact = byRole(ROLE.METADATA_CONTACT)[0] ?? mainContact;
  const producers = byRole(ROLE.PRODUCER);
  const managers = byRole(ROLE.PROJECT_MANAGER);
  const creators = producers.length ? producers : managers.length ? managers : mainContact ? [mainContact] : [];
  const funders = [...byRole(ROLE.FUNDER), ...(framework?.actors.filter((a) => a.role === ROLE.FUNDER && named(a)) ?? [])].filter(
    (a, i, all) => all.findIndex((b) => actorDisplayName(b) === actorDisplayName(a)) === i,
  );
  if (!mainContact) notes.add('export.noContact', { format });
  const publisher: Publisher | null = ctx.publisher ?? (mainContact?.organism ? { name: mainContact.organism, email: null, url: null } : null);

  const dateOrNote = (field: string, value: string | null): string | null => {
    if (value === null) return null;
    if (isIsoDate(value)) return value;
    notes.add('export.invalidDateSkipped', { entity: 'dataset', field, value });
    return null;
  };
  const created = dateOrNote('metadataCreated', dataset.metadataCreated);
  const revised = dateOrNote('metadataRevised', dataset.metadataRevised);

  const b = dataset.bbox;
  const bbox = b && !(b.west === 0 && b.south === 0 && b.east === 0 && b.north === 0) ? b : null;
  if (!bbox) notes.add('export.noBbox', { format });

  const habitats = dataset.dataType === '2' || dataset.dataType === '4';
  const inspireThemes: InspireThemeId[] = ctx.inspireThemes ?? [habitats ? 'hb' : 'sd'];

  return {
    dataset,
    framework,
    ctx,
    lang,
    licence: LICENCES[ctx.licence],
    notes,
    label,
    mainContact,
    metadataContact,
    creators,
    funders,
    publisher,
    inspireThemes,
    lineage: ctx.lineage ?? buildLineage(dataset, framework, label, lang),
    created,
    revised,
    bbox,
  };
}

/**
 * A lineage statement from what the JDD says about how its data were produced: source status,
 * collecting method, protocols, and the CA. Never invents: a missing piece is left out.
 */
export function buildLineage(
  dataset: Dataset,
  framework: AcquisitionFramework | null,
  label: (type: string, code: string | null) => string | null,
  lang: Lang,
): string {
  const parts: string[] = [];
  const source = label('STATUT_SOURCE', dataset.sourceStatus);
  const method = label('METHO_RECUEIL', dataset.collectingMethod);
  if (lang === 'fr') {
    if (source) parts.push(`Source des données : ${source}.`);
    if (method) parts.push(`Méthode de recueil : ${method}.`);
    if (dataset.protocols.length) parts.push(`Protocoles : ${dataset.protocols.map((p) => p.name + (p.url ? ` (${p.url})` : '')).join(' ; ')}.`);
    if (framework) parts.push(`Données acquises dans le cadre d’acquisition SINP « ${framework.name} » (${framework.uuid}).`);
    if (parts.length === 0) parts.push('Généalogie non renseignée dans les métadonnées SINP du jeu de données.');
  } else {
    if (source) parts.push(`Data source: ${source}.`);
    if (method) parts.push(`Collection method: ${method}.`);
    if (dataset.protocols.length) parts.push(`Protocols: ${dataset.protocols.map((p) => p.name + (p.url ? ` (${p.url})` : '')).join('; ')}.`);
    if (framework) parts.push(`Data acquired within the SINP acquisition framework "${framework.name}" (${framework.uuid}).`);
    if (parts.length === 0) parts.push('No lineage given in the SINP metadata of the dataset.');
  }
  return parts.join(' ');
}

/** The INSPIRE theme labels in a language. */
export const inspireThemeLabel = (id: InspireThemeId, lang: Lang): string => INSPIRE_THEMES[id][lang];

/** The keywords of a JDD with the SINP labels that describe it (data type, objectives), duplicates dropped. */
export function allKeywords(r: ResolvedExport): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (k: string | null) => {
    const t = k?.trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  };
  r.dataset.keywords.forEach(add);
  add(r.label('DATA_TYP', r.dataset.dataType));
  r.dataset.objectives.forEach((o) => add(r.label('JDD_OBJECTIFS', o)));
  return out;
}

/** Territory labels of the JDD. */
export function territoryLabels(r: ResolvedExport): string[] {
  return r.dataset.territories.map((t) => r.label('TERRITOIRE', t) ?? t);
}
