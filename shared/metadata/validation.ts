/**
 * Validation of CA and JDD as pure rules: a set of records in, a list of issues out.
 *
 * Each issue names the record (entity, UUID, position), the field (a path such as
 * `actors[2].email`), the rule and its parameters; {@link formatIssue} turns it into a French or
 * English message and a fix. Nothing here reads a database or a clock: the nomenclature catalog,
 * the CA known outside the set (on the server) and "today" are options, so the same input always
 * gives the same issues in the same order (records in input order, CA before JDD, rules in field
 * order).
 *
 * Sources of the rules: SINP metadata standard as GeoNature implements it (required fields of the
 * CA/JDD forms and NOT NULL columns, standards-reference.md §2.2), gn_meta constraints (actor
 * CHECK and UNIQUE, varchar(255), geonature-reference.md §1), and what real MTD exports get
 * wrong (filler texts "null" and "A renseigner", 1900-01-01 dates, 0,0,0,0 extents, two e-mail
 * addresses in one actor).
 */
import { z } from 'zod';
import { ENTITY_LABELS, RULES, fieldLabel, interpolate, type MessageParams, type MetadataRuleId } from './messages.js';
import { ROLE, actorDisplayName, isIsoDate, isUuid } from './model.js';
import { SINP_NOMENCLATURES, nomenclatureLabel, type Lang, type NomenclatureCatalog } from './nomenclatures.js';
import type { AcquisitionFramework, Dataset, MetadataActor, MetadataSet } from './schemas.js';

/** How serious an issue is: errors block a push or an export to the SINP, warnings do not. */
export type Severity = 'error' | 'warning';

/** One problem found in one field of one record. */
export interface MetadataIssue {
  readonly severity: Severity;
  readonly entity: 'framework' | 'dataset';
  /** The record's UUID as given (may itself be the problem). */
  readonly uuid: string;
  /** The record's position in the input list (frameworks or datasets). */
  readonly index: number;
  /** The field path: `name`, `objectives[0]`, `actors[2].email`. */
  readonly field: string;
  readonly rule: MetadataRuleId;
  /** i18n key prefix: `metadata.rules.<rule>` (`.message` and `.fix`). */
  readonly key: string;
  readonly params: MessageParams;
}

/** The zod schema of an issue, for the contract. */
export const MetadataIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  entity: z.enum(['framework', 'dataset']),
  uuid: z.string(),
  index: z.number().int().nonnegative(),
  field: z.string(),
  rule: z.enum(Object.keys(RULES) as [MetadataRuleId, ...MetadataRuleId[]]),
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/** The outcome of a validation. */
export interface MetadataValidationReport {
  readonly issues: readonly MetadataIssue[];
  readonly errors: number;
  readonly warnings: number;
  /** True when there is no error (warnings allowed). */
  readonly valid: boolean;
}

/** The zod schema of a report, for the contract. */
export const MetadataValidationReportSchema = z.object({
  issues: z.array(MetadataIssueSchema),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  valid: z.boolean(),
});

/** What the rules need besides the records. */
export interface ValidationOptions {
  /** The codes each nomenclature type allows. @default SINP_NOMENCLATURES */
  readonly catalog?: NomenclatureCatalog;
  /** CA UUIDs that exist outside the set (on the server): a JDD may point to them. */
  readonly knownFrameworkUuids?: readonly string[];
  /** Today as YYYY-MM-DD, to flag metadata dates in the future; no such rule without it. */
  readonly today?: string;
  /** Language of the labels put in parameters (nomenclature type, role, entity). @default 'fr' */
  readonly lang?: Lang;
}

/** Values that mean "nothing" in real records: the MTD application writes "null" and "A renseigner". */
const PLACEHOLDERS = new Set(['null', 'a renseigner', 'à renseigner', 'a completer', 'a compléter', 'à compléter', 'n/a', 'na', 'nc', 'todo', 'xxx', '-', '.', '?']);

/** GeoNature limits: varchar(255) columns, and the JDD form's 150/30 characters. */
const DB_MAX = 255;
const FORM_MAX_DATASET_NAME = 150;
const FORM_MAX_SHORTNAME = 30;

const EMAIL_RE = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;
const URL_RE = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
const FILLER_DATE_MAX = '1900-01-01';

type Entity = 'framework' | 'dataset';

/** Collects issues for one record. */
class Collector {
  readonly issues: MetadataIssue[] = [];
  constructor(
    private readonly entity: Entity,
    private readonly uuid: string,
    private readonly index: number,
  ) {}

  add(field: string, rule: MetadataRuleId, params: MessageParams = {}, severity: Severity = RULES[rule].severity): void {
    this.issues.push({ severity, entity: this.entity, uuid: this.uuid, index: this.index, field, rule, key: `metadata.rules.${rule}`, params });
  }
}

const blank = (v: string | null | undefined): boolean => v === null || v === undefined || v.trim() === '';

function checkText(c: Collector, field: string, value: string | null, required: boolean, max = DB_MAX): void {
  if (blank(value)) {
    if (required) c.add(field, 'required');
    return;
  }
  const v = (value as string).trim();
  if (PLACEHOLDERS.has(v.toLowerCase())) c.add(field, 'text.placeholder', { value: v });
  if (value !== null && value.length > max) c.add(field, 'text.tooLong', { length: value.length, max });
}

function checkCode(c: Collector, field: string, value: string | null, type: string, required: boolean, o: Resolved): void {
  if (blank(value)) {
    if (required) c.add(field, 'required');
    return;
  }
  const known = o.catalog[type];
  if (known && !known.values.some((v) => v.code === value)) {
    c.add(field, 'code.unknown', { code: value, type, typeLabel: known.label[o.lang] });
  }
}

function checkCodes(c: Collector, field: string, values: readonly string[], type: string, required: boolean, o: Resolved): void {
  if (values.length === 0) {
    if (required) c.add(field, 'required');
    return;
  }
  const seen = new Set<string>();
  values.forEach((v, i) => {
    checkCode(c, `${field}[${i}]`, v, type, true, o);
    if (seen.has(v)) c.add(`${field}[${i}]`, 'list.duplicate', { value: v });
    seen.add(v);
  });
}

function checkDate(c: Collector, field: string, value: string | null, required: boolean, o: Resolved, metadataDate = false): boolean {
  if (blank(value)) {
    if (required) c.add(field, 'required');
    return false;
  }
  const v = value as string;
  if (!isIsoDate(v)) {
    c.add(field, 'date.format', { value: v });
    return false;
  }
  if (v <= FILLER_DATE_MAX) c.add(field, 'date.placeholder', { value: v });
  if (metadataDate && o.today && v > o.today) c.add(field, 'date.future', { value: v, today: o.today });
  return true;
}

function checkOrder(c: Collector, entity: Entity, startField: string, start: string | null, endField: string, end: string | null, o: Resolved, ok: boolean): void {
  if (ok && start !== null && end !== null && end < start) {
    c.add(endField, 'date.order', { start, end, startField: fieldLabel(entity, startField, o.lang) });
  }
}

function checkUuid(c: Collector, field: string, value: string | null, required: boolean): boolean {
  if (blank(value)) {
    if (required) c.add(field, 'required');
    return false;
  }
  if (!isUuid((value as string).trim())) {
    c.add(field, 'uuid.format', { value });
    return false;
  }
  return true;
}

function checkUrl(c: Collector, field: string, value: string | null): void {
  if (!blank(value) && !URL_RE.test((value as string).trim())) c.add(field, 'url.format', { value });
}

function checkActors(c: Collector, actors: readonly MetadataActor[], o: Resolved): void {
  const seen = new Map<string, number>();
  actors.forEach((a, i) => {
    const at = (f: string) => `actors[${i}].${f}`;
    checkCode(c, at('role'), a.role, 'ROLE_ACTEUR', true, o);
    if (blank(a.person) && blank(a.organism)) c.add(`actors[${i}]`, 'actor.identity');
    if (!blank(a.person)) checkText(c, at('person'), a.person, false);
    if (!blank(a.organism)) checkText(c, at('organism'), a.organism, false);
    if (!blank(a.email)) {
      const e = (a.email as string).trim();
      if (PLACEHOLDERS.has(e.toLowerCase())) c.add(at('email'), 'text.placeholder', { value: e });
      else if (!EMAIL_RE.test(e)) c.add(at('email'), 'actor.email', { value: e });
    }
    if (!blank(a.organismUuid)) checkUuid(c, at('organismUuid'), a.organismUuid, false);
    const identity = `${a.role ?? ''}|${(a.person ?? '').trim().toLowerCase()}|${(a.organism ?? '').trim().toLowerCase()}`;
    if (!(blank(a.person) && blank(a.organism))) {
      if (seen.has(identity)) {
        c.add(`actors[${i}]`, 'actor.duplicate', { name: actorDisplayName(a), role: nomenclatureLabel(o.catalog, 'ROLE_ACTEUR', a.role, o.lang) ?? a.role ?? '' });
      } else seen.set(identity, i);
    }
  });
  const mains = actors.filter((a) => a.role === ROLE.MAIN_CONTACT).length;
  if (mains === 0) c.add('actors', 'contact.missing');
  else if (mains > 1) c.add('actors', 'contact.multiple', { count: mains });
}

function checkKeywords(c: Collector, keywords: readonly string[]): void {
  const seen = new Set<string>();
  keywords.forEach((k, i) => {
    const norm = k.trim().toLowerCase();
    if (norm === '') return;
    if (seen.has(norm)) c.add(`keywords[${i}]`, 'list.duplicate', { value: k.trim() });
    seen.add(norm);
  });
}

interface Resolved {
  readonly catalog: NomenclatureCatalog;
  readonly known: ReadonlySet<string>;
  readonly today: string | undefined;
  readonly lang: Lang;
}

function validateFrameworkRecord(ca: AcquisitionFramework, index: number, byUuid: ReadonlyMap<string, AcquisitionFramework>, o: Resolved): MetadataIssue[] {
  const c = new Collector('framework', ca.uuid, index);
  checkUuid(c, 'uuid', ca.uuid, true);
  checkText(c, 'name', ca.name, true);
  checkText(c, 'description', ca.description, true, Number.POSITIVE_INFINITY);
  if (!blank(ca.parentUuid)) {
    const parent = (ca.parentUuid as string).trim().toLowerCase();
    if (checkUuid(c, 'parentUuid', ca.parentUuid, false)) {
      if (parent === ca.uuid.trim().toLowerCase()) c.add('parentUuid', 'parent.self');
      else {
        const p = byUuid.get(parent);
        if (!p) {
          if (!o.known.has(parent)) c.add('parentUuid', 'parent.missing', { value: ca.parentUuid });
        } else {
          if (!p.isMetaFramework) c.add('parentUuid', 'parent.notMeta', { name: p.name });
          const path = cyclePath(ca, byUuid);
          if (path) c.add('parentUuid', 'parent.cycle', { path });
        }
      }
    }
  }
  checkCode(c, 'territorialLevel', ca.territorialLevel, 'NIVEAU_TERRITORIAL', true, o);
  checkCode(c, 'financingType', ca.financingType, 'TYPE_FINANCEMENT', true, o);
  checkCodes(c, 'objectives', ca.objectives, 'CA_OBJECTIFS', true, o);
  checkCodes(c, 'territories', ca.territories, 'TERRITOIRE', true, o);
  checkKeywords(c, ca.keywords);
  checkCodes(c, 'voletsSinp', ca.voletsSinp, 'VOLET_SINP', false, o);
  ca.publications.forEach((p, i) => {
    checkText(c, `publications[${i}].reference`, p.reference, true, Number.POSITIVE_INFINITY);
    checkUrl(c, `publications[${i}].url`, p.url);
  });
  checkActors(c, ca.actors, o);
  const startOk = checkDate(c, 'startDate', ca.startDate, true, o);
  const endOk = checkDate(c, 'endDate', ca.endDate, false, o);
  checkOrder(c, 'framework', 'startDate', ca.startDate, 'endDate', ca.endDate, o, startOk && endOk);
  const createdOk = checkDate(c, 'metadataCreated', ca.metadataCreated, false, o, true);
  const updatedOk = checkDate(c, 'metadataUpdated', ca.metadataUpdated, false, o, true);
  checkOrder(c, 'framework', 'metadataCreated', ca.metadataCreated, 'metadataUpdated', ca.metadataUpdated, o, createdOk && updatedOk);
  return c.issues;
}

/** The chain of names when following parents from `ca` comes back to it, else null. */
function cyclePath(ca: AcquisitionFramework, byUuid: ReadonlyMap<string, AcquisitionFramework>): string | null {
  const start = ca.uuid.trim().toLowerCase();
  const names = [ca.name];
  const visited = new Set<string>([start]);
  let current = ca;
  while (current.parentUuid) {
    const next = current.parentUuid.trim().toLowerCase();
    if (next === start) return [...names, ca.name].join(' → ');
    if (visited.has(next)) return null;
    visited.add(next);
    const p = byUuid.get(next);
    if (!p) return null;
    names.push(p.name);
    current = p;
  }
  return null;
}

function validateDatasetRecord(jdd: Dataset, index: number, byUuid: ReadonlyMap<string, AcquisitionFramework>, o: Resolved): MetadataIssue[] {
  const c = new Collector('dataset', jdd.uuid, index);
  checkUuid(c, 'uuid', jdd.uuid, true);
  if (checkUuid(c, 'frameworkUuid', jdd.frameworkUuid, true)) {
    const key = jdd.frameworkUuid.trim().toLowerCase();
    const ca = byUuid.get(key);
    if (!ca) {
      if (!o.known.has(key)) c.add('frameworkUuid', 'framework.missing', { value: jdd.frameworkUuid });
    } else if (ca.isMetaFramework) c.add('frameworkUuid', 'framework.isMeta', { name: ca.name });
  }
  checkText(c, 'name', jdd.name, true);
  if (jdd.name.length > FORM_MAX_DATASET_NAME && jdd.name.length <= DB_MAX) c.add('name', 'text.long', { length: jdd.name.length, max: FORM_MAX_DATASET_NAME });
  checkText(c, 'shortName', jdd.shortName, true);
  if (jdd.shortName.length > FORM_MAX_SHORTNAME && jdd.shortName.length <= DB_MAX) c.add('shortName', 'text.long', { length: jdd.shortName.length, max: FORM_MAX_SHORTNAME });
  checkText(c, 'description', jdd.description, true, Number.POSITIVE_INFINITY);
  checkCode(c, 'dataType', jdd.dataType, 'DATA_TYP', true, o);
  checkCodes(c, 'objectives', jdd.objectives, 'JDD_OBJECTIFS', true, o);
  if (jdd.objectives.length > 1) c.add('objectives', 'objectives.multiple', { count: jdd.objectives.length, first: jdd.objectives[0] ?? '' });
  checkCode(c, 'collectingMethod', jdd.collectingMethod, 'METHO_RECUEIL', true, o);
  checkCode(c, 'dataOrigin', jdd.dataOrigin, 'DS_PUBLIQUE', true, o);
  checkCode(c, 'sourceStatus', jdd.sourceStatus, 'STATUT_SOURCE', true, o);
  checkCode(c, 'resourceType', jdd.resourceType, 'RESOURCE_TYP', true, o);
  if (jdd.marineDomain === null) c.add('marineDomain', 'required');
  if (jdd.terrestrialDomain === null) c.add('terrestrialDomain', 'required');
  if (jdd.marineDomain === false && jdd.terrestrialDomain === false) c.add('terrestrialDomain', 'domain.none');
  checkCodes(c, 'territories', jdd.territories, 'TERRITOIRE', true, o);
  checkKeywords(c, jdd.keywords);
  jdd.protocols.forEach((p, i) => {
    checkText(c, `protocols[${i}].name`, p.name, true);
    if (!blank(p.uuid)) checkUuid(c, `protocols[${i}].uuid`, p.uuid, false);
    checkUrl(c, `protocols[${i}].url`, p.url);
    checkCode(c, `protocols[${i}].type`, p.type, 'TYPE_PROTOCOLE', false, o);
  });
  if (jdd.bbox) {
    const { west, south, east, north } = jdd.bbox;
    const params = { west, south, east, north };
    if (west === 0 && south === 0 && east === 0 && north === 0) c.add('bbox', 'bbox.empty', params);
    else if ([west, east].some((x) => x < -180 || x > 180) || [south, north].some((y) => y < -90 || y > 90)) c.add('bbox', 'bbox.range', params);
    else {
      if (south > north) c.add('bbox', 'bbox.order', params);
      if (west > east) c.add('bbox', 'bbox.antimeridian', params);
    }
  }
  checkActors(c, jdd.actors, o);
  const createdOk = checkDate(c, 'metadataCreated', jdd.metadataCreated, false, o, true);
  const revisedOk = checkDate(c, 'metadataRevised', jdd.metadataRevised, false, o, true);
  checkOrder(c, 'dataset', 'metadataCreated', jdd.metadataCreated, 'metadataRevised', jdd.metadataRevised, o, createdOk && revisedOk);
  return c.issues;
}

/** Issues of UUIDs used twice, on the later record, pointing to the first. */
function duplicateUuids(set: MetadataSet, o: Resolved): MetadataIssue[][] {
  const first = new Map<string, { entity: Entity; index: number; name: string }>();
  const out: MetadataIssue[][] = [];
  const walk = (entity: Entity, records: readonly { uuid: string; name: string }[]) => {
    records.forEach((r, index) => {
      const key = r.uuid.trim().toLowerCase();
      const c = new Collector(entity, r.uuid, index);
      const prev = key ? first.get(key) : undefined;
      if (prev) {
        c.add('uuid', 'uuid.duplicate', { value: r.uuid, otherEntity: ENTITY_LABELS[prev.entity][o.lang], otherIndex: prev.index, otherName: prev.name });
      } else if (key) first.set(key, { entity, index, name: r.name });
      out.push(c.issues);
    });
  };
  walk('framework', set.frameworks);
  walk('dataset', set.datasets);
  return out;
}

/**
 * Validates a set of CA and JDD: every rule of every record, plus the rules across records
 * (UUIDs unique, a JDD's CA exists, méta-cadre parents).
 */
export function validateMetadata(set: MetadataSet, options: ValidationOptions = {}): MetadataValidationReport {
  const o: Resolved = {
    catalog: options.catalog ?? SINP_NOMENCLATURES,
    known: new Set((options.knownFrameworkUuids ?? []).map((u) => u.trim().toLowerCase())),
    today: options.today,
    lang: options.lang ?? 'fr',
  };
  const byUuid = new Map<string, AcquisitionFramework>();
  for (const ca of set.frameworks) {
    const key = ca.uuid.trim().toLowerCase();
    if (key && !byUuid.has(key)) byUuid.set(key, ca);
  }
  const dup = duplicateUuids(set, o);
  const issues: MetadataIssue[] = [];
  // Per record: its UUID issues first (format, then duplicate), then the other fields in order.
  const push = (own: readonly MetadataIssue[], duplicate: readonly MetadataIssue[] = []) =>
    issues.push(...own.filter((x) => x.field === 'uuid'), ...duplicate, ...own.filter((x) => x.field !== 'uuid'));
  set.frameworks.forEach((ca, i) => push(validateFrameworkRecord(ca, i, byUuid, o), dup[i]));
  set.datasets.forEach((jdd, i) => push(validateDatasetRecord(jdd, i, byUuid, o), dup[set.frameworks.length + i]));
  const errors = issues.filter((x) => x.severity === 'error').length;
  return { issues, errors, warnings: issues.length - errors, valid: errors === 0 };
}

/**
 * Validates one record in the context of a set (for a form): the issues of that record only,
 * cross-record rules included. The record replaces the one with the same position, or is added.
 */
export function validateRecord(
  entity: 'framework' | 'dataset',
  record: AcquisitionFramework | Dataset,
  index: number,
  set: MetadataSet,
  options: ValidationOptions = {},
): MetadataIssue[] {
  const frameworks = [...set.frameworks];
  const datasets = [...set.datasets];
  if (entity === 'framework') frameworks[index] = record as AcquisitionFramework;
  else datasets[index] = record as Dataset;
  return validateMetadata({ frameworks, datasets }, options).issues.filter((x) => x.entity === entity && x.index === index);
}

/** An issue as text: the field label, the message and the fix, in one language. */
export interface FormattedIssue {
  readonly severity: Severity;
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/** Turns an issue into its message and fix in `lang` (the field shown by its label). */
export function formatIssue(issue: MetadataIssue, lang: Lang): FormattedIssue {
  const field = fieldLabel(issue.entity, issue.field, lang);
  const params = { ...issue.params, field };
  const texts = RULES[issue.rule][lang];
  return { severity: issue.severity, field, message: interpolate(texts.message, params), fix: interpolate(texts.fix, params) };
}
