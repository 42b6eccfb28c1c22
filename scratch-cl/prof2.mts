import { rmSync } from 'node:fs';
import { importTask } from '../electron/core/cleanup/import.ts';
import { createJobContext } from '../electron/core/jobs/context.ts';
const ctx = createJobContext('b', new AbortController().signal, () => {});
rmSync('/tmp/cl/new.gpkg', { force: true });
let t = performance.now();
await importTask({ workspace: '/tmp/cl/new.gpkg', path: '/tmp/cl/b.csv', read: {}, mapping: { fields: { nom_cite: { column: 'espece' }, cd_nom: { column: 'cd_nom' }, date_min: { column: 'date' }, observers: { column: 'observateurs' }, life_stage: { column: 'stade' } }, geometry: [{ kind: 'xy', x: 'x', y: 'y', srs: 'EPSG:4326' }], values: {}, dateFormat: 'auto' }, create: true, actor: 'b' }, ctx);
console.log('import into new (no areas, no local srid)', performance.now() - t);
