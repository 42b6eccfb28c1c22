import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES, PublishProfile, normaliseBaseUrl, profileProblems, secretKeyFor } from './profiles.js';

describe('publishing profiles', () => {
  it('data.gouv.fr and its demo instance are built in', () => {
    expect(BUILTIN_PROFILES.map((p) => [p.name, p.target, p.baseUrl])).toEqual([
      ['datagouv', 'datagouv', 'https://www.data.gouv.fr/api/1'],
      ['datagouv-demo', 'datagouv', 'https://demo.data.gouv.fr/api/1'],
    ]);
  });

  it('a regional udata portal is a profile with its own base URL; defaults are private-friendly and never hold a secret', () => {
    const p = PublishProfile.parse({ name: 'DataSud', target: 'datagouv', baseUrl: 'https://trouver.datasud.fr/api/1/' });
    expect(p).toMatchObject({ frequency: 'irregular', zones: [], proxy: null, caFile: null, organization: null });
    expect(normaliseBaseUrl(p.baseUrl)).toBe('https://trouver.datasud.fr/api/1');
    expect(() => PublishProfile.parse({ ...p, apiKey: 'udata_x' })).toThrow();
    expect(secretKeyFor('DataSud')).toBe('publish:DataSud');
  });

  it('refuses what cannot work: a non-http URL, a relative CA file, a bad proxy; a GeoNetwork without user', () => {
    expect(PublishProfile.safeParse({ name: 'x', target: 'datagouv', baseUrl: 'ftp://x' }).success).toBe(false);
    expect(PublishProfile.safeParse({ name: 'x', target: 'datagouv', baseUrl: 'https://x', caFile: 'ca.pem' }).success).toBe(false);
    expect(PublishProfile.safeParse({ name: 'x', target: 'datagouv', baseUrl: 'https://x', proxy: 'proxy:3128' }).success).toBe(false);
    expect(PublishProfile.safeParse({ name: 'x', target: 'datagouv', baseUrl: 'https://x', proxy: 'direct' }).success).toBe(true);
    expect(PublishProfile.safeParse({ name: 'Écrins', target: 'datagouv', baseUrl: 'https://x' }).success).toBe(false);
    expect(profileProblems(PublishProfile.parse({ name: 'gn', target: 'geonetwork', baseUrl: 'https://gn/srv/api' })).map((x) => x.code)).toEqual(['geonetwork-user']);
  });
});
