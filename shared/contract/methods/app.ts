import { z } from 'zod';
import { AppInfo, LogTail } from '../schemas/app.js';
import { empty, method, type MethodSpec } from './define.js';

export const appMethods = {
  /** Versions of the app and its libraries, and whether PostgreSQL/PostGIS is reachable. */
  'app.info': method(empty, AppInfo),
  /** The last lines of the engine's log file. */
  'app.log': method(z.object({ lines: z.number().int().min(1).max(5000).default(400) }).strict(), LogTail),
} as const satisfies Record<string, MethodSpec>;
