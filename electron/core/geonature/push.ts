import type pg from 'pg';
import type { MetaActor, NomenclatureValue, PushConflict, PushDiffRow, PushReport } from '../../../shared/contract/index.js';
import { metaFields, type MetaEntity, type MetaField, type MetaValue } from '../../../shared/domain/metadata.js';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import type { JobContext } from '../jobs/context.js';
import { appendAudit, T } from '../workspace/format.js';
import { hasTable } from '../workspace/migrations.js';
import { openWorkspace } from '../workspace/open.js';
import { describeGnTarget, gnError, openSession, type ResolvedConnection } from './connection.js';
import { missingPushPrivileges, requireReadable, type DetectedSchema } from './detect.js';
import { loadNomenclatures, type Nomenclatures } from './nomenclatures.js';
import { listConflicts, pendingReassignments, type PendingMove } from './pending.js';
import { provenanceOf } from './provenance.js';
import { readServerMeta, type ServerMetaRow } from './server-meta.js';
import { qi } from './sql.js';
import { META_TABLE, META_UUID, readWsMeta, sameValue, type WsMetaRow } from './ws-meta.js';

/** Input of the push task: the contract's, with the connection resolved. */
export interface PushTaskInput {
  readonly connection: ResolvedConnection;
  readonly workspace: string;
  readonly dryRun: boolean;
  readonly actor: string;
}

interface LocalState {
  readonly frameworks: WsMetaRow[];
  readonly datasets: WsMetaRow[];
  readonly names: Map<string, string>;
  readonly moves: Map<string, PendingMove>;
  readonly conflicts: PushConflict[];
  readonly maxJournalId: number;
  readonly pendingChanges: number;
}

const SERVER_TABLE: Record<MetaEntity, [string, string]> = { framework: ['gn_meta', 't_acquisition_frameworks'], dataset: ['gn_meta', 't_datasets'] };
const CHUNK = 10_000;

/** What the workspace wants to push, read once (read-only) before talking to the server. */
function readLocalState(path: string, input: PushTaskInput): LocalState {
  const ws = openWorkspace(path);
  try {
    const db = ws.db;
    const prov = provenanceOf(db);
    if (!prov || !hasTable(db, T.journal)) {
      throw new AppError('INVALID_INPUT', `${path} was not pulled from a GeoNature database: there is nothing to push`, { key: 'errors.GN_NOT_PULLED', params: { path }, where: path });
    }
    const t = input.connection.target;
    if (prov.server !== `${t.host}:${t.port}` || prov.database !== t.database) {
      const target = describeGnTarget(t);
      throw new AppError('CONFLICT', `${path} was pulled from ${prov.server}/${prov.database}, not from ${target}: it may not push there`, {
        key: 'errors.GN_OTHER_DATABASE',
        params: { path, pulled: `${prov.server}/${prov.database}`, target },
        where: path,
      });
    }
    const frameworks = readWsMeta(db, 'framework');
    const datasets = readWsMeta(db, 'dataset');
    const names = new Map<string, string>();
    for (const d of datasets) names.set(d.uuid, String(d.values.dataset_name ?? d.uuid));
    for (const f of frameworks) names.set(f.uuid, String(f.values.acquisition_framework_name ?? f.uuid));
    const conflicts = listConflicts(db).map((c) => ({ entity: c.entity, uuid: c.uuid, label: c.label, field: c.field, base: c.base, local: c.local, server: c.server }));
    const j = db.prepare(`SELECT max(id) AS m, count(*) AS n FROM ${T.journal} WHERE state = 'pending'`).get() as { m: number | null; n: number };
    return {
      frameworks: frameworks.filter((r) => r.status !== 'server'),
      datasets: datasets.filter((r) => r.status !== 'server'),
      names,
      moves: pendingReassignments(db),
      conflicts,
      maxJournalId: j.m ?? 0,
      pendingChanges: j.n,
    };
  } finally {
    ws.close();
  }
}

/** SQL for a value to write into a field: a parameter, a nomenclature resolved by code, a CA by UUID. */
function valueSql(f: MetaField, v: MetaValue, params: unknown[]): string {
  params.push(v);
  const p = `$${params.length}`;
  if (v === null) return 'NULL';
  if (f.kind === 'nomenclature') {
    params.push(f.nomenclatureType);
    return `ref_nomenclatures.get_id_nomenclature($${params.length}, ${p})`;
  }
  if (f.kind === 'framework') return `(SELECT id_acquisition_framework FROM ${qi('gn_meta', 't_acquisition_frameworks')} WHERE unique_acquisition_framework_id = ${p}::uuid)`;
  if (f.kind === 'date') return `${p}::date`;
  if (f.kind === 'boolean') return `${p}::boolean`;
  return `${p}::text`;
}

interface Plan {
  rows: PushDiffRow[];
  conflicts: PushConflict[];
  inserts: WsMetaRow[];
  updates: Array<{ entity: MetaEntity; uuid: string; fields: Array<[MetaField, MetaValue]> }>;
  moves: Map<string, string[]>;
  movesByPair: Map<string, { from: string | null; to: string; n: number }>;
}

/**
 * Compares what the workspace changed with the server as it is now, field by field:
 * server = local → nothing to do (already there); server = base (the value at pull) → write;
 * otherwise both sides changed it → conflict.
 */
async function plan(client: pg.Client, d: DetectedSchema, noms: Nomenclatures, local: LocalState, lock: boolean): Promise<Plan> {
  const out: Plan = { rows: [], conflicts: [...local.conflicts], inserts: [], updates: [], moves: new Map(), movesByPair: new Map() };
  const insertedUuids = new Set<string>();
  for (const entity of ['framework', 'dataset'] as const) {
    const wsRows = entity === 'framework' ? local.frameworks : local.datasets;
    if (!wsRows.length) continue;
    const [schema, table] = SERVER_TABLE[entity];
    const uuids = wsRows.map((r) => r.uuid);
    if (lock) await client.query(`SELECT 1 FROM ${qi(schema, table)} WHERE ${qi(META_UUID[entity])} = ANY($1::uuid[]) FOR UPDATE`, [uuids]);
    const server = new Map((await readServerMeta(client, d, noms, entity, { uuids })).map((r) => [r.uuid, r]));
    for (const w of wsRows) {
      const s = server.get(w.uuid);
      const name = local.names.get(w.uuid) ?? w.uuid;
      const conflict = (field: string, base: unknown, loc: unknown, srv: unknown) => out.conflicts.push({ entity, uuid: w.uuid, label: name, field, base, local: loc, server: srv });
      if (w.status === 'created') {
        if (s) {
          // Already there (a previous push whose workspace update did not land): fine if identical.
          const diff = metaFields(entity).filter((f) => f.name in s.values && !sameValue(s.values[f.name], w.values[f.name]));
          for (const f of diff) conflict(f.name, null, w.values[f.name] ?? null, s.values[f.name] ?? null);
          continue;
        }
        insertedUuids.add(w.uuid);
        out.inserts.push(w);
        for (const f of metaFields(entity)) {
          const v = w.values[f.name] ?? null;
          if (v === null) continue;
          if (!checkCode(f, v, noms, conflict)) continue;
          out.rows.push({ entity, uuid: w.uuid, name, action: 'insert', field: f.name, server: null, local: v, base: null, conflict: false });
        }
        continue;
      }
      if (!s) {
        conflict('deleted', w.server, w.values, null);
        continue;
      }
      const fields: Array<[MetaField, MetaValue]> = [];
      for (const f of metaFields(entity)) {
        const loc = w.values[f.name] ?? null;
        const base = w.server?.[f.name] ?? null;
        if (sameValue(loc, base)) continue;
        if (!(f.name in s.values)) {
          conflict(f.name, base, loc, '(no such column on the server)');
          continue;
        }
        const srv = s.values[f.name] ?? null;
        if (sameValue(srv, loc)) continue;
        if (!sameValue(srv, base)) {
          conflict(f.name, base, loc, srv);
          out.rows.push({ entity, uuid: w.uuid, name, action: 'update', field: f.name, server: srv, local: loc, base, conflict: true });
          continue;
        }
        if (!checkCode(f, loc, noms, conflict)) continue;
        fields.push([f, loc]);
        out.rows.push({ entity, uuid: w.uuid, name, action: 'update', field: f.name, server: srv, local: loc, base, conflict: false });
      }
      if (fields.length) out.updates.push({ entity, uuid: w.uuid, fields });
    }
  }

  // A JDD points to its CA by UUID: the CA must exist on the server (CAs are not created by push).
  const cas = new Set<string>();
  for (const w of out.inserts) if (typeof w.values.acquisition_framework === 'string') cas.add(w.values.acquisition_framework);
  for (const u of out.updates) for (const [f, v] of u.fields) if (f.kind === 'framework' && typeof v === 'string') cas.add(v);
  if (cas.size) {
    const known = new Set(
      (await client.query<{ u: string }>(`SELECT unique_acquisition_framework_id::text AS u FROM ${qi('gn_meta', 't_acquisition_frameworks')} WHERE unique_acquisition_framework_id = ANY($1::uuid[])`, [[...cas]])).rows.map((r) => r.u),
    );
    const missing = (uuid: string, v: unknown) => typeof v === 'string' && !known.has(v) && out.conflicts.push({ entity: 'dataset', uuid, label: local.names.get(uuid) ?? uuid, field: 'acquisition_framework', base: null, local: v, server: '(no such CA on the server)' });
    for (const w of out.inserts) missing(w.uuid, w.values.acquisition_framework);
    for (const u of out.updates) for (const [f, v] of u.fields) if (f.kind === 'framework') missing(u.uuid, v);
  }

  // Observations moved to another JDD.
  const moves = [...local.moves.values()];
  const targets = [...new Set(moves.map((m) => m.local).filter((u): u is string => u !== null))];
  const existing = targets.length
    ? new Set((await client.query<{ u: string }>(`SELECT unique_dataset_id::text AS u FROM ${qi('gn_meta', 't_datasets')} WHERE unique_dataset_id = ANY($1::uuid[])`, [targets])).rows.map((r) => r.u))
    : new Set<string>();
  for (let i = 0; i < moves.length; i += CHUNK) {
    const chunk = moves.slice(i, i + CHUNK);
    const r = await client.query<{ u: string; ds: string | null }>(
      `SELECT s.unique_id_sinp::text AS u, d.unique_dataset_id::text AS ds
         FROM ${qi('gn_synthese', 'synthese')} s LEFT JOIN ${qi('gn_meta', 't_datasets')} d ON d.id_dataset = s.id_dataset
        WHERE s.unique_id_sinp = ANY($1::uuid[]) ${lock ? 'FOR UPDATE OF s' : ''}`,
      [chunk.map((m) => m.uuid)],
    );
    const server = new Map(r.rows.map((x) => [x.u, x.ds]));
    for (const m of chunk) {
      const label = m.uuid;
      if (!server.has(m.uuid)) {
        out.conflicts.push({ entity: 'observation', uuid: m.uuid, label, field: 'deleted', base: m.base, local: m.local, server: null });
        continue;
      }
      const srv = server.get(m.uuid) ?? null;
      if (sameValue(srv, m.local)) continue;
      if (!sameValue(srv, m.base)) {
        out.conflicts.push({ entity: 'observation', uuid: m.uuid, label, field: 'dataset', base: m.base, local: m.local, server: srv });
        continue;
      }
      if (m.local === null || (!existing.has(m.local) && !insertedUuids.has(m.local))) {
        out.conflicts.push({ entity: 'observation', uuid: m.uuid, label, field: 'dataset', base: m.base, local: m.local, server: '(no such JDD on the server)' });
        continue;
      }
      out.moves.set(m.local, [...(out.moves.get(m.local) ?? []), m.uuid]);
      const key = `${m.base}\u0000${m.local}`;
      const pair = out.movesByPair.get(key) ?? { from: m.base, to: m.local, n: 0 };
      pair.n++;
      out.movesByPair.set(key, pair);
    }
  }
  return out;
}

/** A nomenclature code the server does not know cannot be written (get_id_nomenclature would give NULL). */
function checkCode(f: MetaField, v: MetaValue, noms: Nomenclatures, conflict: (field: string, base: unknown, loc: unknown, srv: unknown) => void): boolean {
  if (f.kind !== 'nomenclature' || v === null || !f.nomenclatureType) return true;
  if (noms.byCode(f.nomenclatureType, v as string)) return true;
  conflict(f.name, null, v, `(code unknown to the server in ${f.nomenclatureType})`);
  return false;
}

async function apply(client: pg.Client, d: DetectedSchema, p: Plan, ctx: JobContext): Promise<void> {
  for (const w of p.inserts) {
    const params: unknown[] = [w.uuid];
    const cols = ['unique_dataset_id'];
    const vals = ['$1::uuid'];
    for (const f of metaFields('dataset')) {
      const v = w.values[f.name] ?? null;
      if (v === null || !d.has(`gn_meta.t_datasets.${f.serverColumn}`)) continue;
      cols.push(f.serverColumn);
      vals.push(valueSql(f, v, params));
    }
    // NOT NULL; the server's trigger replaces it with now() (reference §0.1).
    if (d.has('gn_meta.t_datasets.meta_create_date')) {
      cols.push('meta_create_date');
      vals.push('now()');
    }
    const r = await client.query<{ id: number }>(
      `INSERT INTO ${qi('gn_meta', 't_datasets')} (${cols.map((c) => qi(c)).join(', ')}) VALUES (${vals.join(', ')}) RETURNING id_dataset AS id`,
      params,
    );
    const id = r.rows[0]?.id;
    if (id === undefined) continue;
    await insertActorsAndTerritories(client, d, id, w);
  }
  for (const u of p.updates) {
    const params: unknown[] = [];
    const sets = u.fields.map(([f, v]) => `${qi(f.serverColumn)} = ${valueSql(f, v, params)}`);
    params.push(u.uuid);
    const [schema, table] = SERVER_TABLE[u.entity];
    await client.query(`UPDATE ${qi(schema, table)} SET ${sets.join(', ')} WHERE ${qi(META_UUID[u.entity])} = $${params.length}::uuid`, params);
    await ctx.checkpoint();
  }
  for (const [to, uuids] of p.moves) {
    for (let i = 0; i < uuids.length; i += CHUNK) {
      await client.query(
        `UPDATE ${qi('gn_synthese', 'synthese')} SET id_dataset = (SELECT id_dataset FROM ${qi('gn_meta', 't_datasets')} WHERE unique_dataset_id = $1::uuid)
          WHERE unique_id_sinp = ANY($2::uuid[])`,
        [to, uuids.slice(i, i + CHUNK)],
      );
      await ctx.checkpoint();
    }
  }
}

/** Actors and territories of a new JDD, from the copy kept in the workspace (organisms and people by UUID, roles by code). */
async function insertActorsAndTerritories(client: pg.Client, d: DetectedSchema, id: number, w: WsMetaRow): Promise<void> {
  const actors = JSON.parse((w.raw.actors_json as string | null) ?? '[]') as MetaActor[];
  if (d.has('gn_meta.cor_dataset_actor.id_nomenclature_actor_role')) {
    for (const a of actors) {
      if (!a.role || (!a.organismUuid && !a.personUuid)) continue;
      await client.query(
        `INSERT INTO ${qi('gn_meta', 'cor_dataset_actor')} (id_dataset, id_organism, id_role, id_nomenclature_actor_role)
         SELECT $1, (SELECT id_organisme FROM ${qi('utilisateurs', 'bib_organismes')} WHERE uuid_organisme = $2::uuid),
                (SELECT id_role FROM ${qi('utilisateurs', 't_roles')} WHERE uuid_role = $3::uuid), ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', $4)
         WHERE EXISTS (SELECT 1 FROM ${qi('utilisateurs', 'bib_organismes')} WHERE uuid_organisme = $2::uuid)
            OR EXISTS (SELECT 1 FROM ${qi('utilisateurs', 't_roles')} WHERE uuid_role = $3::uuid)
         ON CONFLICT DO NOTHING`,
        [id, a.organismUuid, a.personUuid, a.role.code],
      );
    }
  }
  const territories = JSON.parse((w.raw.territories_json as string | null) ?? '[]') as NomenclatureValue[];
  if (d.has('gn_meta.cor_dataset_territory.id_nomenclature_territory')) {
    for (const t of territories) {
      await client.query(
        `INSERT INTO ${qi('gn_meta', 'cor_dataset_territory')} (id_dataset, id_nomenclature_territory)
         SELECT $1, ref_nomenclatures.get_id_nomenclature('TERRITOIRE', $2) WHERE ref_nomenclatures.get_id_nomenclature('TERRITOIRE', $2) IS NOT NULL ON CONFLICT DO NOTHING`,
        [id, t.code],
      );
    }
  }
}

/** After a successful push: the server's new values become the base, the journal entries are pushed, the audit says so. */
function recordPush(path: string, touched: Map<string, ServerMetaRow & { entity: MetaEntity }>, local: LocalState, report: PushReport, actor: string): void {
  const ws = openWorkspace(path, { write: true });
  try {
    const db = ws.db;
    db.transaction(() => {
      for (const [uuid, s] of touched) {
        const table = META_TABLE[s.entity];
        const row = readWsMeta(db, s.entity).find((r) => r.uuid === uuid);
        if (!row) continue;
        const status = metaFields(s.entity).some((f) => f.name in s.values && !sameValue(row.values[f.name], s.values[f.name])) ? 'modified' : 'server';
        const idCol = s.entity === 'framework' ? 'id_acquisition_framework' : 'id_dataset';
        db.prepare(
          `UPDATE ${table} SET server_json = ?, local_status = ?, meta_create_date = ?, meta_update_date = ?, ${quoteId(idCol)} = ? WHERE ${META_UUID[s.entity]} = ?`,
        ).run(JSON.stringify(s.values), status, s.metaCreateDate, s.metaUpdateDate, s.id, uuid);
      }
      db.prepare(`UPDATE ${T.journal} SET state = 'pushed', pushed_at = ? WHERE state = 'pending' AND id <= ?`).run(report.pushedAt, local.maxJournalId);
      appendAudit(db, {
        actor,
        action: 'push',
        entity: 'geonature',
        entityId: report.target,
        after: { target: report.target, rows: report.rows.length, moves: report.moves, changes: report.changes },
      });
    })();
  } finally {
    ws.close();
  }
}

/**
 * Pushes the workspace's metadata changes: diff against the server as it is now, then (unless
 * dry run) one transaction that writes them, all or nothing, and stops with CONFLICT when the
 * server changed what we change since the pull. Nomenclatures go by code (get_id_nomenclature);
 * the server's triggers set meta dates, which are read back into the workspace.
 */
export async function pushTask(input: PushTaskInput, ctx: JobContext): Promise<PushReport> {
  ctx.progress(0, 4, 'reading the workspace');
  const local = readLocalState(input.workspace, input);
  const session = await openSession(input.connection);
  const { client, target } = session;
  let committed = false;
  try {
    await client.query(input.dryRun ? 'BEGIN READ ONLY' : 'BEGIN');
    await client.query("SET LOCAL lock_timeout = '15s'");
    const d = await requireReadable(client, target, session.user);
    if (!input.dryRun) {
      const missing = await missingPushPrivileges(client);
      if (missing.length) {
        throw new AppError('PERMISSION_DENIED', `The role ${session.user} may not push to ${target}: ${missing.join(', ')}`, {
          key: 'errors.GN_NO_PRIVILEGE',
          params: { target, missing: missing.join(', ') },
        });
      }
    }
    const noms = await loadNomenclatures(client, d);
    ctx.progress(1, 4, 'comparing with the server');
    const p = await plan(client, d, noms, local, !input.dryRun);
    const moves = [...p.movesByPair.values()].map((m) => ({
      from: m.from,
      fromName: m.from ? (local.names.get(m.from) ?? null) : null,
      to: m.to,
      toName: local.names.get(m.to) ?? m.to,
      observations: m.n,
    }));
    const report: PushReport = { target, dryRun: input.dryRun, applied: false, rows: p.rows, moves, conflicts: p.conflicts, changes: local.pendingChanges, pushedAt: null };
    if (input.dryRun) {
      await client.query('ROLLBACK');
      return report;
    }
    if (p.conflicts.length) {
      const first = p.conflicts[0] as PushConflict;
      const what = `${first.entity} ${first.label}: ${first.field}`;
      throw new AppError('CONFLICT', `${target} changed since the pull: ${p.conflicts.length} conflict(s), e.g. ${what}. Nothing was written.`, {
        key: 'errors.GN_PUSH_CONFLICT',
        params: { target, count: p.conflicts.length, first: what },
      });
    }
    ctx.progress(2, 4, 'writing');
    await apply(client, d, p, ctx);
    const touched = new Map<string, ServerMetaRow & { entity: MetaEntity }>();
    for (const entity of ['framework', 'dataset'] as const) {
      const uuids = [...new Set([...p.updates.filter((u) => u.entity === entity).map((u) => u.uuid), ...(entity === 'dataset' ? p.inserts.map((w) => w.uuid) : []), ...(entity === 'framework' ? local.frameworks : local.datasets).map((w) => w.uuid)])];
      if (!uuids.length) continue;
      for (const r of await readServerMeta(client, d, noms, entity, { uuids })) touched.set(r.uuid, { ...r, entity });
    }
    await client.query('COMMIT');
    committed = true;
    ctx.progress(3, 4, 'recording the push');
    const done: PushReport = { ...report, applied: true, pushedAt: new Date().toISOString() };
    try {
      recordPush(input.workspace, touched, local, done, input.actor);
    } catch (e) {
      // The server has the changes; the next push finds them there (server = local) and only records them.
      const reason = e instanceof Error ? e.message : String(e);
      throw new AppError('INTERNAL', `The push to ${target} succeeded but ${input.workspace} could not record it (${reason}); push again to record it`, {
        key: 'errors.GN_PUSH_NOT_RECORDED',
        params: { target, path: input.workspace, reason },
        where: input.workspace,
        cause: e,
      });
    }
    ctx.progress(4, 4, 'done');
    return done;
  } catch (e) {
    if (!committed) await client.query('ROLLBACK').catch(() => undefined);
    throw gnError(e, target, 'push');
  } finally {
    await session.close();
  }
}
