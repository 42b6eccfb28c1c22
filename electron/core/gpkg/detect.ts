import type Database from 'better-sqlite3';
import type { GpkgVersion } from '../../../shared/contract/index.js';
import { AppError } from '../errors.js';
import type { SqliteHeaderInfo } from './open.js';

type Db = Database.Database;

/** application_id values of the GeoPackage family (OGC 12-128r18 §1.1.1.1.1). */
export const APPLICATION_IDS = {
  GP10: 0x47503130,
  GP11: 0x47503131,
  GPKG: 0x47504b47,
} as const;

/** What an SQLite file is, as far as GeoPackage is concerned. */
export interface GpkgIdentity {
  version: GpkgVersion;
  /** "GPKG", "GP10"… or 0x-hex when the four bytes are not printable. */
  applicationId: string;
  userVersion: number;
  /** The application_id is one of the GeoPackage family. */
  applicationIdOk: boolean;
}

/** application_id as its four ASCII characters, or hex when they are not printable. */
export function applicationIdText(id: number): string {
  const bytes = [24, 16, 8, 0].map((s) => (id >>> s) & 0xff);
  return bytes.every((b) => b >= 0x20 && b < 0x7f) ? String.fromCharCode(...bytes) : `0x${(id >>> 0).toString(16).padStart(8, '0')}`;
}

/** The GeoPackage version an application_id and user_version stand for, or null. */
export function gpkgVersion(applicationId: number, userVersion: number): GpkgVersion {
  const id = applicationId >>> 0;
  if (id === APPLICATION_IDS.GP10) return '1.0';
  if (id === APPLICATION_IDS.GP11) return '1.1';
  if (id !== APPLICATION_IDS.GPKG) return null;
  if (userVersion >= 10200 && userVersion < 10300) return '1.2';
  if (userVersion >= 10300 && userVersion < 10400) return '1.3';
  if (userVersion >= 10400 && userVersion < 10500) return '1.4';
  return null;
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE").get(name) !== undefined;
}

/**
 * Decides whether an opened SQLite file is a GeoPackage, and which version.
 *
 * A file counts as a GeoPackage when its application_id says so or when it has
 * gpkg_contents / gpkg_spatial_ref_sys (old or careless writers leave application_id at 0:
 * the validator reports that, but the layers are still readable). A SpatiaLite database
 * and a plain SQLite database are refused, each with its own code.
 */
export function identifyGpkg(db: Db, header: SqliteHeaderInfo, path: string): GpkgIdentity {
  const appId = header.applicationId >>> 0;
  const applicationIdOk = (Object.values(APPLICATION_IDS) as number[]).includes(appId);
  const identity: GpkgIdentity = {
    version: gpkgVersion(appId, header.userVersion),
    applicationId: applicationIdText(appId),
    userVersion: header.userVersion,
    applicationIdOk,
  };
  if (applicationIdOk || hasTable(db, 'gpkg_contents') || hasTable(db, 'gpkg_spatial_ref_sys')) return identity;
  // SpatiaLite's own metadata tables (SpatiaLite 4+ and the legacy 2.x/3.x layout).
  if (hasTable(db, 'spatial_ref_sys') && (hasTable(db, 'geometry_columns') || hasTable(db, 'spatialite_history'))) {
    throw new AppError('SPATIALITE', `${path} is a SpatiaLite database, not a GeoPackage: convert it with "passerelle gpkg convert" to open it here`, {
      key: 'errors.SPATIALITE',
      params: { path },
      where: path,
    });
  }
  throw new AppError('NOT_GEOPACKAGE', `${path} is an SQLite database but not a GeoPackage: application_id is ${identity.applicationId} and it has no gpkg_contents table`, {
    key: 'errors.NOT_GEOPACKAGE',
    params: { path, applicationId: identity.applicationId },
    where: path,
  });
}
