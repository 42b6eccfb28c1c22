import type Database from 'better-sqlite3';
import type { Conflict, MergeReport, Provenance } from '../../../shared/contract/index.js';
import { metaFields, metaLists, sameList, type MetaEntity } from '../../../shared/domain/metadata.js';
import { quoteId } from '../gpkg/identifiers.js';
import { labelColumn } from '../workspace/format-v2.js';
import { T } from '../workspace/format.js';
import { openWorkspace } from '../workspace/open.js';
import { pendingReassignments } from './pending.js';
import { PROVENANCE_KEYS, readProvenance } from './provenance.js';
import { getWsMeta, META_TABLE, META_UUID, readWsMeta, sameValue, serverLists, toSqlite } from './ws-meta.js';

type Db = Database.Database;

/** The workspace a re-pull merges into, opened read-only (never modified by the pull). */
export interface OldWorkspace {
  readonly path: string;
  /** The file to ATTACH (the workspace itself, or its private read-only copy). */
  readonly attachPath: string;
  readonly formatVersion: number;
  readonly provenance: Provenance | null;
  readonly title: string | null;
  /** passerelle_meta keys to carry over (not rewritten by the pull). */
  readonly extraMeta: ReadonlyMap<string, string | null>;
  close(): void;
}

/** Opens the workspace a re-pull will replace, read-only, and reads what the merge needs to know first. */
export function readOldWorkspace(path: string): OldWorkspace {
  const ws = openWorkspace(path);
  const own = new Set(['format_version', 'source', 'title', ...PROVENANCE_KEYS]);
  return {
    path,
    attachPath: ws.db.name,
    formatVersion: ws.formatVersion,
    provenance: readProvenance(ws.meta),
    title: ws.meta.get('title') ?? null,
    extraMeta: new Map([...ws.meta].filter(([k]) => !own.has(k))),
    close: () => ws.close(),
  };
}

/** Tables the pull writes itself; any other table of the old workspace (a later issue's) is copied as is. */
const PULL_TABLES = new Set<string>([
  T.meta,
  T.audit,
  T.observations,
  T.datasets,
  T.areas,
  T.corAreaObservation,
  T.frameworks,
  T.nomenclatures,
  T.taxref,
  T.sensitivityRules,
  T.sensitivityRuleAreas,
  T.sensitivityRuleCriteria,
  T.sensitivityAreaTypes,
  T.journal,
  T.conflicts,
]);

/**
 * Merges the old workspace (attached as `old`) into the freshly pulled one (`main`), by UUID.
 *
 * The server's new state is already in `main`. Local work is laid over it: CA/JDD fields edited
 * here, JDD created here, observations reassigned here. Where the server changed the same thing
 * since the last pull (and differently), the local value is kept, the old base is kept (so push
 * stops on it until the user decides) and a conflict is recorded. The journal, the audit log,
 * settled conflicts and tables of later issues are carried over. Nothing local is dropped.
 */
export function mergeWorkspace(db: Db, at: string): MergeReport {
  const oldHas = (table: string) => db.prepare(`SELECT 1 FROM old.sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
  const conflicts: Conflict[] = [];
  let keptLocal = 0;
  const addConflict = (c: Omit<Conflict, 'id' | 'detectedAt'>) => {
    const r = db
      .prepare(`INSERT INTO ${T.conflicts} (detected_at, entity, uuid, label, field, base_json, local_json, server_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(at, c.entity, c.uuid, c.label, c.field, JSON.stringify(c.base ?? null), JSON.stringify(c.local ?? null), JSON.stringify(c.server ?? null));
    conflicts.push({ ...c, id: Number(r.lastInsertRowid), detectedAt: at });
  };

  // Observation counts, before local changes are laid over.
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const added = one(`SELECT count(*) AS n FROM main.${T.observations} n WHERE NOT EXISTS (SELECT 1 FROM old.${T.observations} o WHERE o.unique_id_sinp = n.unique_id_sinp)`);
  const gone = one(`SELECT count(*) AS n FROM old.${T.observations} o WHERE NOT EXISTS (SELECT 1 FROM main.${T.observations} n WHERE n.unique_id_sinp = o.unique_id_sinp)`);
  const updated = one(
    `SELECT count(*) AS n FROM main.${T.observations} n JOIN old.${T.observations} o ON o.unique_id_sinp = n.unique_id_sinp
      WHERE n.meta_update_date IS NOT o.meta_update_date OR n.dataset_uuid IS NOT o.dataset_uuid OR n.date_min IS NOT o.date_min
         OR n.cd_nom IS NOT o.cd_nom OR n.geom IS NOT o.geom`,
  );
  const both = one(`SELECT count(*) AS n FROM main.${T.observations} n JOIN old.${T.observations} o ON o.unique_id_sinp = n.unique_id_sinp`);
  let keptObservations = 0;

  if (oldHas(T.journal)) {
    // History first, with its ids (the journal ids are what push marks as pushed).
    db.exec(`INSERT INTO main.${T.journal} SELECT * FROM old.${T.journal}`);
    db.exec(`INSERT INTO main.${T.audit} SELECT * FROM old.${T.audit}`);
    db.exec(`INSERT INTO main.${T.conflicts} SELECT * FROM old.${T.conflicts} WHERE resolved IS NOT NULL`);

    for (const entity of ['framework', 'dataset'] as const) keptLocal += mergeMeta(db, entity, addConflict);
    carryLocalColumns(db);

    // Observations reassigned here and not pushed yet.
    const moves = pendingReassignments(db, 'old');
    const getNew = db.prepare(`SELECT dataset_uuid AS ds FROM main.${T.observations} WHERE unique_id_sinp = ?`);
    const setNew = db.prepare(`UPDATE main.${T.observations} SET dataset_uuid = ? WHERE unique_id_sinp = ?`);
    for (const m of moves.values()) {
      const n = getNew.get(m.uuid) as { ds: string | null } | undefined;
      if (!n) {
        // Gone from the server or out of the filters: keep the observation and the change, say so.
        copyObservation(db, m.uuid);
        keptObservations++;
        addConflict({ entity: 'observation', uuid: m.uuid, label: m.uuid, field: 'deleted', base: m.base, local: m.local, server: null });
        continue;
      }
      if (sameValue(n.ds, m.local)) continue;
      setNew.run(m.local, m.uuid);
      keptLocal++;
      if (!sameValue(n.ds, m.base)) addConflict({ entity: 'observation', uuid: m.uuid, label: m.uuid, field: 'dataset', base: m.base, local: m.local, server: n.ds });
    }
  } else {
    db.exec(`INSERT INTO main.${T.audit} (at, actor, action, entity, entity_id, before_json, after_json, job_id) SELECT at, actor, action, entity, entity_id, before_json, after_json, job_id FROM old.${T.audit} ORDER BY id`);
  }
  copyOtherTables(db);
  return {
    added,
    updated,
    unchanged: both - updated,
    removed: gone - keptObservations,
    keptLocal: keptLocal + keptObservations,
    conflicts,
  };
}

/** Columns only the workspace has (MTD additional attributes, format 3): kept for every CA/JDD the new pull still has. */
function carryLocalColumns(db: Db): void {
  for (const entity of ['framework', 'dataset'] as const) {
    const table = META_TABLE[entity];
    const uuid = META_UUID[entity];
    const has = (schema: string) => (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as Array<{ name: string }>).some((c) => c.name === 'additional_json');
    if (!has('old') || !has('main')) continue;
    db.exec(
      `UPDATE main.${table} SET additional_json = (SELECT o.additional_json FROM old.${table} o WHERE o.${uuid} = main.${table}.${uuid})
        WHERE additional_json IS NULL AND EXISTS (SELECT 1 FROM old.${table} o WHERE o.${uuid} = main.${table}.${uuid} AND o.additional_json IS NOT NULL)`,
    );
  }
}

function copyObservation(db: Db, uuid: string): void {
  const inOld = new Set((db.prepare(`PRAGMA old.table_info(${T.observations})`).all() as Array<{ name: string }>).map((c) => c.name));
  const cols = (db.prepare(`PRAGMA main.table_info(${T.observations})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => inOld.has(c)).map(quoteId).join(', ');
  db.prepare(`INSERT OR IGNORE INTO main.${T.observations} (${cols}) SELECT ${cols} FROM old.${T.observations} WHERE unique_id_sinp = ?`).run(uuid);
  db.prepare(
    `INSERT OR IGNORE INTO main.${T.corAreaObservation} (observation_fid, area_fid)
     SELECT c.observation_fid, c.area_fid FROM old.${T.corAreaObservation} c JOIN old.${T.observations} o ON o.fid = c.observation_fid
      WHERE o.unique_id_sinp = ? AND c.area_fid IN (SELECT fid FROM main.${T.areas})`,
  ).run(uuid);
}

function mergeMeta(db: Db, entity: MetaEntity, addConflict: (c: Omit<Conflict, 'id' | 'detectedAt'>) => void): number {
  const table = META_TABLE[entity];
  const uuidCol = META_UUID[entity];
  const olds = readWsMeta(db, entity, 'old').filter((r) => r.status !== 'server');
  let kept = 0;
  for (const o of olds) {
    const n = getWsMeta(db, entity, o.uuid);
    if (!n) {
      // Created here, or not in the new extract: carry the row as it is.
      // Columns both files have (the old one may be an older format).
      const names = (schema: string) => (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
      const inOld = new Set(names('old'));
      const cols = names('main').filter((c) => c !== 'id' && inOld.has(c)).map(quoteId).join(', ');
      db.prepare(`INSERT INTO main.${table} (${cols}) SELECT ${cols} FROM old.${table} WHERE ${uuidCol} = ?`).run(o.uuid);
      kept++;
      continue;
    }
    const oldBase = o.server ?? n.server ?? {};
    const newServer = n.server ?? {};
    const base: Record<string, unknown> = { ...newServer };
    const sets: Record<string, unknown> = {};
    let modified = false;
    for (const f of metaFields(entity)) {
      const local = o.values[f.name] ?? null;
      if (sameValue(local, oldBase[f.name])) continue;
      const server = newServer[f.name];
      sets[f.column] = toSqlite(local);
      if (f.kind === 'nomenclature') sets[labelColumn(f)] = o.labels[f.name] ?? null;
      if (sameValue(server, local)) continue;
      modified = true;
      kept++;
      if (!sameValue(server, oldBase[f.name])) {
        base[f.name] = oldBase[f.name] ?? null;
        addConflict({ entity, uuid: o.uuid, label: String(o.values[entity === 'framework' ? 'acquisition_framework_name' : 'dataset_name'] ?? o.uuid), field: f.name, base: oldBase[f.name] ?? null, local, server: server ?? null });
      }
    }
    // Lists (actors, territories…), the same way: a local change is kept, a change on both sides is a conflict.
    const oldLists = serverLists(entity, oldBase);
    const newLists = serverLists(entity, newServer);
    for (const l of metaLists(entity)) {
      const local = o.lists[l.name] ?? [];
      if (!(l.name in oldLists) || sameList(l, local, oldLists[l.name])) continue;
      sets[l.column] = JSON.stringify(local);
      const server = newLists[l.name];
      if (server !== undefined && sameList(l, server, local)) continue;
      modified = true;
      kept++;
      if (server !== undefined && !sameList(l, server, oldLists[l.name])) {
        base[l.name] = oldLists[l.name] ?? [];
        addConflict({ entity, uuid: o.uuid, label: String(o.values[entity === 'framework' ? 'acquisition_framework_name' : 'dataset_name'] ?? o.uuid), field: l.name, base: oldLists[l.name] ?? [], local, server });
      }
    }
    sets.server_json = JSON.stringify(base);
    sets.local_status = modified ? 'modified' : 'server';
    const names = Object.keys(sets);
    db.prepare(`UPDATE main.${table} SET ${names.map((c) => `${quoteId(c)} = ?`).join(', ')} WHERE ${uuidCol} = ?`).run(...names.map((c) => sets[c] as string | number | null), o.uuid);
  }
  return kept;
}

/** Copies tables the pull does not own (a later issue's), with their registration, indexes and triggers. */
function copyOtherTables(db: Db): void {
  const objects = db
    .prepare(`SELECT type, name, tbl_name AS tbl, sql FROM old.sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END`)
    .all() as Array<{ type: string; name: string; tbl: string; sql: string }>;
  const present = new Set((db.prepare(`SELECT name FROM main.sqlite_master`).all() as Array<{ name: string }>).map((r) => r.name));
  const gpkgTables = new Set(['gpkg_spatial_ref_sys', 'gpkg_contents', 'gpkg_geometry_columns', 'gpkg_extensions', 'gpkg_ogr_contents']);
  const isOther = (tbl: string) => !PULL_TABLES.has(tbl) && !gpkgTables.has(tbl) && !/^rtree_(observations|areas)_/.test(tbl);
  // rtree shadow tables (_node, _parent, _rowid) are created by their virtual table.
  const virtual = new Set(objects.filter((o) => o.type === 'table' && /CREATE VIRTUAL TABLE/i.test(o.sql)).map((o) => o.name));
  const isShadow = (name: string) => [...virtual].some((v) => name.startsWith(`${v}_`));
  const tables = objects.filter((o) => o.type === 'table' && isOther(o.name) && !isShadow(o.name) && !present.has(o.name));
  for (const t of tables) {
    db.exec(t.sql.replace(/^CREATE (VIRTUAL )?TABLE\s+/i, (m) => `${m}main.`));
    db.exec(`INSERT INTO main.${quoteId(t.name)} SELECT * FROM old.${quoteId(t.name)}`);
    for (const reg of ['gpkg_contents', 'gpkg_geometry_columns', 'gpkg_extensions']) {
      db.prepare(`INSERT OR IGNORE INTO main.${reg} SELECT * FROM old.${reg} WHERE table_name = ?`).run(t.name);
    }
  }
  const copied = new Set(tables.map((t) => t.name));
  for (const o of objects) {
    if ((o.type === 'index' || o.type === 'trigger') && copied.has(o.tbl)) {
      db.exec(o.sql.replace(/^CREATE (UNIQUE )?(INDEX|TRIGGER)\s+(IF NOT EXISTS\s+)?/i, (m) => `${m}main.`));
    }
  }
  // Spatial reference systems a copied layer uses.
  db.exec(`INSERT OR IGNORE INTO main.gpkg_spatial_ref_sys SELECT * FROM old.gpkg_spatial_ref_sys`);
}
