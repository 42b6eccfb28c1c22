import type { MetadataCatalog, MetadataIssueView, MetadataOperation, MetadataTree, MetadataTreeDataset } from '../../../shared/contract/index.js';

/** The UI's languages, as the metadata texts carry them. */
export type Lang = 'fr' | 'en';

/** The language of the metadata texts for an i18next language ("en-GB" → en, anything else → fr). */
export function langOf(language: string | undefined): Lang {
  return language?.startsWith('en') ? 'en' : 'fr';
}

/** Lists of codes or words: an issue on one item (`objectives[1]`) is shown on the whole picker. */
const PICKER_LISTS = new Set(['objectives', 'territories', 'keywords', 'voletsSinp']);

/**
 * The form path of an issue's field path: `actors[2].email` → `actors.2.email` (Mantine form's
 * notation), `objectives[0]` → `objectives` (one picker for the list).
 */
export function formPath(field: string): string {
  const m = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!m) return field;
  const [, list = '', index = '', sub] = m;
  if (PICKER_LISTS.has(list)) return list;
  return sub ? `${list}.${index}.${sub}` : `${list}.${index}`;
}

/** The issues of one record by form path, in `lang` (several on one field are joined). */
export function issuesByPath(issues: readonly MetadataIssueView[], lang: Lang): Record<string, { message: string; severity: 'error' | 'warning' }> {
  const out: Record<string, { message: string; severity: 'error' | 'warning' }> = {};
  for (const i of issues) {
    const path = formPath(i.field);
    const prev = out[path];
    const message = i[lang].message;
    out[path] = prev
      ? { message: `${prev.message} ${message}`, severity: prev.severity === 'error' || i.severity === 'error' ? 'error' : 'warning' }
      : { message, severity: i.severity };
  }
  return out;
}

/** Top-level fields whose value differs between two records (deep, JSON-wise), in the record's order. */
export function changedFields<T extends object>(before: T, after: T): string[] {
  const keys = Object.keys(after) as (keyof T & string)[];
  return keys.filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

/** Picker options of a nomenclature type: "code – label" in `lang`, the definition as a description. */
export function nomenclatureOptions(catalog: MetadataCatalog | null, type: string, lang: Lang): { value: string; label: string }[] {
  const values = catalog?.types[type]?.values ?? [];
  return values.map((v) => ({ value: v.code, label: `${v.label[lang] || v.label.fr} (${v.code})` }));
}

/** Every JDD of a tree (under a CA or orphan). */
export function allDatasets(tree: MetadataTree | null): MetadataTreeDataset[] {
  if (!tree) return [];
  return [...tree.frameworks.flatMap((f) => f.datasets), ...tree.orphans];
}

/** The record name an operation label quotes (« … »), when it quotes one. */
function quoted(label: string): string | null {
  return /«\s*(.+?)\s*»/.exec(label)?.[1] ?? null;
}

const count = (v: unknown): number => (Array.isArray(v) ? v.length : typeof v === 'number' ? v : 0);

/**
 * What an operation did, as i18n key and parameters (`meta.op.<kind>`), from its kind and
 * summary; null when the kind is unknown (the engine's label is shown then).
 */
export function operationText(op: MetadataOperation): { key: string; params: Record<string, string | number> } | null {
  const s = (op.summary ?? {}) as Record<string, unknown>;
  const name = quoted(op.label) ?? '';
  switch (op.kind) {
    case 'put':
      return { key: s.entity === 'framework' ? 'meta.op.putFramework' : 'meta.op.putDataset', params: { name } };
    case 'split':
      return { key: 'meta.op.split', params: { name, count: count(s.created) } };
    case 'merge':
      return { key: 'meta.op.merge', params: { name, count: count(s.sources) } };
    case 'move':
      return { key: 'meta.op.move', params: { name, count: count(s.datasets) } };
    case 'reassign':
      return { key: 'meta.op.reassign', params: { name, count: count(s.moved) } };
    case 'createFramework':
      return { key: 'meta.op.createFramework', params: { name } };
    case 'bulkEdit':
      return { key: 'meta.op.bulkEdit', params: { count: count(s.datasets) } };
    case 'import':
      return { key: 'meta.op.import', params: { format: String(s.format ?? '').toUpperCase(), file: String(s.file ?? '') } };
    default:
      return null;
  }
}

/** An absolute path as the engine accepts it (POSIX, or a Windows drive path). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}
