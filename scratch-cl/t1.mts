import { importTask } from '../electron/core/cleanup/import.ts';
import { sniffTask } from '../electron/core/cleanup/sniff.ts';
import { createJobContext } from '../electron/core/jobs/context.ts';
const ctx = createJobContext('t', new AbortController().signal, () => {});
const f = '/work/shared/data/geonature/import_csv_synthese/' + (process.argv[2] ?? 'valid_file.csv');
const s = await sniffTask({ path: f, read: {}, previewRows: 3 }, ctx);
console.log(JSON.stringify({ ...s, preview: s.preview.length, suggested: s.suggested }, null, 0).slice(0, 3000));
const r = await importTask({ workspace: '/tmp/cl/ws.gpkg', path: f, read: {}, mapping: s.suggested, create: false, actor: 'test' }, ctx);
console.log(JSON.stringify(r, null, 0).slice(0, 2500));
