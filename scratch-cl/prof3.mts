import { openSource } from '../electron/core/cleanup/source.ts';
import { compileMapping } from '../electron/core/cleanup/mapping.ts';
import { AreaIndex } from '../electron/core/cleanup/areas.ts';
import { SYNTHESE_CATALOG } from '../shared/cleanup/nomenclatures.ts';
import { encodeBlob } from '../electron/core/cleanup/geom.ts';
let t = performance.now();
const src = openSource('/tmp/cl/b.csv');
let n = 0;
for await (const b of src.records()) n += b.length;
console.log('read', n, performance.now() - t);
t = performance.now();
const m = compileMapping({ fields: { nom_cite: { column: 'espece' }, cd_nom: { column: 'cd_nom' }, date_min: { column: 'date' }, observers: { column: 'observateurs' }, life_stage: { column: 'stade' } }, geometry: [{ kind: 'xy', x: 'x', y: 'y', srs: 'EPSG:4326' }], values: {}, dateFormat: 'auto' }, src.columns, { catalog: SYNTHESE_CATALOG, areas: new AreaIndex([]), today: '2026-01-01' }, () => { throw new Error(); });
for await (const b of src.records()) for (const r of b) { const x = m.map(r); encodeBlob(x.geometry!); }
console.log('read+map+encode', performance.now() - t);
