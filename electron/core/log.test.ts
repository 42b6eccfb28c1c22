import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, redact, tailLog } from './log.js';

describe('engine log', () => {
  it('never writes a password or a token', () => {
    const home = mkdtempSync(join(tmpdir(), 'passerelle-log-'));
    const log = createLogger(home);
    log.info('connecting postgres://geonat:S3cret!@db.parc.fr:5432/geonature', { password: 'hunter2', pgpassword: 'x', host: 'db.parc.fr' });
    log.warn('retry with password=hunter2 and token: abc123');
    const text = readFileSync(log.file, 'utf8');
    for (const secret of ['S3cret!', 'hunter2', 'abc123']) expect(text).not.toContain(secret);
    expect(text).toContain('db.parc.fr');
    expect(tailLog(log.file, 1)).toHaveLength(1);
  });

  it('masks connection strings and key=value secrets', () => {
    expect(redact('postgresql://u:p@h/db')).toBe('postgresql://u:***@h/db');
    expect(redact('PGPASSWORD=abc psql')).toBe('PGPASSWORD=*** psql');
  });

  it('masks udata API keys (X-API-KEY, apiKey, api_key), Authorization and Cookie headers, and proxy credentials, at any depth, keeping JSON lines JSON', () => {
    const home = mkdtempSync(join(tmpdir(), 'passerelle-log-'));
    const log = createLogger(home);
    const key = 'udata_4f9a8b7c6d5e';
    log.info('publish call', {
      headers: { 'X-API-KEY': key, Authorization: 'Basic YWRtaW46c2VjcmV0', Cookie: 'XSRF-TOKEN=tok123; JSESSIONID=sess456' },
      credentials: { apiKey: key, password: 'gnpass' },
      input: { profile: { name: 'datagouv' }, api_key: key },
      proxy: 'http://parc:pr0xyPass@proxy.parc.fr:3128',
    });
    log.warn(`retry with X-API-KEY: ${key} apiKey=${key} "x-api-key":"${key}" Authorization: Bearer ${key} via https://u:pr0xyPass@proxy:8080/`);
    const text = readFileSync(log.file, 'utf8');
    for (const secret of [key, 'YWRtaW46c2VjcmV0', 'tok123', 'sess456', 'gnpass', 'pr0xyPass']) expect(text, secret).not.toContain(secret);
    // What is not secret stays readable, and every line is still JSON.
    expect(text).toContain('proxy.parc.fr:3128');
    expect(text).toContain('datagouv');
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('masks the value of a secret key, not what follows it', () => {
    expect(redact('X-API-KEY: abc123 for datasets/42')).toBe('X-API-KEY: *** for datasets/42');
    expect(redact('{"apiKey":"abc","title":"Écrins"}')).toBe('{"apiKey":"***","title":"Écrins"}');
    expect(redact('HTTPS_PROXY=http://user:pw@proxy:3128')).toBe('HTTPS_PROXY=http://user:***@proxy:3128');
  });
});
