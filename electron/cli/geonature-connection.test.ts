import { describe, expect, it } from 'vitest';
import { cliConnection, ConnectionOptionError } from './geonature-connection.js';

describe('the CLI’s GeoNature connection', () => {
  it('takes --url, else PASSERELLE_PG_URL, else PG*, with GeoNature’s install defaults', () => {
    expect(cliConnection({ url: 'postgresql://geo@db.parc.fr:5433/gn?sslmode=require' }, {}, undefined)).toEqual({
      target: { host: 'db.parc.fr', port: 5433, database: 'gn', user: 'geo', sslMode: 'require', ssh: null },
      secrets: {},
    });
    expect(cliConnection({}, { PASSERELLE_PG_URL: 'postgres://u@h/d' }, 'pw').target).toMatchObject({ host: 'h', port: 5432, database: 'd', user: 'u' });
    expect(cliConnection({}, { PGHOST: 'h', PGPORT: '6543', PGUSER: 'u', PGSSLMODE: 'disable' }, 'pw')).toEqual({
      target: { host: 'h', port: 6543, database: 'geonature2db', user: 'u', sslMode: 'disable', ssh: null },
      secrets: { password: 'pw' },
    });
    expect(cliConnection({}, {}, undefined).target).toMatchObject({ host: '127.0.0.1', database: 'geonature2db', user: 'geonatadmin', sslMode: 'prefer' });
  });

  it('refuses a password in the URL, an unknown sslmode and a malformed --ssh', () => {
    expect(() => cliConnection({ url: 'postgresql://u:secret@h/d' }, {}, undefined)).toThrow(ConnectionOptionError);
    expect(() => cliConnection({ url: 'postgresql://u@h/d?sslmode=sometimes' }, {}, undefined)).toThrow(/sslmode/);
    expect(() => cliConnection({ ssh: 'bastion' }, {}, undefined)).toThrow(/user@host/);
  });

  it('adds an SSH bastion and keeps a profile name as it is', () => {
    expect(cliConnection({ ssh: 'admin@bastion.parc.fr:2222', sshKey: '/home/u/.ssh/id_ed25519' }, { PGHOST: 'db.internal' }, undefined).target?.ssh).toEqual({
      user: 'admin',
      host: 'bastion.parc.fr',
      port: 2222,
      privateKeyPath: '/home/u/.ssh/id_ed25519',
      hostKeySha256: null,
    });
    expect(cliConnection({ profile: 'ecrins' }, {}, 'pw')).toEqual({ profile: 'ecrins', secrets: { password: 'pw' } });
  });
});
