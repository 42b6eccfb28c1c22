import { z } from 'zod';

/**
 * The closed set of error codes that may cross a process boundary.
 *
 * Every failure the engine reports is one of these. The UI translates `details.key`
 * (with `details.params`) and the CLI maps the code to its exit status with
 * {@link exitCodeFor}. A later issue that needs a new failure adds a code here, with
 * its exit class and its French and English messages in `shared/i18n`.
 */
export const ERROR_CODES = [
  /** The input does not match the method's schema, or the method does not exist. */
  'INVALID_INPUT',
  /** A file, layer, table or record named in the input does not exist. */
  'NOT_FOUND',
  /** The file exists but cannot be read (permissions, a directory, an I/O error). */
  'UNREADABLE',
  /** The file is not an SQLite database at all. */
  'NOT_SQLITE',
  /** An SQLite database that is not a GeoPackage (no application_id, no gpkg tables). */
  'NOT_GEOPACKAGE',
  /** A GeoPackage that is not a Passerelle workspace (no passerelle_meta table). */
  'NOT_A_WORKSPACE',
  /** A workspace written by a newer Passerelle than this one. */
  'WORKSPACE_TOO_NEW',
  /** An SQLite database in SpatiaLite's format, not a GeoPackage (convert it first). */
  'SPATIALITE',
  /** The file is damaged (SQLite reports corruption). */
  'CORRUPT',
  /** The file is cut short: smaller than its header says (an interrupted copy or download). */
  'TRUNCATED',
  /** A valid request Passerelle cannot carry out without losing data (a format, a geometry type, a layer kind). */
  'UNSUPPORTED',
  /** Another program holds a lock on the file. */
  'LOCKED',
  /** The web host or the app refuses to touch a path the user did not open or choose. */
  'PATH_NOT_ALLOWED',
  /** The caller is not one we trust (an IPC sender that is not our window, a bad token). */
  'UNTRUSTED',
  /** A database or service cannot be reached. */
  'UNREACHABLE',
  /** A database or service refused our credentials. */
  'AUTH_FAILED',
  /** A database or service refused an operation for lack of privileges (a role without SELECT or UPDATE). */
  'PERMISSION_DENIED',
  /** A database is not what the operation needs (not GeoNature, a schema, table or column missing). */
  'INCOMPATIBLE',
  /** A change conflicts with what is already there (a concurrent edit, an existing file). */
  'CONFLICT',
  /** A GDAL/OGR operation failed. */
  'GDAL',
  /** The job was cancelled by the user. */
  'CANCELLED',
  /** A bug: anything we did not anticipate. */
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Parameters a message may interpolate; kept flat and JSON-safe. */
export const ErrorParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type ErrorParams = z.infer<typeof ErrorParams>;

/**
 * An error as it crosses a boundary.
 *
 * `message` is an English sentence for logs and the CLI; `details.key` selects the
 * translated sentence in the UI, filled with `details.params`. `details.where` says
 * where the problem is (a file path, a table, a line) when that is known.
 */
export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z
    .object({
      key: z.string(),
      params: ErrorParams.optional(),
      where: z.string().optional(),
    })
    .catchall(z.unknown())
    .optional(),
});
export type ApiError = z.infer<typeof ApiError>;

export type Ok<T> = { readonly ok: true; readonly value: T };
export type Failure = { readonly ok: false; readonly error: ApiError };
/** What every method returns across a transport: never a thrown exception. */
export type Result<T> = Ok<T> | Failure;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });

export const fail = (
  code: ErrorCode,
  message: string,
  details?: ApiError['details'],
): Failure => ({ ok: false, error: details ? { code, message, details } : { code, message } });

/** Runtime check for a Result envelope received from a transport. */
export const ResultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiError }),
]);

/**
 * The CLI's exit-code table, shared by every command.
 *
 * 0 ok · 1 findings (a check found problems; never produced by an error) · 2 unreadable or
 * invalid input · 3 service unreachable or authentication failed · 4 internal error ·
 * 130 cancelled.
 */
export const EXIT = {
  OK: 0,
  FINDINGS: 1,
  BAD_INPUT: 2,
  SERVICE: 3,
  INTERNAL: 4,
  CANCELLED: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Exit status of the CLI for a given error code. */
export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'INVALID_INPUT':
    case 'NOT_FOUND':
    case 'UNREADABLE':
    case 'NOT_SQLITE':
    case 'NOT_GEOPACKAGE':
    case 'NOT_A_WORKSPACE':
    case 'WORKSPACE_TOO_NEW':
    case 'SPATIALITE':
    case 'CORRUPT':
    case 'TRUNCATED':
    case 'UNSUPPORTED':
    case 'LOCKED':
    case 'PATH_NOT_ALLOWED':
    case 'CONFLICT':
    case 'GDAL':
    case 'INCOMPATIBLE':
      return EXIT.BAD_INPUT;
    case 'UNREACHABLE':
    case 'AUTH_FAILED':
    case 'PERMISSION_DENIED':
      return EXIT.SERVICE;
    case 'CANCELLED':
      return EXIT.CANCELLED;
    case 'UNTRUSTED':
    case 'INTERNAL':
      return EXIT.INTERNAL;
    default:
      return assertNever(code);
  }
}

/** Compile-time exhaustiveness check for switches over closed unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
