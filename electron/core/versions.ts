import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);

export interface LibraryVersions {
  gdal: string | null;
  proj: string | null;
  geos: string | null;
  sqlite: string;
}

/** SQLite as linked into better-sqlite3 (the fast path for GeoPackages). */
export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

/** The loaded shared libraries' versions, read from the process map (Linux only). */
function mappedLibraryVersion(lib: 'geos' | 'proj'): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const maps = readFileSync('/proc/self/maps', 'utf8');
    // libgeos.so.3.11.1 carries GEOS's own version; libproj.so.25.9.1.1 is soname 25 + PROJ 9.1.1.
    const re = lib === 'geos' ? /libgeos\.so\.(\d+\.\d+\.\d+)/ : /libproj\.so\.\d+\.(\d+\.\d+\.\d+)/;
    return re.exec(maps)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** PROJ's version as recorded in its own database, for builds that bundle PROJ statically. */
function projDbVersion(): string | null {
  const candidates = [
    process.env.PROJ_DATA,
    process.env.PROJ_LIB,
    join(require.resolve('gdal-async/package.json'), '..', 'deps', 'libproj', 'proj', 'data'),
    '/usr/share/proj',
    '/usr/local/share/proj',
  ].filter((x): x is string => typeof x === 'string');
  for (const dir of candidates) {
    const file = join(dir, 'proj.db');
    if (!existsSync(file)) continue;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("select value from metadata where key = 'PROJ.VERSION'").get() as { value: string } | undefined;
      if (row) return row.value;
    } catch {
      // an old proj.db without the key: try the next candidate
    } finally {
      db.close();
    }
  }
  return null;
}

/**
 * Versions of GDAL, PROJ, GEOS and SQLite as this process loads them.
 *
 * gdal-async reports only GDAL's own version; PROJ and GEOS are read from the loaded
 * libraries when the platform tells (Linux), else from proj.db, else reported unknown.
 */
export function libraryVersions(): LibraryVersions {
  let gdal: string | null;
  try {
    gdal = (require('gdal-async') as { version: string }).version;
  } catch {
    gdal = null;
  }
  return {
    gdal,
    proj: mappedLibraryVersion('proj') ?? projDbVersion(),
    geos: mappedLibraryVersion('geos'),
    sqlite: sqliteVersion(),
  };
}
