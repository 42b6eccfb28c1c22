import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How secrets are encrypted: Electron's safeStorage in the app. */
export interface Cipher {
  /** False when encryption would be plain text (Linux without a keyring): then nothing is stored. */
  readonly persistent: boolean;
  readonly backend: string;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

/**
 * Remembered passwords, encrypted by the system keyring, in one JSON file of base64 blobs.
 *
 * Free of the `electron` import so it is tested under Node; main.ts passes safeStorage.
 * When the cipher is not persistent, `set` stores nothing and `get` finds nothing: the UI
 * then asks for the password each time, which is the only safe choice.
 */
export function createSecretStore(file: string, cipher: Cipher) {
  const read = (): Record<string, string> => {
    if (!existsSync(file)) return {};
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      return {}; // a damaged store only means asking again
    }
  };
  const write = (data: Record<string, string>) => {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, file);
  };
  return {
    status: () => ({ persistent: cipher.persistent, backend: cipher.backend }),
    get(key: string): string | null {
      if (!cipher.persistent) return null;
      const blob = read()[key];
      if (!blob) return null;
      try {
        return cipher.decrypt(Buffer.from(blob, 'base64'));
      } catch {
        return null; // another keyring, another user: ask again
      }
    },
    set(key: string, value: string | null): boolean {
      const data = read();
      if (value === null) {
        delete data[key];
        write(data);
        return true;
      }
      if (!cipher.persistent) return false;
      data[key] = cipher.encrypt(value).toString('base64');
      write(data);
      return true;
    },
  };
}
