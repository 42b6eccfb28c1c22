import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConnectionProfile } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';

/**
 * Saved GeoNature connections, in PASSERELLE_HOME/geonature-connections.json.
 *
 * The schema has no password field at all, and a profile is parsed strictly before it is
 * written, so a secret cannot end up in the file even by mistake (a test reads the file back).
 */
const ProfilesFile = z.object({ version: z.literal(1), profiles: z.array(ConnectionProfile) }).strict();

/** Where the profiles live. */
export function profilesPath(home: string): string {
  return join(home, 'geonature-connections.json');
}

/** Every saved profile; none when the file does not exist yet. */
export function listProfiles(home: string): ConnectionProfile[] {
  const file = profilesPath(home);
  if (!existsSync(file)) return [];
  try {
    return ProfilesFile.parse(JSON.parse(readFileSync(file, 'utf8'))).profiles;
  } catch (e) {
    const reason = e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e);
    throw new AppError('CORRUPT', `The saved connections file ${file} is unreadable: ${reason}`, {
      key: 'errors.GN_PROFILES_UNREADABLE',
      params: { path: file, reason },
      where: file,
      cause: e,
    });
  }
}

/** A profile by name, or NOT_FOUND. */
export function getProfile(home: string, name: string): ConnectionProfile {
  const p = listProfiles(home).find((x) => x.name === name);
  if (!p) throw new AppError('NOT_FOUND', `No saved connection named "${name}"`, { key: 'errors.GN_PROFILE_NOT_FOUND', params: { name } });
  return p;
}

async function write(home: string, profiles: ConnectionProfile[]): Promise<void> {
  mkdirSync(home, { recursive: true });
  const body = ProfilesFile.parse({ version: 1, profiles: profiles.map((p) => ConnectionProfile.parse(p)) });
  await writeAtomically(profilesPath(home), (tmp) => writeFileSync(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 }));
}

/** Adds or replaces (by name) a profile; returns them all. */
export async function saveProfile(home: string, profile: ConnectionProfile): Promise<ConnectionProfile[]> {
  const all = listProfiles(home).filter((p) => p.name !== profile.name);
  all.push(profile);
  all.sort((a, b) => a.name.localeCompare(b.name));
  await write(home, all);
  return all;
}

/** Removes a profile by name (NOT_FOUND if there is none); returns the rest. */
export async function deleteProfile(home: string, name: string): Promise<ConnectionProfile[]> {
  const all = listProfiles(home);
  if (!all.some((p) => p.name === name)) getProfile(home, name);
  const rest = all.filter((p) => p.name !== name);
  await write(home, rest);
  return rest;
}
