import { z } from 'zod';
import { JobId } from '../schemas/common.js';

/**
 * How a method treats the paths in its input, so that both transports can enforce
 * "read or write only files the user opened or chose".
 *
 * `grants`: fields whose path the user has just chosen (a dialog, the path field);
 * calling the method allows them. `uses`: fields that must name an allowed path. A field
 * may hold one path or a list of paths; `list[].field` names the field of each object of a list.
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

/** A quick method: one object in, one JSON-safe value out. */
export const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, paths: PathPolicy = {}): MethodSpec<I, O> => ({
  input,
  output,
  job: false,
  paths,
});

/** A job method: runs off the main thread, with an optional caller-chosen `jobId` for progress and cancel. */
export const job = <S extends z.ZodRawShape, O extends z.ZodType>(shape: S, output: O, paths: PathPolicy = {}) => ({
  input: z.object({ ...shape, jobId: JobId.optional() }).strict(),
  output,
  job: true as const,
  paths,
});

export const empty = z.object({}).strict();
