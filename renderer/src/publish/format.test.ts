import { describe, expect, it } from 'vitest';
import type { PublishCallView } from '../../../shared/contract/index.js';
import { PUBLISH_STEPS, udataCall } from '../../../shared/publish/plan.js';
import { BUILTIN_PROFILES, PublishProfile, UDATA_FREQUENCIES } from '../../../shared/publish/profiles.js';
import { formatPublishProgress, PUBLISH_PHASES } from '../../../shared/publish/progress.js';
import type { UdataDatasetPayload } from '../../../shared/publish/udata.js';
import { createI18n } from '../i18n/index.js';
import { applyProgress, credentialsFor, EMPTY_FORM, formOf, inBundle, isHttpUrl, NO_PROGRESS, overall, privateFlag, profileOf, shortUrl } from './format.js';

const BASE = 'https://data.example.fr/api/1';
const payload = (priv: boolean): UdataDatasetPayload => ({ title: 'T', description: 'D', license: 'lov2', frequency: 'irregular', spatial: { zones: [], granularity: 'poi' }, tags: [], private: priv });

describe('publish step helpers', () => {
  it('reads the private flag a call sends, and none on calls that carry no dataset', () => {
    expect(privateFlag(udataCall.createDataset(BASE, payload(true)) as PublishCallView)).toBe(true);
    expect(privateFlag(udataCall.updateDataset(BASE, 'abc', payload(false), 'make-public') as PublishCallView)).toBe(false);
    expect(privateFlag(udataCall.checkKey(BASE) as PublishCallView)).toBeNull();
    expect(privateFlag(udataCall.updateResource(BASE, 'abc', 'r1', 'data/observations.csv', { title: 'x' }) as PublishCallView)).toBeNull();
    expect(shortUrl(udataCall.createDataset(BASE, payload(true)).url, `${BASE}/`)).toBe('/datasets/');
    expect(shortUrl('https://other.example/x', BASE)).toBe('https://other.example/x');
  });

  it('folds job.progress messages into one row per file, the last event of each file winning', () => {
    let s = NO_PROGRESS;
    s = applyProgress(s, formatPublishProgress('gate'));
    expect(s).toEqual({ phase: 'gate', files: [] });
    expect(overall(s)).toBeNull();
    s = applyProgress(s, formatPublishProgress('upload', { index: 2, count: 3, sent: 10, bytes: 40, path: 'data/observations.gpkg' }));
    s = applyProgress(s, formatPublishProgress('upload', { index: 1, count: 3, sent: 0, bytes: 100, path: 'data/a b.csv' }));
    s = applyProgress(s, formatPublishProgress('metadata', { index: 1, count: 3, sent: 100, bytes: 100, path: 'data/a b.csv' }));
    // A message of another shape (another job's) changes nothing.
    expect(applyProgress(s, 'building 3/4')).toBe(s);
    expect(s.phase).toBe('metadata');
    expect(s.files.map((f) => [f.path, f.sent, f.bytes, f.phase])).toEqual([
      ['data/a b.csv', 100, 100, 'metadata'],
      ['data/observations.gpkg', 10, 40, 'upload'],
    ]);
    expect(overall(s)).toEqual({ done: 1, total: 3 });
  });

  it('puts the secret under the field the target reads', () => {
    expect(credentialsFor('datagouv', 'k')).toEqual({ apiKey: 'k' });
    expect(credentialsFor('geonetwork', 'p')).toEqual({ password: 'p' });
    expect(credentialsFor('datagouv', null)).toEqual({});
  });

  it('makes a valid profile from the form, without the other target’s fields, keeping what the form does not show', () => {
    const gn = profileOf({ ...EMPTY_FORM, name: 'Catalogue parc', target: 'geonetwork', baseUrl: ' https://gn.example/geonetwork/srv/api ', user: 'editeur', organization: 'ignored' }, null);
    expect(PublishProfile.parse(gn)).toMatchObject({ name: 'Catalogue parc', target: 'geonetwork', baseUrl: 'https://gn.example/geonetwork/srv/api', user: 'editeur', organization: null, group: null });
    const edited = PublishProfile.parse({ name: 'DataSud', target: 'datagouv', baseUrl: 'https://datasud.example/api/1', zones: ['fr:departement:05'], chunkSize: 1 << 20, proxy: 'direct' });
    const again = PublishProfile.parse(profileOf({ ...formOf(edited), organization: 'org-1', user: 'nobody' }, edited));
    expect(again).toMatchObject({ zones: ['fr:departement:05'], chunkSize: 1 << 20, proxy: 'direct', organization: 'org-1', user: null });
    expect(JSON.stringify(again)).not.toMatch(/apiKey|password/);
    expect(isHttpUrl('http://127.0.0.1:8080/api/1')).toBe(true);
    expect(isHttpUrl('ftp://x')).toBe(false);
    expect(inBundle('/tmp/lot/', 'index.html')).toBe('/tmp/lot/index.html');
    expect(inBundle('C:\\lots\\lot', 'data/x.csv')).toBe('C:\\lots\\lot\\data\\x.csv');
  });

  it('has a text for every call, phase, frequency and problem in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      const { t } = createI18n(lang);
      const has = (key: string, params: Record<string, unknown> = {}) => {
        const text = t(key, { ...params, defaultValue: '' });
        expect(text, `${lang} ${key}`).not.toBe('');
        expect(text, `${lang} ${key}`).not.toContain('{{');
      };
      for (const s of PUBLISH_STEPS) has(`publish.step.${s}`);
      for (const p of PUBLISH_PHASES) has(`publish.phase.${p}`);
      for (const f of UDATA_FREQUENCIES) has(`publish.frequency.${f}`);
      for (const p of BUILTIN_PROFILES) has(`publish.builtin.${p.name}`);
      for (const c of ['gate', 'licence', 'no-iso', 'not-published', 'version-not-sent']) has(`publish.problem.${c}`, { version: '1.0.0', portal: BASE });
      for (const a of ['create', 'update', 'record', 'recordInsert', 'recordUpdate', 'make-public', 'none']) has(`publish.action.${a}`, { id: 'x' });
      for (const a of ['upload', 'replace', 'keep', 'delete', 'record', 'insert', 'update']) has(`publish.resources.actions.${a}`);
      for (const c of ['AUTH_FAILED', 'UNREACHABLE', 'CANCELLED']) has(`publish.errorHint.${c}`);
      for (const s of ['none', 'session', 'keyring']) has(`publish.secret.status.${s}`, { what: 'x' });
      for (const target of ['datagouv', 'geonetwork']) for (const k of ['secret.label', 'secret.what', 'run.needsSecret', 'kind']) has(`publish.${k}.${target}`, { name: 'p' });
      has('publish.calls.planned', { count: 3 });
      has('publish.feed.written', { count: 1 });
      has('errors.PUBLISH_AUTH_FAILED', { portal: BASE, status: 401, call: 'GET /me/', reason: 'Invalid API Key' });
    }
    expect(createI18n('fr').t('publish.visibility.private')).toBe('privé');
  });
});
