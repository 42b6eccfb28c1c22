import type Database from 'better-sqlite3';
import type { SensitiveSites } from '../../../shared/sensitivity/index.js';
import { decodeGpkg } from '../gpkg/geometry/gpkg-binary.js';
import type { ReferenceArea } from './area-index.js';
import { emptyRow, type ObservationRow, type RowPass, type SensitivityChecker } from './runner.js';

/**
 * Reading what the sensitivity check needs from a workspace (workspace-format.md): the
 * `observations`, the reference `areas` and the local SRID. Read-only: the caller opens the
 * file with `readonly: true` (the bundled demo is never modified).
 */

/** The workspace's local SRID (`passerelle_meta.local_srid`), or null when absent. */
export function workspaceLocalSrid(db: Database.Database): number | null {
  const row = db.prepare("SELECT value FROM passerelle_meta WHERE key = 'local_srid'").get() as { value: string | null } | undefined;
  const n = row?.value ? Number(row.value) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** The reference areas of the given types (all types when omitted), decoded. */
export function readReferenceAreas(db: Database.Database, types?: readonly string[]): ReferenceArea[] {
  const where = types && types.length > 0 ? `WHERE type_code IN (${types.map(() => '?').join(',')})` : '';
  const rows = db.prepare(`SELECT type_code, area_code, area_name, geom FROM areas ${where} ORDER BY fid`).all(...(types ?? [])) as {
    type_code: string;
    area_code: string;
    area_name: string | null;
    geom: Uint8Array | null;
  }[];
  const out: ReferenceArea[] = [];
  for (const r of rows) {
    if (!r.geom) continue;
    const { geometry } = decodeGpkg(r.geom);
    out.push({ type: r.type_code, code: r.area_code, name: r.area_name, geometry });
  }
  return out;
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).includes(column);
}

/** Options of {@link workspaceObservations}. */
export interface ObservationScanOptions {
  /** SQL condition on `o` (the observations), with `?` parameters in `params`. */
  readonly where?: string;
  readonly params?: readonly unknown[];
  /** Read every column up front (default: only fid, cd_nom and NIV_PRECIS; the rest on demand). */
  readonly eager?: boolean;
  /**
   * Which rows will need their details (`SensitivityChecker.needsDetails`): those are read for a
   * whole page in one query instead of one query each.
   */
  readonly needsDetails?: (cdNom: number | null, diffusionLevel: string | null) => boolean;
  /** Rows per page. @default 10000 */
  readonly pageSize?: number;
  /**
   * Read every row's position (`geomHead`: a point's coordinates, else the blob on demand) and
   * relevé with the page (`positionsLoaded`), the rest on demand: the second pass of a check with
   * propagation looks every row up in the sensitive sites.
   */
  readonly positions?: boolean;
}

/**
 * Iterates the workspace's observations as runner rows, one reused object (copy what you
 * keep: `Array.from(workspaceObservations(db), (r) => ({ ...r }))`), in `fid` order, page by
 * page (keyset on `fid`: a page is one call into SQLite, a third faster than a row cursor).
 *
 * By default a page reads only `fid`, `cd_nom`, NIV_PRECIS and the JDD, and the checker asks for the
 * rest (dates, criteria, UUID, geometries) for the few rows that need it — prefetched per
 * page when `needsDetails` says which: on a million rows this halves the time, blobs being
 * the costly part. `eager: true` reads every column up front; `positions: true` adds the
 * geometry and the relevé to the page (propagation). The cd_ref hint comes from the workspace
 * `taxref` table when it exists (format 2).
 */
export function* workspaceObservations(db: Database.Database, options: ObservationScanOptions = {}): Generator<ObservationRow> {
  const taxref = hasTable(db, 'taxref');
  const hint = taxref ? '(SELECT t.cd_ref FROM taxref t WHERE t.cd_nom = o.cd_nom)' : 'NULL';
  // Every workspace has the relevé; a bare observations table (benchmarks) may not.
  const releve = hasColumn(db, 'observations', 'unique_id_sinp_grp') ? 'o.unique_id_sinp_grp' : 'NULL';
  const detailColumns = `o.unique_id_sinp, ${hint}, o.date_min, o.date_max, o.cd_nomenclature_bio_status, o.cd_nomenclature_behaviour, o.dataset_uuid, o.geom, o.geom_local_wkb, ${releve}`;
  const where = options.where ? `(${options.where}) AND ` : '';
  const size = options.pageSize ?? 10_000;
  const params = options.params ?? [];
  const row = emptyRow();
  const fill = (r: ObservationRow, v: readonly unknown[], at: number) => {
    r.uuid = v[at] as string | null;
    r.cdRefHint = v[at + 1] as number | null;
    r.dateMin = v[at + 2] as string | null;
    r.dateMax = v[at + 3] as string | null;
    r.bioStatus = v[at + 4] as string | null;
    r.behaviour = v[at + 5] as string | null;
    r.datasetUuid = v[at + 6] as string | null;
    r.geom = v[at + 7] as Uint8Array | null;
    r.geomLocal = v[at + 8] as Uint8Array | null;
    r.releve = v[at + 9] as string | null;
  };
  row.geomHead = null;
  // The JDD is read with the cheap columns: a check counts by JDD on every row.
  const positions = !options.eager && options.positions === true;
  const columns = options.eager
    ? `o.fid, o.cd_nom, o.cd_nomenclature_diffusion_level, ${detailColumns}`
    : `o.fid, o.cd_nom, o.cd_nomenclature_diffusion_level, o.dataset_uuid${positions ? `, hex(substr(o.geom, 1, 29)), ${releve}` : ''}`;
  const page = db.prepare(`SELECT ${columns} FROM observations o WHERE ${where}o.fid > ? ORDER BY o.fid LIMIT ${Number(size)}`).raw(true);
  const one = db.prepare(`SELECT ${detailColumns} FROM observations o WHERE o.fid = ?`).raw(true);
  const some = db.prepare(`SELECT o.fid, ${detailColumns} FROM observations o WHERE o.fid IN (SELECT value FROM json_each(?))`).raw(true);
  const prefetched = new Map<number, unknown[]>();
  if (!options.eager) {
    row.loadDetails = (r) => {
      const p = prefetched.get(r.fid);
      if (p) fill(r, p, 1);
      else {
        const v = one.get(r.fid) as unknown[] | undefined;
        if (v) fill(r, v, 0);
      }
    };
  }
  let last = -Infinity;
  for (;;) {
    const rows = page.all(...params, last) as unknown[][];
    if (rows.length === 0) return;
    prefetched.clear();
    if (!options.eager && options.needsDetails) {
      const want: number[] = [];
      for (const v of rows) if (options.needsDetails(v[1] as number | null, v[2] as string | null)) want.push(v[0] as number);
      if (want.length > 0) for (const d of some.all(JSON.stringify(want)) as unknown[][]) prefetched.set(d[0] as number, d);
    }
    for (const v of rows) {
      row.fid = v[0] as number;
      row.cdNom = v[1] as number | null;
      row.diffusionLevel = v[2] as string | null;
      if (options.eager) {
        fill(row, v, 3);
        row.positionsLoaded = true;
      } else {
        row.uuid = row.cdRefHint = row.dateMin = row.dateMax = row.bioStatus = row.behaviour = null;
        row.datasetUuid = v[3] as string | null;
        row.geom = row.geomLocal = null;
        if (positions) {
          // A point's position from the hex of its first bytes (a third of the cost of the blob); the blob on demand.
          const head = v[4] as string | null;
          row.geomHead = head === '' ? null : head;
          row.releve = v[5] as string | null;
        } else row.releve = null;
        row.positionsLoaded = positions;
        row.detailsLoaded = false;
      }
      yield row;
    }
    last = (rows[rows.length - 1] as unknown[])[0] as number;
  }
}

/**
 * The rows of a check over a workspace, for {@link checkRows}: each pass opens a lazy scan that
 * prefetches what the checker needs, with every row's geometry and relevé when propagation
 * needs them. `where`/`params` restrict the scan (the sources always come from the same rows).
 */
export function workspaceCheckRows(db: Database.Database, checker: SensitivityChecker, options: Pick<ObservationScanOptions, 'where' | 'params' | 'pageSize'> = {}): (pass: RowPass) => Iterable<ObservationRow> {
  return (pass) => {
    const only = pass.pass === 'sources' ? possibleSources(db, checker) : null;
    const where = [options.where, only?.where].filter((w): w is string => w !== undefined).map((w) => `(${w})`);
    return workspaceObservations(db, {
      ...options,
      ...(where.length ? { where: where.join(' AND '), params: [...(options.params ?? []), ...(only?.params ?? [])] } : {}),
      needsDetails: checker.needsDetails,
      positions: pass.positions,
    });
  };
}

/**
 * A condition on `o` that keeps every observation that may be a source of propagation
 * ({@link SensitivityChecker.mayBeSource}) and leaves out most of the others, so that the first
 * pass reads only those (SQLite filters the million plain rows without handing them over). A
 * superset by construction: a row is left out only when its `cd_nom` is an integer among the
 * workspace's taxa the checker says cannot be sources and its NIV_PRECIS is empty, 0 or 5.
 * Null when nothing can be left out (overrides exist, or every taxon may be a source).
 */
function possibleSources(db: Database.Database, checker: SensitivityChecker): { where: string; params: unknown[] } | null {
  // With overrides (by UUID, by filter) any row may be a source.
  if ((checker.options.overrides?.size ?? 0) > 0) return null;
  const taxa = db.prepare('SELECT DISTINCT cd_nom FROM observations WHERE typeof(cd_nom) = \'integer\'').pluck().all() as number[];
  const may = taxa.filter((c) => checker.mayBeSource(c, null));
  if (may.length === taxa.length) return null;
  return {
    where: `typeof(o.cd_nom) <> 'integer' OR abs(o.cd_nom) > 9007199254740991 OR o.cd_nom IN (SELECT value FROM json_each(?))
      OR (o.cd_nomenclature_diffusion_level IS NOT NULL AND o.cd_nomenclature_diffusion_level NOT IN ('', '0', '5'))`,
    params: [JSON.stringify(may)],
  };
}

/**
 * The first pass of a check over a workspace on its own (explain, a bundle): the sensitive
 * observations of every row, filed for propagation. Give the result to `checker.useSites`.
 */
export function workspaceSources(db: Database.Database, checker: SensitivityChecker): SensitiveSites {
  return checker.collectSources(workspaceCheckRows(db, checker)({ pass: 'sources', positions: false }));
}
