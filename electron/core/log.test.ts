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
});
