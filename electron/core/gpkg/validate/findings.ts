import type { Finding } from '../../../../shared/contract/index.js';
import { RULES, type RuleId } from './rules.js';

type Params = Finding['params'];

/** Where a finding is: a table, a column, a row. */
export interface Where {
  table?: string | null;
  column?: string | null;
  fid?: number | null;
}

/**
 * Collects findings. Per-row findings are listed up to `maxPerRule` per rule and table,
 * then summarised in one finding whose `count` says how many more rows are affected, so a
 * million bad rows make a readable report (and a small JSON).
 */
export class FindingCollector {
  private readonly list: Finding[] = [];
  private readonly perKey = new Map<string, number>();
  private readonly firstParams = new Map<string, Params>();

  constructor(private readonly maxPerRule: number) {}

  /** Adds one finding (file-, table- or row-level). */
  add(rule: RuleId, where: Where, params: Params = {}, count = 1): void {
    const def = RULES[rule];
    const p: Params = { ...params, table: where.table ?? params.table ?? null, fid: where.fid ?? params.fid ?? null };
    this.list.push({
      rule,
      requirement: def.requirement,
      severity: def.severity,
      table: where.table ?? null,
      column: where.column ?? null,
      fid: where.fid ?? null,
      count,
      message: (def.message as (x: Params) => string)(p),
      fix: (def.fix as (x: Params) => string)(p),
      key: `gpkg.rule.${rule}`,
      params: p,
    });
  }

  /** Adds a per-row finding, listed only while under the limit for its rule and table. */
  addRow(rule: RuleId, table: string, fid: number | null, params: Params = {}): void {
    const key = `${rule}\u0000${table}`;
    const n = (this.perKey.get(key) ?? 0) + 1;
    this.perKey.set(key, n);
    if (n === 1) this.firstParams.set(key, params);
    if (n <= this.maxPerRule) this.add(rule, { table, fid }, params);
  }

  /** The findings, with one summary per (rule, table) that went over the limit. */
  finish(): Finding[] {
    for (const [key, n] of this.perKey) {
      if (n <= this.maxPerRule) continue;
      const [rule, table] = key.split('\u0000') as [RuleId, string];
      const more = n - this.maxPerRule;
      const def = RULES[rule];
      this.list.push({
        rule,
        requirement: def.requirement,
        severity: def.severity,
        table,
        column: null,
        fid: null,
        count: more,
        message: `…and ${more} more feature(s) of "${table}" with the same problem (${def.title}).`,
        fix: (def.fix as (x: Params) => string)({ ...this.firstParams.get(key), table }),
        key: 'gpkg.rule.more',
        params: { rule, table, more },
      });
    }
    return this.list;
  }
}
