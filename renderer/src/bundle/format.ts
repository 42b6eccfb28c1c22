import { GATE_CHECK_TITLES, GATE_FINDINGS, type GateCheckId } from '../../../shared/bundle/gate.js';
import { defaultPreset, presetProblems, type BundleMetadataFormat, type BundlePreset, type PresetProblem } from '../../../shared/bundle/presets.js';
import type { BundlePresetList } from '../../../shared/contract/index.js';
import { NOTES, formatNote, type MetadataNote } from '../../../shared/metadata/messages.js';

export type Lang = 'fr' | 'en';

/** The UI language as the engine's bilingual texts name it. */
export const langOf = (language: string | undefined): Lang => (language?.startsWith('en') ? 'en' : 'fr');

/**
 * The gate's finding texts as i18n resources (`bundle.finding.<key>`, the key being the finding's
 * `key`, e.g. `leaks.found`): nested objects, so that i18next resolves the dotted key.
 */
export function findingResources(lang: Lang): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [key, text] of Object.entries(GATE_FINDINGS)) {
    const dot = key.indexOf('.');
    const group = key.slice(0, dot);
    (out[group] ??= {})[key.slice(dot + 1)] = text[lang];
  }
  return out;
}

/** The gate's check titles as i18n resources (`bundle.check.<id>`). */
export function checkTitleResources(lang: Lang): Record<GateCheckId, string> {
  return Object.fromEntries(Object.entries(GATE_CHECK_TITLES).map(([id, t]) => [id, t[lang]])) as Record<GateCheckId, string>;
}

/** A size for people: `812 o`, `12,4 Ko`, `3,2 Mo` (or B, kB, MB). */
export function formatBytes(n: number, lang: Lang): string {
  const units = lang === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'kB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  const text = u === 0 ? String(v) : v.toLocaleString(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return `${text} ${units[u]}`;
}

/** The first characters of a sha256, as the summary shows them. */
export const shaPrefix = (sha: string): string => sha.slice(0, 12);

/** A `.zip` path (the build writes a zip there; anything else is a folder). */
export const isZipPath = (p: string): boolean => /\.zip$/i.test(p.trim());

/** The moment of a bundle as the wizard accepts it: a day, or an ISO 8601 date-time. */
export const AS_OF_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * A note of the metadata writers (`iso19139: export.noContact {"format":"ISO 19139"}`), in the UI
 * language through the metadata texts; the note itself when it has another shape.
 */
export function noteText(note: string, lang: Lang): string {
  const m = /^([\w-]+): ([\w.]+) (\{.*\})$/.exec(note);
  if (!m) return note;
  const [, format, id, json] = m as unknown as [string, string, string, string];
  if (!(id in NOTES)) return note;
  try {
    const params = JSON.parse(json) as MetadataNote['params'];
    return `${format} · ${formatNote({ id: id as MetadataNote['id'], params }, lang)}`;
  } catch {
    return note;
  }
}

/** What the wizard knows of a file the user gave (read once to check it is a table). */
export interface GivenFile {
  path: string;
  /** Data rows, when the file could be read as a table. */
  rows: number | null;
  columns: string[];
  encoding: string | null;
}

/** Everything the wizard keeps between steps (and while the map is on screen). */
export interface WizardState {
  step: number;
  /** Name of the preset chosen in the list (the working preset starts from it). */
  selected: string;
  preset: BundlePreset;
  saveName: string;
  /** Sensitivity rules: the workspace's own (pulled, loaded, local), or files given for this bundle. */
  sensMode: 'workspace' | 'files';
  referentials: GivenFile[];
  taxonomy: GivenFile | null;
  asOf: string;
  out: string;
  previous: string;
}

export const INITIAL_WIZARD: WizardState = {
  step: 0,
  selected: 'opendata',
  preset: defaultPreset('opendata'),
  saveName: '',
  sensMode: 'files',
  referentials: [],
  taxonomy: null,
  asOf: '',
  out: '',
  previous: '',
};

/** A free text field of the preset: null when blank. */
export const textOrNull = (s: string): string | null => (s.trim() ? s : null);

/** The preset problems the wizard shows (the pseudonym key is made by saving the preset: a hint, not a problem). */
export function wizardProblems(p: BundlePreset): PresetProblem[] {
  return presetProblems(p).filter((x) => x.code !== 'pseudonym-key');
}

/** What a preview or a build reads besides the preset's own fields (`BuildSources` of the contract). */
export interface WizardSources {
  workspace: string;
  preset: { preset: BundlePreset };
  referentials: string[];
  taxonomy?: string;
  asOf?: string;
}

/** The sources of a preview or a build, from the wizard's state. */
export function buildSources(w: WizardState, workspace: string): WizardSources {
  const files = w.sensMode === 'files';
  const asOf = w.asOf.trim();
  return {
    workspace,
    preset: { preset: { ...w.preset, pseudonymKey: null } },
    referentials: files ? w.referentials.map((f) => f.path) : [],
    ...(files && w.taxonomy ? { taxonomy: w.taxonomy.path } : {}),
    ...(asOf ? { asOf } : {}),
  };
}

/** A key of what a preview was computed from: a different key means the preview is out of date. */
export const sourcesKey = (w: WizardState, workspace: string): string => JSON.stringify(buildSources(w, workspace));

/** The presets in the order the wizard lists them: the three audiences, then the user's by name. */
export function orderedPresets(list: BundlePresetList['presets']): BundlePresetList['presets'] {
  const rank = (name: string) => ['opendata', 'partners', 'sinp'].indexOf(name);
  return [...list].sort((a, b) => {
    const ra = a.builtin ? rank(a.preset.name) : 99;
    const rb = b.builtin ? rank(b.preset.name) : 99;
    return ra - rb || a.preset.name.localeCompare(b.preset.name);
  });
}

/** Metadata formats with their names. */
export const METADATA_LABELS: Readonly<Record<BundleMetadataFormat, string>> = {
  iso19139: 'ISO 19139',
  mtd: 'MTD (SINP)',
  eml: 'EML',
  dcat: 'DCAT-AP',
  schemaorg: 'schema.org',
};

export const FORMAT_LABELS: Readonly<Record<BundlePreset['formats'][number], string>> = {
  gpkg: 'GeoPackage',
  csv: 'CSV',
  geojson: 'GeoJSON',
  dwca: 'Darwin Core Archive',
};
