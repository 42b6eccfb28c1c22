import type { RejectedRow } from '../../../shared/contract/index.js';
import { RejectReason } from '../../../shared/contract/index.js';
import { rejectMessage } from '../../../shared/cleanup/messages.js';
import { openWorkspace } from '../workspace/open.js';
import { CT, hasCleanupTables } from './schema.js';

/** One page of the rows imports kept aside (all imports, or one). */
export function readRejected(path: string, input: { importId?: number | undefined; offset: number; limit: number }): { total: number; rows: RejectedRow[] } {
  const ws = openWorkspace(path);
  try {
    const db = ws.db;
    if (!hasCleanupTables(db)) return { total: 0, rows: [] };
    const where = input.importId !== undefined ? 'WHERE import_id = ?' : '';
    const params = input.importId !== undefined ? [input.importId] : [];
    const total = db.prepare(`SELECT count(*) FROM ${CT.rejected} ${where}`).pluck().get(...params) as number;
    const rows = db.prepare(`SELECT * FROM ${CT.rejected} ${where} ORDER BY id LIMIT ? OFFSET ?`).all(...params, input.limit, input.offset) as Array<{
      id: number;
      import_id: number;
      source_line: number;
      reason: string;
      detail: string | null;
      raw_text: string | null;
      values_json: string | null;
    }>;
    return {
      total,
      rows: rows.map((r) => {
        const reason = RejectReason.parse(r.reason);
        const values = r.values_json ? (JSON.parse(r.values_json) as Record<string, string | null>) : null;
        return {
          id: r.id,
          importId: r.import_id,
          line: r.source_line,
          reason,
          detail: r.detail,
          raw: r.raw_text,
          values,
          message: rejectMessage(reason, { detail: r.detail, found: r.detail?.split('/')[0] ?? null, expected: r.detail?.split('/')[1] ?? null }),
        };
      }),
    };
  } finally {
    ws.close();
  }
}
