import { checkTask } from '../electron/core/cleanup/check.ts';
import { createJobContext } from '../electron/core/jobs/context.ts';
const ctx = createJobContext('b', new AbortController().signal, () => {});
const t = performance.now();
await checkTask({ workspace: '/tmp/cl/b.gpkg', params: { minYear: 1850, departements: ['05'], duplicateToleranceM: 10, taxonomy: '/work/main/test/fixtures/cleanup/taxonomy-pne-test.csv' }, samples: 20, home: '/tmp/cl' }, ctx);
console.log('check', performance.now() - t);
