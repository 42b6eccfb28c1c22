import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BUILTIN_PRESETS, BundlePreset, presetProblems, type BundlePresetInput } from '../../../shared/bundle/presets.js';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';

/**
 * Bundle presets, in PASSERELLE_HOME/bundle-presets.json: the user's own presets and their
 * adjustments of the built-in ones (saved under the built-in name, they replace it; deleting
 * them brings the built-in back). Parsed strictly on the way in and out.
 */
const PresetsFile = z.object({ version: z.literal(1), presets: z.array(BundlePreset) }).strict();

/** Where the presets live. */
export function presetsPath(home: string): string {
  return join(home, 'bundle-presets.json');
}

function readSaved(home: string): BundlePreset[] {
  const file = presetsPath(home);
  if (!existsSync(file)) return [];
  try {
    return PresetsFile.parse(JSON.parse(readFileSync(file, 'utf8'))).presets;
  } catch (e) {
    const reason = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    throw new AppError('CORRUPT', `The bundle presets file ${file} is unreadable: ${reason}`, {
      key: 'errors.BUNDLE_PRESETS_UNREADABLE',
      params: { path: file, reason },
      where: file,
      cause: e,
    });
  }
}

/** One preset as the wizard lists it: the preset, whether it is built in, and whether it was adjusted. */
export interface ListedPreset {
  readonly preset: BundlePreset;
  readonly builtin: boolean;
  readonly adjusted: boolean;
}

/** Built-in presets (adjusted ones as saved) then the user's, by name. */
export function listPresets(home: string): ListedPreset[] {
  const saved = readSaved(home);
  const byName = new Map(saved.map((p) => [p.name, p]));
  const out: ListedPreset[] = BUILTIN_PRESETS.map((b) => {
    const s = byName.get(b.name);
    return { preset: s ?? b, builtin: true, adjusted: s !== undefined };
  });
  const builtinNames = new Set(BUILTIN_PRESETS.map((b) => b.name));
  for (const p of saved.filter((x) => !builtinNames.has(x.name)).sort((a, b) => a.name.localeCompare(b.name))) {
    out.push({ preset: p, builtin: false, adjusted: false });
  }
  return out;
}

/** A preset by name (NOT_FOUND when there is none). */
export function getPreset(home: string, name: string): BundlePreset {
  const p = listPresets(home).find((x) => x.preset.name === name);
  if (!p) {
    throw new AppError('NOT_FOUND', `No bundle preset named "${name}"`, { key: 'errors.BUNDLE_PRESET_NOT_FOUND', params: { name } });
  }
  return p.preset;
}

async function write(home: string, presets: BundlePreset[]): Promise<void> {
  mkdirSync(home, { recursive: true });
  const body = PresetsFile.parse({ version: 1, presets });
  await writeAtomically(presetsPath(home), (tmp) => writeFileSync(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 }));
}

/**
 * Saves a preset (adds, or replaces the one of the same name). A preset that pseudonymises
 * observers gets its key here, once, and keeps it when saved again (the key of the saved
 * version wins over the caller's, which the UI never sees). Refused when the preset cannot make
 * a bundle (presetProblems), except the partners' convention, which a build may give.
 */
export async function savePreset(home: string, input: BundlePresetInput): Promise<ListedPreset[]> {
  const parsed = BundlePreset.parse(input);
  const saved = readSaved(home);
  const previous = saved.find((p) => p.name === parsed.name);
  const key = parsed.observers === 'pseudonymise' ? (previous?.pseudonymKey ?? parsed.pseudonymKey ?? randomBytes(32).toString('hex')) : (previous?.pseudonymKey ?? null);
  const preset: BundlePreset = { ...parsed, pseudonymKey: key };
  const problems = presetProblems(preset).filter((p) => p.code !== 'partners-convention');
  if (problems.length > 0) {
    const issues = problems.map((p) => p.message).join('; ');
    throw new AppError('INVALID_INPUT', `Bundle preset "${preset.name}": ${issues}`, { key: 'errors.BUNDLE_PRESET_INVALID', params: { name: preset.name, issues } });
  }
  const rest = saved.filter((p) => p.name !== preset.name);
  rest.push(preset);
  rest.sort((a, b) => a.name.localeCompare(b.name));
  await write(home, rest);
  return listPresets(home);
}

/** Deletes a saved preset; a built-in one comes back as it was. NOT_FOUND when nothing is saved under the name. */
export async function deletePreset(home: string, name: string): Promise<ListedPreset[]> {
  const saved = readSaved(home);
  if (!saved.some((p) => p.name === name)) {
    throw new AppError('NOT_FOUND', `No saved bundle preset named "${name}"`, { key: 'errors.BUNDLE_PRESET_NOT_FOUND', params: { name } });
  }
  await write(home, saved.filter((p) => p.name !== name));
  return listPresets(home);
}

/** What the UI may see of a preset: everything but the pseudonym key (replaced by whether there is one). */
export function publicPreset(p: BundlePreset): BundlePreset {
  return { ...p, pseudonymKey: null };
}
