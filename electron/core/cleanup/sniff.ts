import { statSync } from 'node:fs';
import type { ReadOptions, SniffResult } from '../../../shared/contract/index.js';
import { suggestMapping } from '../../../shared/cleanup/presets.js';
import { fileIssue } from '../../../shared/cleanup/messages.js';
import type { JobContext } from '../jobs/context.js';
import { openSource } from './source.js';

/**
 * What the import wizard shows first: the format, the encoding with the candidates to confirm,
 * the delimiter and header, the first rows, and a mapping suggested from the column names.
 */
export async function sniffTask(input: { path: string; read: ReadOptions; previewRows: number }, ctx: JobContext): Promise<SniffResult> {
  const src = openSource(input.path, input.read);
  try {
    const preview: SniffResult['preview'] = [];
    let more = false;
    outer: for await (const batch of src.records()) {
      for (const rec of batch) {
        if (preview.length >= input.previewRows) {
          more = true;
          break outer;
        }
        preview.push({ line: rec.line, cells: [...rec.cells] });
      }
      await ctx.checkpoint();
    }
    const issues = [...src.issues];
    if (preview.length === 0 && !more) issues.push(fileIssue('no-data-rows', 'warning', {}));
    const { mapping, preset } = suggestMapping(src.columns, { nativeGeometry: src.nativeGeometry });
    const size = statSync(input.path).isDirectory() ? 0 : statSync(input.path).size;
    return {
      path: input.path,
      format: src.format,
      size,
      encoding: src.encoding
        ? { used: src.encoding.encoding, how: src.encoding.how, bom: src.encoding.bom, candidates: src.encoding.candidates }
        : { used: 'utf-8', how: 'binary', bom: false, candidates: [] },
      csv: src.csv,
      layers: [...src.layers],
      layer: src.layer,
      srs: src.srs,
      columns: [...src.columns],
      preview,
      rows: src.rows,
      suggested: mapping,
      preset,
      issues,
    };
  } finally {
    src.close();
  }
}
