import type Database from 'better-sqlite3';
import { BLUR_REASONS, type BlurReason, type CompiledReferential, type DwcGeneralization, type TaxonResolution } from '../../../shared/sensitivity/index.js';
import { AppError } from '../errors.js';
import type { ColumnDef } from '../gpkg/schema.js';
import type { CheckResult } from './runner.js';

/**
 * Writing a check's results to SQLite: one row per observation, batched (50 rows per INSERT
 * halves the time of a million single-row inserts).
 *
 * The columns of the workspace's `sensitivity_results` (format 5, schema.ts): `observation_fid`,
 * `check_id`, `resolution` (index in {@link RESOLUTIONS}), `taxon_key` (the cd_ref evaluated),
 * `computed_level`, `sensitivity_level` (NULL = undetermined), `blur_level`, `requested_level`,
 * `reason` (index in BLUR_REASONS), `rule_id` (deciding rule), `matching_rule_ids` (JSON array,
 * best first), `precautions` (PRECAUTION flags of the deciding rule), `override_id`, `area_type`,
 * `area_codes` (sorted, comma-separated), the Darwin Core terms and `propagated_from` (the UUID of
 * the sensitive observation at the same site or in the same relevé whose level this one took;
 * workspace-internal, never published). Resolution and reason are small integers: a million
 * text values cost a third of the write.
 */
export const RESULT_COLUMNS: readonly ColumnDef[] = [
  { name: 'check_id', type: 'INTEGER', notNull: true },
  { name: 'resolution', type: 'INTEGER', notNull: true },
  { name: 'taxon_key', type: 'INTEGER' },
  { name: 'computed_level', type: 'INTEGER', notNull: true },
  { name: 'sensitivity_level', type: 'INTEGER' },
  { name: 'blur_level', type: 'INTEGER', notNull: true },
  { name: 'requested_level', type: 'INTEGER', notNull: true },
  { name: 'reason', type: 'INTEGER', notNull: true },
  { name: 'rule_id', type: 'TEXT' },
  { name: 'matching_rule_ids', type: 'TEXT' },
  { name: 'precautions', type: 'INTEGER', notNull: true },
  { name: 'override_id', type: 'TEXT' },
  { name: 'area_type', type: 'TEXT' },
  { name: 'area_codes', type: 'TEXT' },
  { name: 'dwc_data_generalizations', type: 'TEXT' },
  { name: 'dwc_information_withheld', type: 'TEXT' },
  { name: 'dwc_coordinate_uncertainty_m', type: 'REAL' },
  { name: 'propagated_from', type: 'TEXT' },
];

/** The same as SQL column definitions, after `observation_fid INTEGER PRIMARY KEY`. */
export const RESULT_COLUMNS_SQL = `observation_fid INTEGER PRIMARY KEY, ${RESULT_COLUMNS.map((c) => `${c.name} ${c.type}${c.notNull ? ' NOT NULL' : ''}`).join(', ')}`;

/** The `resolution` codes of the results table, by value. */
export const RESOLUTIONS: readonly TaxonResolution[] = ['cd_nom', 'cd_ref', 'unmatched', 'no-taxon'];

const RESOLUTION_CODE: Record<TaxonResolution, number> = { cd_nom: 0, cd_ref: 1, unmatched: 2, 'no-taxon': 3 };
const REASON_CODE = Object.fromEntries(BLUR_REASONS.map((r, i) => [r, i])) as Record<BlurReason, number>;

/** The `reason` code of a blur reason. */
export const reasonCode = (r: BlurReason): number => REASON_CODE[r];

const COLUMN_COUNT = RESULT_COLUMNS.length + 1;

function checkName(table: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new AppError('INVALID_INPUT', `Not a plain table name: ${table}`, { key: 'errors.INVALID_INPUT', params: { issues: `table: ${table}` } });
  return `"${table}"`;
}

/** Creates (replacing) a results table outside a workspace (benchmarks, tests). */
export function createResultsTable(db: Database.Database, table = 'sensitivity_results'): void {
  const t = checkName(table);
  db.exec(`DROP TABLE IF EXISTS ${t}; CREATE TABLE ${t} (${RESULT_COLUMNS_SQL})`);
}

/** What the check adds to a row besides the runner's result. */
export interface ResultExtras {
  /** Ids of every matching rule, best first (the deciding one first). */
  readonly matchingRuleIds?: readonly string[] | null;
  readonly dwc?: DwcGeneralization | null;
}

/** Appends results in batches; call {@link flush} at the end (inside the caller's transaction). */
export class ResultsWriter {
  private readonly one: Database.Statement;
  private readonly many: Database.Statement;
  private readonly buffer: unknown[] = [];
  /** Written in `check_id`. */
  checkId = 0;

  constructor(
    db: Database.Database,
    private readonly referential: CompiledReferential,
    table = 'sensitivity_results',
    private readonly batch = 50,
  ) {
    const t = checkName(table);
    const tuple = `(${Array(COLUMN_COUNT).fill('?').join(',')})`;
    const cols = `(observation_fid, ${RESULT_COLUMNS.map((c) => c.name).join(', ')})`;
    this.one = db.prepare(`INSERT INTO ${t} ${cols} VALUES ${tuple}`);
    this.many = db.prepare(`INSERT INTO ${t} ${cols} VALUES ${Array(batch).fill(tuple).join(',')}`);
  }

  /** Adds the result of one observation (the values are copied: the runner's result object is reused). */
  add(fid: number, r: CheckResult, extras: ResultExtras = {}): void {
    const b = this.buffer;
    const dwc = extras.dwc ?? null;
    const matching = extras.matchingRuleIds;
    b.push(
      fid,
      this.checkId,
      RESOLUTION_CODE[r.resolution],
      r.taxonKey < 0 ? null : r.taxonKey,
      r.computedLevel,
      r.sensitivityLevel < 0 ? null : r.sensitivityLevel,
      r.blurLevel,
      r.requestedLevel,
      REASON_CODE[r.reason],
      r.rule < 0 ? null : (this.referential.rules[r.rule]?.id ?? null),
      matching && matching.length > 0 ? JSON.stringify(matching) : null,
      r.precautions,
      r.override?.id ?? null,
      r.areaType,
      r.areaCodes,
      dwc?.dataGeneralizations ?? null,
      dwc?.informationWithheld ?? null,
      dwc?.coordinateUncertaintyInMeters ?? null,
      r.propagation?.source.uuid ?? null,
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
