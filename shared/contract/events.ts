import { z } from 'zod';
import { JobId } from './schemas/common.js';

/**
 * Events the engine pushes to the UI: over IPC as `webContents.send('api:event', name,
 * payload)`, over HTTP as server-sent events.
 */
export const events = {
  /** A job advanced. `total` is null while the amount of work is not known yet. */
  'job.progress': z.object({
    jobId: JobId,
    method: z.string(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative().nullable(),
    message: z.string(),
  }),
  /** A job ended, successfully or not (the result itself goes to the caller). */
  'job.finished': z.object({
    jobId: JobId,
    method: z.string(),
    ok: z.boolean(),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export type JobProgress = EventPayload<'job.progress'>;

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
