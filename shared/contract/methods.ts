import { z } from 'zod';
import { AbsolutePath, JobId } from './schemas/common.js';
import { AppInfo, LogTail } from './schemas/app.js';
import { WorkspaceSummary } from './schemas/workspace.js';
import { MapSources } from './schemas/map.js';

/**
 * How a method treats the paths in its input, so that both transports can enforce
 * "read or write only files the user opened or chose".
 *
 * `grants`: fields whose path the user has just chosen (a dialog, the path field);
 * calling the method allows them. `uses`: fields that must name an allowed path.
 */
export interface PathPolicy {
  readonly grants?: readonly string[];
  readonly uses?: readonly string[];
}

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** A long operation: runs off the main thread, accepts `jobId`, emits `job.progress`. */
  readonly job: boolean;
  readonly paths: PathPolicy;
}

const method = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  paths: PathPolicy = {},
): MethodSpec<I, O> => ({ input, output, job: false, paths });

/** A job method: same as {@link method}, with an optional caller-chosen `jobId`. */
const job = <S extends z.ZodRawShape, O extends z.ZodType>(
  shape: S,
  output: O,
  paths: PathPolicy = {},
) => ({
  input: z.object({ ...shape, jobId: JobId.optional() }).strict(),
  output,
  job: true as const,
  paths,
});

const empty = z.object({}).strict();

/**
 * The table of every method the engine offers, named `domain.verb`.
 *
 * This is the only way the UI reaches the engine, whatever the transport (Electron IPC,
 * HTTP, in-process). Inputs and outputs are validated at runtime against these schemas.
 */
export const methods = {
  /** Versions of the app and its libraries, and whether PostgreSQL/PostGIS is reachable. */
  'app.info': method(empty, AppInfo),
  /** The last lines of the engine's log file. */
  'app.log': method(z.object({ lines: z.number().int().min(1).max(5000).default(400) }).strict(), LogTail),
  /** Opens a workspace the user chose and summarises it. */
  'workspace.open': job({ path: AbsolutePath }, WorkspaceSummary, { grants: ['path'] }),
  /** Summary of a workspace: layers, observations, date range, taxa, JDD, extent. */
  'workspace.summary': job({ path: AbsolutePath }, WorkspaceSummary, { uses: ['path'] }),
  /** The layers of a workspace or GeoPackage the map can draw, and the handle for their tiles. */
  'map.sources': method(z.object({ path: AbsolutePath }).strict(), MapSources, { uses: ['path'] }),
  /** Asks a running job to stop; it ends with the error code CANCELLED. */
  'job.cancel': method(z.object({ jobId: JobId }).strict(), z.object({ cancelled: z.boolean() })),
} as const satisfies Record<string, MethodSpec>;

export type Methods = typeof methods;
export type Method = keyof Methods;
/** What a caller passes (defaults not yet applied). */
export type In<M extends Method> = z.input<Methods[M]['input']>;
/** What a handler receives (validated, defaults applied). */
export type Parsed<M extends Method> = z.output<Methods[M]['input']>;
export type Out<M extends Method> = z.output<Methods[M]['output']>;

export const METHOD_NAMES = Object.keys(methods) as Method[];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
