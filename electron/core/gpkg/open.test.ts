import { appendFileSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, listing, sha256, tempDir } from '../../../test/helpers/gpkg-fixtures.js';
import { isAppError } from '../errors.js';
import { gdal } from './gdal.js';
import { inspectGpkg } from './inspect.js';
import { openReadOnly } from './open.js';
import { openGpkgSource, withGpkgSource } from './source.js';
import { validateGpkg } from './validate/validate.js';
import { registerGpkgFunctions } from './sql-functions.js';
import { writeGpkg } from './write.js';

/** A writable connection like another program's (QGIS, GDAL): with the ST_* functions its triggers call. */
function writer(path: string): Database.Database {
  const db = new Database(path);
  registerGpkgFunctions(db);
  return db;
}

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : `not an AppError: ${String(e)}`;
  }
  return 'no error';
}

const WGS84 = { srsId: 4326, name: 'WGS 84', organization: 'EPSG', organizationCode: 4326, definition: 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]' };

async function smallGpkg(path: string): Promise<void> {
  await writeGpkg(path, [
    {
      spec: { name: 'pts', geometryType: 'POINT', srs: WGS84, columns: [{ name: 'name', type: 'TEXT' }] },
      features: [
        { geometry: { type: 'Point', hasZ: false, hasM: false, coordinates: [6.1, 44.9] }, values: ['Écrins'] },
        { geometry: { type: 'Point', hasZ: false, hasM: false, coordinates: [6.2, 45.0] }, values: ['Vanoise'] },
      ],
    },
  ], { mode: 'create' });
}

describe('opening a file read-only', () => {
  let wal: string;
  beforeAll(async () => {
    const dir = join(tmp.dir, 'wal');
    mkdirSync(dir);
    wal = join(dir, 'mode wal é.gpkg');
    await smallGpkg(wal);
    const db = writer(wal);
    db.pragma('journal_mode = WAL');
    db.prepare("INSERT INTO pts (geom, name) SELECT geom, 'copie' FROM pts WHERE fid = 1").run();
    db.close();
  });

  it('a WAL-mode file: no -wal/-shm beside it, bytes unchanged, and its rows are read', () => {
    expect(readFileSync(wal)[18]).toBe(2); // the header says WAL
    const before = sha256(wal);
    const files = listing(join(tmp.dir, 'wal'));
    const f = openReadOnly(wal);
    expect(f.snapshotDir).not.toBeNull();
    expect((f.db.prepare('SELECT count(*) AS n FROM pts').get() as { n: number }).n).toBe(3);
    expect(listing(join(tmp.dir, 'wal'))).toEqual(files);
    f.close();
    expect(existsSync(f.snapshotDir as string)).toBe(false);
    expect(listing(join(tmp.dir, 'wal'))).toEqual(files);
    expect(sha256(wal)).toBe(before);
  });

  it('a WAL file another program holds open: its committed -wal content is seen, its files untouched', () => {
    const w = writer(wal);
    w.pragma('wal_autocheckpoint = 0');
    w.prepare("INSERT INTO pts (geom, name) SELECT geom, 'pas encore fusionné' FROM pts WHERE fid = 1").run();
    const walBefore = sha256(`${wal}-wal`);
    const shmBefore = sha256(`${wal}-shm`);
    const f = openReadOnly(wal);
    expect((f.db.prepare('SELECT count(*) AS n FROM pts').get() as { n: number }).n).toBe(4);
    f.close();
    expect(sha256(`${wal}-wal`)).toBe(walBefore);
    expect(sha256(`${wal}-shm`)).toBe(shmBefore);
    w.close();
  });

  it('a file in the middle of another program\'s transaction is read as last committed', async () => {
    const p = join(tmp.dir, 'busy.gpkg');
    await smallGpkg(p);
    const other = writer(p);
    other.exec('BEGIN IMMEDIATE');
    other.prepare("DELETE FROM pts").run();
    other.pragma('cache_spill = 1');
    const f = openReadOnly(p);
    try {
      expect((f.db.prepare('SELECT count(*) AS n FROM pts').get() as { n: number }).n).toBe(2);
    } finally {
      f.close();
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('a rollback-journal file is opened in place, and nothing appears beside it', async () => {
    const p = join(tmp.dir, 'plain.gpkg');
    await smallGpkg(p);
    const before = sha256(p);
    const files = listing(tmp.dir);
    const f = openReadOnly(p);
    expect(f.snapshotDir).toBeNull();
    expect(() => f.db.prepare("DELETE FROM pts").run()).toThrow(/readonly/);
    f.close();
    expect(listing(tmp.dir)).toEqual(files);
    expect(sha256(p)).toBe(before);
  });

  it('says which failure it is: missing, folder, random bytes, empty, truncated, corrupt', async () => {
    expect(codeOf(() => openGpkgSource(join(tmp.dir, 'absent.gpkg')))).toBe('NOT_FOUND');
    expect(codeOf(() => openGpkgSource(tmp.dir))).toBe('UNREADABLE');
    const random = join(tmp.dir, 'random.gpkg');
    writeFileSync(random, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    expect(codeOf(() => openGpkgSource(random))).toBe('NOT_SQLITE');
    const empty = join(tmp.dir, 'empty.gpkg');
    writeFileSync(empty, '');
    expect(codeOf(() => openGpkgSource(empty))).toBe('NOT_SQLITE');
    const cut = join(tmp.dir, 'cut.gpkg');
    copyFileSync(corpus('pdok__test_allcorrect.gpkg'), cut);
    truncateSync(cut, 50_000);
    expect(codeOf(() => openGpkgSource(cut))).toBe('TRUNCATED');
    const cutOnPage = join(tmp.dir, 'cut-on-page.gpkg');
    copyFileSync(corpus('pdok__test_allcorrect.gpkg'), cutOnPage);
    truncateSync(cutOnPage, 4096 * 4);
    expect(codeOf(() => openGpkgSource(cutOnPage))).toBe('TRUNCATED');
    // Garbage over the schema's pages: SQLite reports corruption.
    const bad = join(tmp.dir, 'corrupt.gpkg');
    copyFileSync(corpus('pdok__test_allcorrect.gpkg'), bad);
    const fd = openSync(bad, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, 4096);
    closeSync(fd);
    const code = codeOf(() => withGpkgSource(bad, inspectGpkg));
    expect(code).toBe('CORRUPT');
  });

  it('tells a SpatiaLite database and a plain SQLite database from a GeoPackage', () => {
    const sl = join(tmp.dir, 'spatialite.sqlite');
    const g = gdal();
    const ds = g.drivers.get('SQLite').create(sl, 0, 0, 0, g.GDT_Unknown, ['SPATIALITE=YES']);
    ds.layers.create('pts', g.SpatialReference.fromEPSG(4326), g.wkbPoint);
    ds.close();
    expect(codeOf(() => openGpkgSource(sl))).toBe('SPATIALITE');
    expect(codeOf(() => openGpkgSource(corpus('ngajs__test.gpkg')))).toBe('NOT_GEOPACKAGE');
  });

  it('reports LOCKED when another program holds an exclusive lock on the file', async () => {
    const p = join(tmp.dir, 'locked.gpkg');
    await smallGpkg(p);
    const other = writer(p);
    // A writer whose journal is in memory leaves no -journal to snapshot: the lock itself must be reported.
    other.pragma('journal_mode = MEMORY');
    other.exec('BEGIN EXCLUSIVE');
    other.prepare("UPDATE pts SET name = 'x'").run();
    try {
      expect(codeOf(() => openGpkgSource(p))).toBe('LOCKED');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('reads GeoPackage 1.4 (user_version 10400) and flags an unknown user_version', async () => {
    const p = join(tmp.dir, 'v14.gpkg');
    await smallGpkg(p);
    const db = new Database(p);
    db.pragma('user_version = 10400');
    db.close();
    const s = openGpkgSource(p);
    expect(inspectGpkg(s).version).toBe('1.4');
    s.close();
    const db2 = new Database(p);
    db2.pragma('user_version = 99999');
    db2.close();
    const s2 = openGpkgSource(p);
    const r = await validateGpkg(s2, { geometry: false, maxPerRule: 5 });
    s2.close();
    expect(r.version).toBeNull();
    expect(r.findings.map((f) => f.rule)).toContain('user-version');
  });

  it('works with accents and spaces in the path, and appends nothing to the file', async () => {
    const dir = join(tmp.dir, 'Parc des Écrins – données');
    mkdirSync(dir);
    const p = join(dir, 'relevés été 2024.gpkg');
    await smallGpkg(p);
    appendFileSync(join(dir, 'note.txt'), 'x');
    const files = listing(dir);
    const s = openGpkgSource(p);
    expect(inspectGpkg(s).layers[0]?.name).toBe('pts');
    s.close();
    expect(listing(dir)).toEqual(files);
  });
});
