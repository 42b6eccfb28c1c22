import { z } from 'zod';
import { JobId } from '../schemas/common.js';
import { method, type MethodSpec } from './define.js';

export const jobMethods = {
  /** Asks a running job to stop; it ends with the error code CANCELLED. */
  'job.cancel': method(z.object({ jobId: JobId }).strict(), z.object({ cancelled: z.boolean() })),
} as const satisfies Record<string, MethodSpec>;
