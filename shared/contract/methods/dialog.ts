import { z } from 'zod';
import { method, type MethodSpec } from './define.js';

const FileFilter = z.object({ name: z.string(), extensions: z.array(z.string().regex(/^[A-Za-z0-9*]+$/)) });

export const dialogMethods = {
  /**
   * Asks the user to choose a file with the system's dialog. Only the desktop app has
   * one (`supported: false` in the web host, whose UI offers a path field instead). The
   * chosen path is allowed for the rest of the session.
   */
  'dialog.openFile': method(
    z.object({ title: z.string().max(200).optional(), filters: z.array(FileFilter).max(10).default([]) }).strict(),
    z.object({ supported: z.boolean(), path: z.string().nullable() }),
  ),
  /** Asks the user where to write a new file (desktop app only); the chosen path is allowed for the session. */
  'dialog.saveFile': method(
    z
      .object({ title: z.string().max(200).optional(), defaultName: z.string().max(255).optional(), filters: z.array(FileFilter).max(10).default([]) })
      .strict(),
    z.object({ supported: z.boolean(), path: z.string().nullable() }),
  ),
} as const satisfies Record<string, MethodSpec>;
