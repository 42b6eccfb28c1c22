import { z } from 'zod';
import { method, type MethodSpec } from './define.js';

const SecretKey = z.string().min(1).max(200).regex(/^[\w.:@ -]+$/);

export const secretsMethods = {
  /**
   * Whether passwords can be remembered: only in the desktop app, and only when the system
   * keyring encrypts them (Electron's safeStorage). On Linux without a keyring safeStorage
   * falls back to plain text: then nothing is stored and the UI asks each time.
   */
  'secrets.status': method(z.object({}).strict(), z.object({ persistent: z.boolean(), backend: z.string() })),
  /** A remembered secret (null when none, or when secrets cannot be remembered). */
  'secrets.get': method(z.object({ key: SecretKey }).strict(), z.object({ value: z.string().nullable() })),
  /** Remembers a secret encrypted by the system keyring, or forgets it (`value: null`). */
  'secrets.set': method(z.object({ key: SecretKey, value: z.string().max(10_000).nullable() }).strict(), z.object({ stored: z.boolean() })),
} as const satisfies Record<string, MethodSpec>;
