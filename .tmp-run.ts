import { readFileSync } from 'node:fs';
import { importMtd, exportMtd } from './electron/core/metadata/mtd.js';
import { validateMetadata, formatIssue, formatNote } from './shared/metadata/index.js';
for (const f of ['mtd_sync__short_mock_af.xml', 'mtd_sync__af_extract.xml', 'mtd_sync__jdd_extract.xml', 'mtd_sync__short_mock_ds.xml']) {
  const r = importMtd(readFileSync('test/fixtures/metadata/mtd/' + f));
  console.log('==', f, r.frameworks.length, r.datasets.length);
  console.log(JSON.stringify(r.frameworks[0] ?? r.datasets[0], null, 1).slice(0, 1500));
  for (const n of r.notes) console.log(' note', formatNote(n, 'fr'));
  const v = validateMetadata(r);
  for (const i of v.issues) { const x = formatIssue(i, 'fr'); console.log(' ', i.severity, i.field, '|', x.message, '|', x.fix); }
}
const r = importMtd(readFileSync('test/fixtures/metadata/mtd/mtd_sync__af_extract.xml'));
console.log(exportMtd(r).content.slice(0, 2500));
