import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BUILTIN_PROFILES, ENV_SECRET, PublishProfile, profileProblems, secretKeyFor, type PublishProfileInput } from '../../../shared/publish/profiles.js';
import type { PublishProfileList } from '../../../shared/contract/schemas/publish.js';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';

/**
 * Publishing profiles, in PASSERELLE_HOME/publish-profiles.json: the user's own (a regional udata
 * portal, the park's GeoNetwork). Never a secret: the schema is strict, so a file with an API key
 * or a password in it is refused rather than read.
 */
const ProfilesFile = z.object({ version: z.literal(1), profiles: z.array(PublishProfile) }).strict();

export function profilesPath(home: string): string {
  return join(home, 'publish-profiles.json');
}

function readSaved(home: string): PublishProfile[] {
  const file = profilesPath(home);
  if (!existsSync(file)) return [];
  try {
    return ProfilesFile.parse(JSON.parse(readFileSync(file, 'utf8'))).profiles;
  } catch (e) {
    const reason = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    throw new AppError('CORRUPT', `The publishing profiles file ${file} is unreadable: ${reason}`, { key: 'errors.PUBLISH_PROFILES_UNREADABLE', params: { path: file, reason }, where: file, cause: e });
  }
}

/** Built-in profiles, then the saved ones by name. */
export function listProfiles(home: string): PublishProfileList {
  const saved = readSaved(home).sort((a, b) => a.name.localeCompare(b.name));
  const view = (p: PublishProfile, builtin: boolean) => ({ profile: p, builtin, secretKey: secretKeyFor(p.name), envVariable: ENV_SECRET[p.target], problems: profileProblems(p) });
  return { profiles: [...BUILTIN_PROFILES.map((p) => view(p, true)), ...saved.map((p) => view(p, false))], file: profilesPath(home) };
}

/** A profile by name (NOT_FOUND when there is none). */
export function getProfile(home: string, name: string): PublishProfile {
  const p = BUILTIN_PROFILES.find((b) => b.name === name) ?? readSaved(home).find((s) => s.name === name);
  if (!p) throw new AppError('NOT_FOUND', `No publishing profile named "${name}"`, { key: 'errors.PUBLISH_PROFILE_NOT_FOUND', params: { name }, where: profilesPath(home) });
  return p;
}

const write = async (home: string, profiles: PublishProfile[]) => {
  mkdirSync(home, { recursive: true });
  await writeAtomically(profilesPath(home), (tmp) => writeFileSync(tmp, JSON.stringify({ version: 1, profiles }, null, 2) + '\n', { mode: 0o600 }));
};

/** Adds or replaces a saved profile. A built-in name is refused (its URL is fixed). */
export async function saveProfile(home: string, input: PublishProfileInput): Promise<PublishProfileList> {
  const p = PublishProfile.parse(input);
  if (BUILTIN_PROFILES.some((b) => b.name === p.name)) {
    throw new AppError('INVALID_INPUT', `"${p.name}" is a built-in profile: save yours under another name`, { key: 'errors.PUBLISH_PROFILE_BUILTIN', params: { name: p.name } });
  }
  const problems = profileProblems(p);
  if (problems.length) {
    const issues = problems.map((x) => x.message).join('; ');
    throw new AppError('INVALID_INPUT', `Publishing profile "${p.name}": ${issues}`, { key: 'errors.PUBLISH_PROFILE_INVALID', params: { name: p.name, issues } });
  }
  await write(home, [...readSaved(home).filter((s) => s.name !== p.name), p]);
  return listProfiles(home);
}

/** Deletes a saved profile (NOT_FOUND when there is none; a built-in one cannot be deleted). */
export async function deleteProfile(home: string, name: string): Promise<PublishProfileList> {
  const saved = readSaved(home);
  if (!saved.some((s) => s.name === name)) {
    if (BUILTIN_PROFILES.some((b) => b.name === name)) {
      throw new AppError('INVALID_INPUT', `"${name}" is a built-in profile and cannot be deleted`, { key: 'errors.PUBLISH_PROFILE_BUILTIN', params: { name } });
    }
    throw new AppError('NOT_FOUND', `No publishing profile named "${name}"`, { key: 'errors.PUBLISH_PROFILE_NOT_FOUND', params: { name }, where: profilesPath(home) });
  }
  await write(home, saved.filter((s) => s.name !== name));
  return listProfiles(home);
}
