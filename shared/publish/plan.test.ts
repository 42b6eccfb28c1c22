import { describe, expect, it } from 'vitest';
import { chunkCount, geonetworkCall, planDatagouv, resourcePlan, udataCall, uploadCalls } from './plan.js';
import { RESOURCE_SPECS, type UdataDatasetPayload } from './udata.js';

const spec = (path: string) => RESOURCE_SPECS.find((s) => s.path === path) as (typeof RESOURCE_SPECS)[number];
const payload = { title: 't', description: 'd', license: 'lov2', frequency: 'monthly', spatial: { zones: [], granularity: 'poi' }, tags: [], private: true } as UdataDatasetPayload;
const BASE = 'https://demo.data.gouv.fr/api/1/';

describe('the resources of a publication', () => {
  it('new files uploaded, known ones replaced in place unless their SHA-256 is the one sent, gone ones deleted', () => {
    const files = [
      { spec: spec('data/observations.csv'), bytes: 10, sha256: 'new' },
      { spec: spec('LICENCE.md'), bytes: 5, sha256: 'same' },
      { spec: spec('data/observations.gpkg'), bytes: 20, sha256: 'g' },
    ];
    const existing = [
      { path: 'data/observations.csv', resourceId: 'r-csv', sha256: 'old' },
      { path: 'LICENCE.md', resourceId: 'r-lic', sha256: 'same' },
      { path: 'data/observations.geojson', resourceId: 'r-geo', sha256: 'x' },
    ];
    expect(resourcePlan(files, existing, 8).map((r) => [r.path, r.action, r.resourceId, r.chunks])).toEqual([
      ['data/observations.csv', 'replace', 'r-csv', 2],
      ['LICENCE.md', 'keep', 'r-lic', 0],
      ['data/observations.gpkg', 'upload', null, 3],
      ['data/observations.geojson', 'delete', 'r-geo', 0],
    ]);
    expect(chunkCount(8, 8)).toBe(1);
    expect(chunkCount(9, 8)).toBe(2);
  });

  it('a chunked upload: every chunk with udata’s fields and offsets, then the combining call', () => {
    const [r] = resourcePlan([{ spec: spec('data/observations.csv'), bytes: 20, sha256: 's' }], [], 8);
    const calls = uploadCalls(BASE, 'ds1', r as NonNullable<typeof r>, spec('data/observations.csv'), 8, 'u-1');
    expect(calls.map((c) => [c.step, c.url, c.body.kind === 'multipart' ? c.body.fields : null])).toEqual([
      ['upload-chunk', 'https://demo.data.gouv.fr/api/1/datasets/ds1/upload/', { uuid: 'u-1', filename: 'observations.csv', partindex: '0', partbyteoffset: '0', totalparts: '3', chunksize: '8' }],
      ['upload-chunk', 'https://demo.data.gouv.fr/api/1/datasets/ds1/upload/', { uuid: 'u-1', filename: 'observations.csv', partindex: '1', partbyteoffset: '8', totalparts: '3', chunksize: '8' }],
      ['upload-chunk', 'https://demo.data.gouv.fr/api/1/datasets/ds1/upload/', { uuid: 'u-1', filename: 'observations.csv', partindex: '2', partbyteoffset: '16', totalparts: '3', chunksize: '4' }],
      ['combine-chunks', 'https://demo.data.gouv.fr/api/1/datasets/ds1/upload/', { uuid: 'u-1', filename: 'observations.csv', totalparts: '3' }],
    ]);
  });

  it('the dry run of a first publication: key, private creation, uploads, metadata; never the secret', () => {
    const files = [{ spec: spec('LICENCE.md'), bytes: 5, sha256: 'abc' }];
    const resources = resourcePlan(files, [], 8);
    const calls = planDatagouv({ baseUrl: BASE, datasetId: null, payload, files, resources, chunkSize: 8, lang: 'fr', resourceJson: () => ({}) });
    expect(calls.map((c) => `${c.step} ${c.method} ${c.url}`)).toEqual([
      'check-key GET https://demo.data.gouv.fr/api/1/me/',
      'create-dataset POST https://demo.data.gouv.fr/api/1/datasets/',
      'upload POST https://demo.data.gouv.fr/api/1/datasets/{dataset}/upload/',
      'update-resource PUT https://demo.data.gouv.fr/api/1/datasets/{dataset}/resources/{resource:LICENCE.md}/',
    ]);
    expect(calls[1]?.body).toEqual({ kind: 'json', json: payload });
    expect(calls.every((c) => c.headers['X-API-KEY'] === '***' && c.status === null && c.attempts === 0)).toBe(true);
  });

  it('an update reads the dataset first and updates its fields last', () => {
    const calls = planDatagouv({ baseUrl: BASE, datasetId: 'ds1', payload, files: [], resources: [], chunkSize: 8, lang: 'fr', resourceJson: () => ({}) });
    expect(calls.map((c) => c.step)).toEqual(['check-key', 'get-dataset', 'update-dataset']);
    expect(udataCall.updateDataset(BASE, 'ds1', payload, 'make-public').step).toBe('make-public');
  });

  it('GeoNetwork: OVERWRITE by fileIdentifier, never published to all on insert, the group when given', () => {
    const c = geonetworkCall.putRecord('https://gn/srv/api', '3', 'metadata/iso19139.xml', 10, 'sha');
    expect(c.url).toBe('https://gn/srv/api/records?metadataType=METADATA&uuidProcessing=OVERWRITE&publishToAll=false&rejectIfInvalid=false&group=3');
    expect(c.headers).toMatchObject({ Authorization: 'Basic ***', 'X-XSRF-TOKEN': '***', 'Content-Type': 'application/xml' });
    expect(geonetworkCall.publish('https://gn/srv/api', 'a b').url).toBe('https://gn/srv/api/records/a%20b/publish');
  });
});
