import { z } from 'zod';
import { ApiError } from '../errors.js';

/** Versions of the libraries the engine links, as they report themselves. */
export const LibraryVersions = z.object({
  gdal: z.string().nullable(),
  proj: z.string().nullable(),
  geos: z.string().nullable(),
  sqlite: z.string(),
});

/** What the engine can tell about the configured PostgreSQL connection (never its password). */
export const DatabaseStatus = z.object({
  /** host:port/database as configured, without credentials. */
  target: z.string(),
  reachable: z.boolean(),
  serverVersion: z.string().nullable(),
  /** PostGIS installed in that database, or null. */
  postgisVersion: z.string().nullable(),
  /** PostGIS the server could install (pg_available_extensions), or null. */
  postgisAvailable: z.string().nullable(),
  error: ApiError.nullable(),
});

export const AppInfo = z.object({
  app: z.object({ name: z.string(), version: z.string() }),
  runtime: z.object({
    node: z.string(),
    electron: z.string().nullable(),
    platform: z.string(),
    /** 'electron', 'web' or 'cli': which face is asking. */
    host: z.enum(['electron', 'web', 'cli', 'test']),
  }),
  libraries: LibraryVersions,
  database: DatabaseStatus,
  paths: z.object({
    home: z.string(),
    logFile: z.string(),
    demoWorkspace: z.string(),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const LogTail = z.object({
  path: z.string(),
  lines: z.array(z.string()),
});
export type LogTail = z.infer<typeof LogTail>;
