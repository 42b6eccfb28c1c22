import type Database from 'better-sqlite3';
import { BLUR_REASONS, type BlurReason, type CompiledReferential, type TaxonResolution } from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import type { CheckResult } from './runner.js';

/**
 * Writing a check's results to SQLite: one row per observation, batched (50 rows per INSERT
 * halves the time of a million single-row inserts).
 *
 * The columns are a proposal for the workspace's results table (the table itself, its
 * registration in gpkg_contents and its migration belong to the workspace format):
 * `observation_fid`, `resolution` (index in {@link RESOLUTIONS}), `computed_level`,
 * `sensitivity_level` (NULL = undetermined), `blur_level`, `requested_level`, `reason` (index in
 * BLUR_REASONS), `rule_id` (deciding rule), `precautions` (PRECAUTION flags of that rule),
 * `override_id`, `area_type`, `area_codes`. Resolution and reason are small integers: a
 * million text values cost a third of the write.
 */
export const RESULT_COLUMNS_SQL = `observation_fid INTEGER PRIMARY KEY, resolution INTEGER NOT NULL, computed_level INTEGER NOT NULL,
  sensitivity_level INTEGER, blur_level INTEGER NOT NULL, requested_level INTEGER NOT NULL, reason INTEGER NOT NULL, rule_id TEXT,
  precautions INTEGER NOT NULL, override_id TEXT, area_type TEXT, area_codes TEXT`;

/** The `resolution` codes of the results table, by value. */
export const RESOLUTIONS: readonly TaxonResolution[] = ['cd_nom', 'cd_ref', 'unmatched', 'no-taxon'];

const RESOLUTION_CODE: Record<TaxonResolution, number> = { cd_nom: 0, cd_ref: 1, unmatched: 2, 'no-taxon': 3 };
const REASON_CODE = Object.fromEntries(BLUR_REASONS.map((r, i) => [r, i])) as Record<BlurReason, number>;

const COLUMN_COUNT = 12;

function checkName(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new AppError('INVALID_INPUT', `Not a plain table name: ${table}`, { key: 'errors.INVALID_INPUT', params: { issues: `table: ${table}` } });
  return `"${table}"`;
}

/** Creates (replacing) a results table. */
export function createResultsTable(db: Database.Database, table = 'sensitivity_results'): void {
  const t = checkName(table);
  db.exec(`DROP TABLE IF EXISTS ${t}; CREATE TABLE ${t} (${RESULT_COLUMNS_SQL})`);
}

/** Appends results in batches; call {@link flush} at the end (inside the caller's transaction). */
export class ResultsWriter {
  private readonly one: Database.Statement;
  private readonly many: Database.Statement;
  private readonly buffer: unknown[] = [];

  constructor(
    db: Database.Database,
    private readonly referential: CompiledReferential,
    table = 'sensitivity_results',
    private readonly batch = 50,
  ) {
    const t = checkName(table);
    const tuple = `(${Array(COLUMN_COUNT).fill('?').join(',')})`;
    this.one = db.prepare(`INSERT INTO ${t} VALUES ${tuple}`);
    this.many = db.prepare(`INSERT INTO ${t} VALUES ${Array(batch).fill(tuple).join(',')}`);
  }

  /** Adds the result of one observation (the values are copied: the runner's result object is reused). */
  add(fid: number, r: CheckResult): void {
    const b = this.buffer;
    b.push(
      fid,
      RESOLUTION_CODE[r.resolution],
      r.computedLevel,
      r.sensitivityLevel < 0 ? null : r.sensitivityLevel,
      r.blurLevel,
      r.requestedLevel,
      REASON_CODE[r.reason],
      r.rule < 0 ? null : (this.referential.rules[r.rule]?.id ?? null),
      r.precautions,
      r.override?.id ?? null,
      r.areaType,
      r.areaCodes,
    );
    if (b.length === this.batch * COLUMN_COUNT) {
      this.many.run(b);
      b.length = 0;
    }
  }

  /** Writes what is buffered. */
  flush(): void {
    const b = this.buffer;
    for (let i = 0; i < b.length; i += COLUMN_COUNT) this.one.run(b.slice(i, i + COLUMN_COUNT));
    b.length = 0;
  }
}
