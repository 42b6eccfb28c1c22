import { z } from 'zod';

/**
 * An absolute filesystem path, as every method that works on a file takes it.
 *
 * Relative paths are refused: the engine may run in another process with another
 * working directory, so a relative path would silently mean something else there.
 */
export const AbsolutePath = z
  .string()
  .min(1)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), {
    message: 'must be an absolute path',
  });

/** A job identifier chosen by the caller, so it can listen for progress and cancel. */
export const JobId = z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/);

/** An ISO 8601 date (YYYY-MM-DD). */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** An ISO 8601 timestamp. */
export const IsoDateTime = z.string().min(10);

/** A bounding box; `srsId` says in which reference system the numbers are. */
export const Extent = z.object({
  srsId: z.number().int(),
  minX: z.number(),
  minY: z.number(),
  maxX: z.number(),
  maxY: z.number(),
});
export type Extent = z.infer<typeof Extent>;
