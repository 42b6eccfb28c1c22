import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FieldMapping, type SavedMapping } from '../../../shared/contract/index.js';
import { MAPPING_PRESETS, presetMapping } from '../../../shared/cleanup/presets.js';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';
import { writeFileSync } from 'node:fs';

const StoreFile = z.object({ version: z.literal(1), mappings: z.array(z.object({ name: z.string(), description: z.string().nullable(), savedAt: z.string(), mapping: FieldMapping })) });

/** Saved mappings live in PASSERELLE_HOME, beside the connection profiles. */
export function mappingsFile(home: string): string {
  return join(home, 'cleanup-mappings.json');
}

function readStore(home: string): z.infer<typeof StoreFile> {
  const file = mappingsFile(home);
  if (!existsSync(file)) return { version: 1, mappings: [] };
  const parsed = StoreFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new AppError('CORRUPT', `${file} is not a valid mappings file: ${parsed.error.message}`, { key: 'errors.CLEAN_MAPPINGS_CORRUPT', params: { path: file }, where: file });
  return parsed.data;
}

/** The saved mappings and the built-in presets (the presets' own column names, as a starting point). */
export function listMappings(home: string): { mappings: SavedMapping[]; file: string } {
  const saved = readStore(home).mappings.map((m) => ({ name: m.name, builtin: false, description: m.description, savedAt: m.savedAt, mapping: m.mapping }));
  const builtin = MAPPING_PRESETS.map((p) => {
    const columns = [...new Set([...Object.values(p.fields).flatMap((c) => c.slice(0, 1)), ...Object.values(p.geometry).flatMap((c) => (c ? c.slice(0, 1) : []))])];
    return { name: p.name, builtin: true, description: p.description, savedAt: null, mapping: presetMapping(p, columns).mapping };
  });
  return { mappings: [...saved, ...builtin], file: mappingsFile(home) };
}

/** Saves (replaces) a mapping by name; built-in names are reserved. */
export async function saveMapping(home: string, name: string, mapping: FieldMapping, description: string | null): Promise<{ mappings: SavedMapping[]; file: string }> {
  if (MAPPING_PRESETS.some((p) => p.name === name)) throw new AppError('CONFLICT', `"${name}" is a built-in mapping`, { key: 'errors.CLEAN_MAPPING_BUILTIN', params: { name } });
  const store = readStore(home);
  const rest = store.mappings.filter((m) => m.name !== name);
  rest.push({ name, description, savedAt: new Date().toISOString(), mapping });
  await writeAtomically(mappingsFile(home), (tmp) => writeFileSync(tmp, JSON.stringify({ version: 1, mappings: rest }, null, 2)));
  return listMappings(home);
}

/** Deletes a saved mapping. */
export async function deleteMapping(home: string, name: string): Promise<{ mappings: SavedMapping[]; file: string }> {
  const store = readStore(home);
  if (!store.mappings.some((m) => m.name === name)) throw new AppError('NOT_FOUND', `No saved mapping "${name}"`, { key: 'errors.CLEAN_NO_MAPPING', params: { name } });
  await writeAtomically(mappingsFile(home), (tmp) => writeFileSync(tmp, JSON.stringify({ version: 1, mappings: store.mappings.filter((m) => m.name !== name) }, null, 2)));
  return listMappings(home);
}
