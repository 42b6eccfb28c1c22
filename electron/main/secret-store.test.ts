import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretStore, type Cipher } from './secret-store.js';

/** A reversible cipher standing for safeStorage (the real one needs Electron). */
const xor = (persistent: boolean): Cipher => ({
  persistent,
  backend: persistent ? 'test-keyring' : 'basic_text',
  encrypt: (s) => Buffer.from([...Buffer.from(s, 'utf8')].map((b) => b ^ 0x5a)),
  decrypt: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString('utf8'),
});

describe('remembered passwords', () => {
  it('are stored encrypted, never in plain text', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'passerelle-secrets-')), 'secrets.json');
    const store = createSecretStore(file, xor(true));
    expect(store.set('geonature:pne', 'Gyp@ète-2852')).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('Gyp@ète-2852');
    expect(store.get('geonature:pne')).toBe('Gyp@ète-2852');
    store.set('geonature:pne', null);
    expect(store.get('geonature:pne')).toBeNull();
  });

  it('are not stored at all when the keyring would be plain text (Linux basic_text)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'passerelle-secrets-')), 'secrets.json');
    const store = createSecretStore(file, xor(false));
    expect(store.set('geonature:pne', 'secret')).toBe(false);
    expect(store.get('geonature:pne')).toBeNull();
    expect(store.status()).toEqual({ persistent: false, backend: 'basic_text' });
  });
});
