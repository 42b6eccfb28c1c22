import type pg from 'pg';
import type { PushConflict, PushDiffRow, PushReport } from '../../../shared/contract/index.js';
import {
  metaFields,
  metaLists,
  sameList,
  type MetaCode,
  type MetaEntity,
  type MetaField,
  type MetaListActor,
  type MetaListField,
  type MetaListProtocol,
  type MetaListPublication,
  type MetaValue,
} from '../../../shared/domain/metadata.js';
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
import { syncGpkgMetadata } from '../metadata/gpkg-metadata.js';
import { getWsMeta, META_TABLE, META_UUID, readWsMeta, rowStatus, sameValue, serverBase, serverLists, type WsMetaRow } from './ws-meta.js';

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
  if (f.kind === 'number') return `${p}::real`;
  return `${p}::text`;
}

/** A list field to replace on the server, with the items to write. */
interface ListChange {
  readonly field: MetaListField;
  readonly items: unknown[];
}

interface Plan {
  rows: PushDiffRow[];
  conflicts: PushConflict[];
  /** CA and JDD made here, CA first (a méta-cadre before its children). */
  inserts: Array<{ entity: MetaEntity; row: WsMetaRow }>;
  updates: Array<{ entity: MetaEntity; uuid: string; row: WsMetaRow; fields: Array<[MetaField, MetaValue]>; lists: ListChange[] }>;
  moves: Map<string, string[]>;
  movesByPair: Map<string, { from: string | null; to: string; n: number }>;
  actors: ActorResolver;
}

/** UsersHub ids of the organisms and people a push writes as actors, resolved by UUID, else by exact name. */
interface ActorResolver {
  organism(a: MetaListActor): number | null;
  person(a: MetaListActor): number | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

async function actorResolver(client: pg.Client, d: DetectedSchema, actors: readonly MetaListActor[]): Promise<ActorResolver> {
  const orgByUuid = new Map<string, number>();
  const orgByName = new Map<string, number[]>();
  const roleByUuid = new Map<string, number>();
  const roleByName = new Map<string, number[]>();
  const uuids = (pick: (a: MetaListActor) => string | null) => [...new Set(actors.map(pick).filter((u): u is string => typeof u === 'string' && UUID_RE.test(u)).map((u) => u.toLowerCase()))];
  const names = (pick: (a: MetaListActor) => string | null) => [...new Set(actors.map((a) => lower(pick(a))).filter((n) => n !== ''))];
  if (d.has('utilisateurs.bib_organismes.uuid_organisme') && actors.length) {
    const r = await client.query<{ id: number; u: string; n: string | null }>(
      `SELECT id_organisme AS id, uuid_organisme::text AS u, lower(trim(nom_organisme)) AS n FROM ${qi('utilisateurs', 'bib_organismes')}
        WHERE uuid_organisme = ANY($1::uuid[]) OR lower(trim(nom_organisme)) = ANY($2::text[])`,
      [uuids((a) => a.organismUuid), names((a) => a.organism)],
    );
    for (const x of r.rows) {
      orgByUuid.set(x.u, x.id);
      if (x.n) orgByName.set(x.n, [...(orgByName.get(x.n) ?? []), x.id]);
    }
  }
  if (d.has('utilisateurs.t_roles.uuid_role') && actors.length) {
    const notGroup = d.has('utilisateurs.t_roles.groupe') ? 'AND NOT coalesce(groupe, false)' : '';
    const r = await client.query<{ id: number; u: string; n: string }>(
      `SELECT id_role AS id, uuid_role::text AS u, lower(trim(concat_ws(' ', nom_role, prenom_role))) AS n FROM ${qi('utilisateurs', 't_roles')}
        WHERE (uuid_role = ANY($1::uuid[]) OR lower(trim(concat_ws(' ', nom_role, prenom_role))) = ANY($2::text[])) ${notGroup}`,
      [uuids((a) => a.personUuid), names((a) => a.person)],
    );
    for (const x of r.rows) {
      roleByUuid.set(x.u, x.id);
      roleByName.set(x.n, [...(roleByName.get(x.n) ?? []), x.id]);
    }
  }
  const pick = (byUuid: Map<string, number>, byName: Map<string, number[]>, uuid: string | null, name: string | null): number | null => {
    if (uuid && byUuid.has(uuid.toLowerCase())) return byUuid.get(uuid.toLowerCase()) ?? null;
    const candidates = byName.get(lower(name)) ?? [];
    return candidates.length === 1 ? (candidates[0] ?? null) : null;
  };
  return {
    organism: (a) => (a.organism || a.organismUuid ? pick(orgByUuid, orgByName, a.organismUuid, a.organism) : null),
    person: (a) => (a.person || a.personUuid ? pick(roleByUuid, roleByName, a.personUuid, a.person) : null),
  };
}

/** The CA made here in the order a push inserts them: a parent made here before its children. */
function frameworksInOrder(rows: readonly WsMetaRow[]): WsMetaRow[] {
  const byUuid = new Map(rows.map((r) => [r.uuid, r]));
  const out: WsMetaRow[] = [];
  const seen = new Set<string>();
  const visit = (r: WsMetaRow, depth: number) => {
    if (seen.has(r.uuid) || depth > rows.length) return;
    const parent = typeof r.values.parent === 'string' ? byUuid.get(r.values.parent) : undefined;
    if (parent) visit(parent, depth + 1);
    if (!seen.has(r.uuid)) {
      seen.add(r.uuid);
      out.push(r);
    }
  };
  for (const r of rows) visit(r, 0);
  return out;
}

/**
 * Compares what the workspace changed with the server as it is now, field by field and list by
 * list: server = local → nothing to do (already there); server = base (the value at pull) →
 * write; otherwise both sides changed it → conflict.
 */
async function plan(client: pg.Client, d: DetectedSchema, noms: Nomenclatures, local: LocalState, lock: boolean): Promise<Plan> {
  const out: Omit<Plan, 'actors'> = { rows: [], conflicts: [...local.conflicts], inserts: [], updates: [], moves: new Map(), movesByPair: new Map() };
  const inserted = { framework: new Set<string>(), dataset: new Set<string>() };
  const written: MetaListActor[] = [];
  const actorChecks: Array<{ entity: MetaEntity; uuid: string; name: string; actors: MetaListActor[] }> = [];
  for (const entity of ['framework', 'dataset'] as const) {
    const wsRows = entity === 'framework' ? frameworksInOrder(local.frameworks) : local.datasets;
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
          for (const l of metaLists(entity)) if (l.name in s.lists && !sameList(l, s.lists[l.name], w.lists[l.name])) conflict(l.name, null, w.lists[l.name] ?? [], s.lists[l.name]);
          continue;
        }
        inserted[entity].add(w.uuid);
        out.inserts.push({ entity, row: w });
        for (const f of metaFields(entity)) {
          const v = w.values[f.name] ?? null;
          if (v === null) {
            // NOT NULL without a server default (names, descriptions, domains, start date): the INSERT would fail.
            if (f.required && !f.optional && f.kind !== 'nomenclature') conflict(f.name, null, null, '(required: fill it before pushing)');
            continue;
          }
          if (!checkCode(f, v, noms, conflict)) continue;
          out.rows.push({ entity, uuid: w.uuid, name, action: 'insert', field: f.name, server: null, local: v, base: null, conflict: false });
        }
        for (const l of metaLists(entity)) {
          const items = w.lists[l.name] ?? [];
          if (!items.length || !d.has(`gn_meta.${l.serverTable}`)) continue;
          if (!checkListCodes(l, items, noms, conflict)) continue;
          if (l.kind === 'actors') {
            actorChecks.push({ entity, uuid: w.uuid, name, actors: items as MetaListActor[] });
            written.push(...(items as MetaListActor[]));
          }
          out.rows.push({ entity, uuid: w.uuid, name, action: 'insert', field: l.name, server: null, local: items, base: null, conflict: false });
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
      const lists: ListChange[] = [];
      const bases = serverLists(entity, w.server);
      for (const l of metaLists(entity)) {
        // A list the server did not have at the last pull is never written.
        if (!(l.name in bases)) continue;
        const loc = w.lists[l.name] ?? [];
        const base = bases[l.name] ?? [];
        if (sameList(l, loc, base)) continue;
        if (!(l.name in s.lists)) {
          conflict(l.name, base, loc, '(no such table on the server)');
          continue;
        }
        const srv = s.lists[l.name] ?? [];
        if (sameList(l, srv, loc)) continue;
        if (!sameList(l, srv, base)) {
          conflict(l.name, base, loc, srv);
          out.rows.push({ entity, uuid: w.uuid, name, action: 'update', field: l.name, server: srv, local: loc, base, conflict: true });
          continue;
        }
        if (!checkListCodes(l, loc, noms, conflict)) continue;
        if (l.kind === 'actors') {
          actorChecks.push({ entity, uuid: w.uuid, name, actors: loc as MetaListActor[] });
          written.push(...(loc as MetaListActor[]));
        }
        lists.push({ field: l, items: loc });
        out.rows.push({ entity, uuid: w.uuid, name, action: 'update', field: l.name, server: srv, local: loc, base, conflict: false });
      }
      if (fields.length || lists.length) out.updates.push({ entity, uuid: w.uuid, row: w, fields, lists });
    }
  }

  // CA a JDD or a CA points to: on the server, or made here and inserted by this push.
  const refs: Array<{ entity: MetaEntity; uuid: string; field: string; ca: string }> = [];
  for (const { entity, row } of out.inserts) {
    for (const f of metaFields(entity)) if (f.kind === 'framework' && typeof row.values[f.name] === 'string') refs.push({ entity, uuid: row.uuid, field: f.name, ca: row.values[f.name] as string });
  }
  for (const u of out.updates) for (const [f, v] of u.fields) if (f.kind === 'framework' && typeof v === 'string') refs.push({ entity: u.entity, uuid: u.uuid, field: f.name, ca: v });
  const cas = [...new Set(refs.map((r) => r.ca).filter((u) => !inserted.framework.has(u)))];
  if (cas.length) {
    const known = new Set(
      (await client.query<{ u: string }>(`SELECT unique_acquisition_framework_id::text AS u FROM ${qi('gn_meta', 't_acquisition_frameworks')} WHERE unique_acquisition_framework_id = ANY($1::uuid[])`, [cas])).rows.map((r) => r.u),
    );
    for (const r of refs) {
      if (!inserted.framework.has(r.ca) && !known.has(r.ca)) out.conflicts.push({ entity: r.entity, uuid: r.uuid, label: local.names.get(r.uuid) ?? r.uuid, field: r.field, base: null, local: r.ca, server: '(no such CA on the server)' });
    }
  }

  // Actors must exist in UsersHub (a push does not create organisms or people).
  const actors = await actorResolver(client, d, written);
  for (const c of actorChecks) {
    for (const a of c.actors) {
      if (actors.organism(a) === null && actors.person(a) === null) {
        const who = [a.person, a.organism].filter(Boolean).join(', ') || '?';
        out.conflicts.push({ entity: c.entity, uuid: c.uuid, label: c.name, field: 'actors', base: null, local: a, server: `(organism or person unknown to the server: ${who})` });
      }
    }
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
      if (m.local === null || (!existing.has(m.local) && !inserted.dataset.has(m.local))) {
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
  return { ...out, actors };
}

/** A nomenclature code the server does not know cannot be written (get_id_nomenclature would give NULL). */
function checkCode(f: MetaField, v: MetaValue, noms: Nomenclatures, conflict: (field: string, base: unknown, loc: unknown, srv: unknown) => void): boolean {
  if (f.kind !== 'nomenclature' || v === null || !f.nomenclatureType) return true;
  if (noms.byCode(f.nomenclatureType, v as string)) return true;
  conflict(f.name, null, v, `(code unknown to the server in ${f.nomenclatureType})`);
  return false;
}

/** The same for the codes of a list (territories, objectives, volets, actor roles, protocol types). */
function checkListCodes(l: MetaListField, items: readonly unknown[], noms: Nomenclatures, conflict: (field: string, base: unknown, loc: unknown, srv: unknown) => void): boolean {
  const codes: Array<[string, string]> = [];
  for (const raw of items) {
    const x = (raw ?? {}) as Record<string, unknown>;
    if (l.kind === 'nomenclatures' && l.nomenclatureType) codes.push([l.nomenclatureType, String(x.code ?? '')]);
    if (l.kind === 'actors') codes.push(['ROLE_ACTEUR', String((x.role as MetaCode | null)?.code ?? '')]);
    if (l.kind === 'protocols' && typeof x.type === 'string' && x.type) codes.push(['TYPE_PROTOCOLE', x.type]);
  }
  const bad = codes.find(([type, code]) => !noms.byCode(type, code));
  if (!bad) return true;
  conflict(l.name, null, items, `(code ${bad[1] || '(none)'} unknown to the server in ${bad[0]})`);
  return false;
}

/** The column of a nomenclature list's table holding the value. */
const LIST_VALUE_COLUMN: Record<string, string> = {
  territories: 'id_nomenclature_territory',
  objectives: 'id_nomenclature_objectif',
  volets_sinp: 'id_nomenclature_voletsinp',
};

/** Replaces an owner's rows of a list on the server with the workspace's items. */
async function writeList(client: pg.Client, d: DetectedSchema, entity: MetaEntity, id: number, l: MetaListField, items: readonly unknown[], w: WsMetaRow, actors: ActorResolver): Promise<void> {
  if (!d.has(`gn_meta.${l.serverTable}`)) return;
  const table = qi('gn_meta', l.serverTable);
  const owner = qi(l.owner);
  await client.query(`DELETE FROM ${table} WHERE ${owner} = $1`, [id]);
  switch (l.kind) {
    case 'nomenclatures': {
      const col = LIST_VALUE_COLUMN[l.name] ?? 'id_nomenclature';
      const codes = [...new Set(items.map((x) => String((x as MetaCode).code)))];
      // JDD territories carry the JDD's territory description (cor_dataset_territory.territory_desc).
      const desc = entity === 'dataset' && l.name === 'territories' && d.has('gn_meta.cor_dataset_territory.territory_desc');
      for (const code of codes) {
        await client.query(
          `INSERT INTO ${table} (${owner}, ${qi(col)}${desc ? ', territory_desc' : ''})
           SELECT $1, ref_nomenclatures.get_id_nomenclature($2, $3)${desc ? ', $4::text' : ''} ON CONFLICT DO NOTHING`,
          desc ? [id, l.nomenclatureType, code, w.values.territory_desc ?? null] : [id, l.nomenclatureType, code],
        );
      }
      return;
    }
    case 'actors':
      for (const a of items as MetaListActor[]) {
        const org = actors.organism(a);
        const person = actors.person(a);
        if ((org === null && person === null) || !a.role) continue;
        await client.query(
          `INSERT INTO ${table} (${owner}, id_organism, id_role, id_nomenclature_actor_role)
           VALUES ($1, $2, $3, ref_nomenclatures.get_id_nomenclature('ROLE_ACTEUR', $4)) ON CONFLICT DO NOTHING`,
          [id, org, person, a.role.code],
        );
      }
      return;
    case 'protocols':
      for (const p of items as MetaListProtocol[]) {
        if (!p.uuid || !UUID_RE.test(p.uuid)) continue;
        // A protocol made here is added to the server's catalogue (type unknown, '0', when not given).
        await client.query(
          `INSERT INTO ${qi('gn_meta', 'sinp_datatype_protocols')} (unique_protocol_id, protocol_name, protocol_desc, id_nomenclature_protocol_type, protocol_url)
           SELECT $1::uuid, $2, $3, coalesce(ref_nomenclatures.get_id_nomenclature('TYPE_PROTOCOLE', $4), ref_nomenclatures.get_id_nomenclature('TYPE_PROTOCOLE', '0')), $5
           WHERE NOT EXISTS (SELECT 1 FROM ${qi('gn_meta', 'sinp_datatype_protocols')} WHERE unique_protocol_id = $1::uuid)`,
          [p.uuid, p.name, p.description ?? null, p.type ?? null, p.url ?? null],
        );
        await client.query(
          `INSERT INTO ${table} (${owner}, id_protocol) SELECT $1, id_protocol FROM ${qi('gn_meta', 'sinp_datatype_protocols')} WHERE unique_protocol_id = $2::uuid ON CONFLICT DO NOTHING`,
          [id, p.uuid],
        );
      }
      return;
    case 'publications':
      for (const p of items as MetaListPublication[]) {
        await client.query(`INSERT INTO ${table} (${owner}, publication_reference, publication_url) VALUES ($1, $2, $3)`, [id, p.reference, p.url ?? null]);
      }
      return;
  }
}

/** Writes the fields kept in another table of the server (territory_desc on cor_dataset_territory). */
async function writeVia(client: pg.Client, d: DetectedSchema, id: number, fields: ReadonlyArray<readonly [MetaField, MetaValue]>): Promise<void> {
  for (const [f, v] of fields) {
    if (!f.via || !d.has(`gn_meta.${f.via.table}.${f.serverColumn}`)) continue;
    const params: unknown[] = [];
    const value = valueSql(f, v, params);
    params.push(id);
    await client.query(`UPDATE ${qi('gn_meta', f.via.table)} SET ${qi(f.serverColumn)} = ${value} WHERE ${qi(f.via.owner)} = $${params.length}`, params);
  }
}

async function apply(client: pg.Client, d: DetectedSchema, p: Plan, ctx: JobContext): Promise<void> {
  for (const { entity, row: w } of p.inserts) {
    const [schema, table] = SERVER_TABLE[entity];
    const params: unknown[] = [w.uuid];
    const cols = [META_UUID[entity]];
    const vals = ['$1::uuid'];
    for (const f of metaFields(entity)) {
      const v = w.values[f.name] ?? null;
      if (v === null || f.via || !d.has(`${schema}.${table}.${f.serverColumn}`)) continue;
      cols.push(f.serverColumn);
      vals.push(valueSql(f, v, params));
    }
    // NOT NULL; the server's trigger replaces it with now() (reference §0.1).
    if (d.has(`${schema}.${table}.meta_create_date`)) {
      cols.push('meta_create_date');
      vals.push('now()');
    }
    const idCol = entity === 'framework' ? 'id_acquisition_framework' : 'id_dataset';
    const r = await client.query<{ id: number }>(
      `INSERT INTO ${qi(schema, table)} (${cols.map((c) => qi(c)).join(', ')}) VALUES (${vals.join(', ')}) RETURNING ${qi(idCol)} AS id`,
      params,
    );
    const id = r.rows[0]?.id;
    if (id === undefined) continue;
    for (const l of metaLists(entity)) {
      const items = w.lists[l.name] ?? [];
      if (items.length) await writeList(client, d, entity, id, l, items, w, p.actors);
    }
    await writeVia(client, d, id, metaFields(entity).filter((f) => f.via).map((f) => [f, w.values[f.name] ?? null] as const));
    await ctx.checkpoint();
  }
  for (const u of p.updates) {
    const [schema, table] = SERVER_TABLE[u.entity];
    const direct = u.fields.filter(([f]) => !f.via);
    const params: unknown[] = [];
    const sets = direct.map(([f, v]) => `${qi(f.serverColumn)} = ${valueSql(f, v, params)}`);
    params.push(u.uuid);
    const idCol = u.entity === 'framework' ? 'id_acquisition_framework' : 'id_dataset';
    const r = sets.length
      ? await client.query<{ id: number }>(`UPDATE ${qi(schema, table)} SET ${sets.join(', ')} WHERE ${qi(META_UUID[u.entity])} = $${params.length}::uuid RETURNING ${qi(idCol)} AS id`, params)
      : await client.query<{ id: number }>(`SELECT ${qi(idCol)} AS id FROM ${qi(schema, table)} WHERE ${qi(META_UUID[u.entity])} = $1::uuid`, [u.uuid]);
    const id = r.rows[0]?.id;
    if (id !== undefined) {
      for (const c of u.lists) await writeList(client, d, u.entity, id, c.field, c.items, u.row, p.actors);
      // After the lists: the territory rows the description goes on may just have been written.
      const via = u.fields.filter(([f]) => f.via);
      if (u.lists.some((c) => c.field.name === 'territories') && u.entity === 'dataset') {
        const f = metaFields('dataset').find((x) => x.via);
        if (f && !via.some(([x]) => x === f)) via.push([f, u.row.values[f.name] ?? null]);
      }
      await writeVia(client, d, id, via);
    }
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

/** After a successful push: the server's new values become the base, the journal entries are pushed, the audit says so. */
function recordPush(path: string, touched: Map<string, ServerMetaRow & { entity: MetaEntity }>, local: LocalState, report: PushReport, actor: string): void {
  const ws = openWorkspace(path, { write: true });
  try {
    const db = ws.db;
    db.transaction(() => {
      for (const [uuid, s] of touched) {
        const table = META_TABLE[s.entity];
        const row = getWsMeta(db, s.entity, uuid);
        if (!row) continue;
        const base = serverBase(s);
        const status = rowStatus(s.entity, row.values, row.lists, base);
        const idCol = s.entity === 'framework' ? 'id_acquisition_framework' : 'id_dataset';
        db.prepare(
          `UPDATE ${table} SET server_json = ?, local_status = ?, meta_create_date = ?, meta_update_date = ?, ${quoteId(idCol)} = ? WHERE ${META_UUID[s.entity]} = ?`,
        ).run(JSON.stringify(base), status, s.metaCreateDate, s.metaUpdateDate, s.id, uuid);
      }
      db.prepare(`UPDATE ${T.journal} SET state = 'pushed', pushed_at = ? WHERE state = 'pending' AND id <= ?`).run(report.pushedAt, local.maxJournalId);
      appendAudit(db, {
        actor,
        action: 'push',
        entity: 'geonature',
        entityId: report.target,
        after: { target: report.target, rows: report.rows.length, moves: report.moves, changes: report.changes },
      });
      syncGpkgMetadata(db);
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
      const uuids = [
        ...new Set([
          ...p.updates.filter((u) => u.entity === entity).map((u) => u.uuid),
          ...p.inserts.filter((i) => i.entity === entity).map((i) => i.row.uuid),
          ...(entity === 'framework' ? local.frameworks : local.datasets).map((w) => w.uuid),
        ]),
      ];
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
