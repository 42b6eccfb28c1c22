/**
 * Writing SINP model records (shared/metadata) into the workspace's CA/JDD tables, the way the
 * GeoNature connector's change methods do: one row update (or insert), a pending change-journal
 * entry per changed field or list (so push sends it), the undo record of the operation.
 *
 * What is refused (AppError INVALID_INPUT/NOT_FOUND) is only what the workspace or a push could
 * not hold: an unknown nomenclature code, a CA that does not exist, clearing a field the server
 * requires. Everything else the SINP rules object to (a missing main contact…) is stored and
 * reported by validation, so a record can be fixed step by step.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import {
  checkMetaValue,
  float4Text,
  metaField,
  metaFields,
  metaLists,
  type MetaCode,
  type MetaEntity,
  type MetaField,
  type MetaListActor,
  type MetaListProtocol,
  type MetaValue,
} from '../../../shared/domain/metadata.js';
import { isUuid, joinKeywords, splitKeywords, type AcquisitionFramework, type Dataset, type MetadataActor, type NomenclatureCatalog } from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { quoteId } from '../gpkg/identifiers.js';
import { checkValue, journal } from '../geonature/changes.js';
import { getWsMeta, jsonList, labelFor, META_TABLE, META_UUID, rowStatus, sameValue, toSqlite, type WsMetaRow } from '../geonature/ws-meta.js';
import { labelColumn } from '../workspace/format-v2.js';
import { T } from '../workspace/format.js';
import type { Operation } from './operations.js';
import { catalogLabel } from './workspace-set.js';

type Db = Database.Database;

/** What a write needs: the open database (in a transaction), who, the operation being recorded. */
export interface WriteContext {
  readonly db: Db;
  readonly actor: string;
  readonly op: Operation;
  readonly catalog: NomenclatureCatalog;
  /**
   * Keep codes the catalog does not know (an import: the file's records are held as they are and
   * validation reports `code.unknown` with its fix); a form's save refuses them.
   */
  readonly keepUnknownCodes?: boolean;
}

/** The workspace values a model record maps to. */
export interface RowValues {
  readonly values: Record<string, MetaValue>;
  readonly lists: Record<string, unknown[]>;
  /** additional_json (MTD attributsAdditionnels), or null. */
  readonly additional: string | null;
}

/** JSON with sorted keys and without null members, to compare values built in different orders. */
export function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined && (v as Record<string, unknown>)[k] !== null)
      .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const text = (s: string | null | undefined): string | null => (typeof s === 'string' && s.trim() !== '' ? s : null);
const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

function code(ctx: WriteContext, type: string, c: string): MetaCode {
  return { type, code: c, label: labelFor(ctx.db, type, c) ?? catalogLabel(ctx.catalog, type, c) ?? c };
}

/** Codes as list items, keeping an existing item (and its server label) when it has the same code. */
function codeItems(ctx: WriteContext, type: string, codes: readonly string[], current: readonly unknown[]): MetaCode[] {
  return [...new Set(codes)].map((c) => (current.find((x) => (x as MetaCode).code === c) as MetaCode | undefined) ?? code(ctx, type, c));
}

/** Model actors as `actors_json` items; an existing actor keeps its UsersHub UUIDs and server label. */
function actorItems(ctx: WriteContext, actors: readonly MetadataActor[], current: readonly unknown[]): MetaListActor[] {
  return actors.map((a) => {
    const same = current.find((x) => {
      const c = x as MetaListActor;
      return (c.role?.code ?? null) === a.role && lower(c.person) === lower(a.person) && lower(c.organism) === lower(a.organism);
    }) as MetaListActor | undefined;
    return {
      organism: text(a.organism),
      organismUuid: text(a.organismUuid) ?? same?.organismUuid ?? null,
      person: text(a.person),
      personUuid: same?.personUuid ?? null,
      role: a.role ? (same?.role?.code === a.role ? same.role : code(ctx, 'ROLE_ACTEUR', a.role)) : null,
      email: text(a.email),
    };
  });
}

/** The protocols of every JDD of the workspace, by lower-cased name (to give a new one an existing UUID). */
function protocolsByName(db: Db): Map<string, MetaListProtocol> {
  const out = new Map<string, MetaListProtocol>();
  for (const r of db.prepare(`SELECT protocols_json AS p FROM ${T.datasets} WHERE protocols_json IS NOT NULL`).all() as Array<{ p: string }>) {
    for (const x of jsonList(r.p) as MetaListProtocol[]) if (x.uuid && x.name && !out.has(lower(x.name))) out.set(lower(x.name), x);
  }
  return out;
}

/**
 * Model protocols as `protocols_json` items. Every protocol gets a UUID here (push links
 * protocols by UUID): an existing protocol of the same name lends its own, else a new one.
 */
export function protocolItems(db: Db, protocols: Dataset['protocols']): MetaListProtocol[] {
  let known: Map<string, MetaListProtocol> | null = null;
  return protocols.map((p) => {
    let uuid = text(p.uuid)?.toLowerCase() ?? null;
    let base: MetaListProtocol | undefined;
    if (!uuid) {
      known ??= protocolsByName(db);
      base = known.get(lower(p.name));
      uuid = base?.uuid ?? randomUUID();
    }
    return { uuid, name: p.name, description: text(p.description) ?? base?.description ?? null, url: text(p.url) ?? base?.url ?? null, type: text(p.type) ?? base?.type ?? null };
  });
}

function additionalText(attrs: AcquisitionFramework['additionalAttributes']): string | null {
  return attrs.length ? JSON.stringify(attrs.map((a) => ({ name: a.name, value: a.value, definition: a.definition }))) : null;
}

/** Keeps the stored keyword text when the record's keywords are the same list (no rewrite of "a;b" into "a, b"). */
function keywordsValue(keywords: readonly string[], current: MetaValue | undefined): string | null {
  const now = typeof current === 'string' ? current : null;
  const same = canon(splitKeywords(now)) === canon(splitKeywords(joinKeywords(keywords)));
  return same ? now : joinKeywords(keywords);
}

/** The workspace values of a CA record (`current`: its row, for what the model does not carry). */
export function frameworkValues(ctx: WriteContext, ca: AcquisitionFramework, current: WsMetaRow | null): RowValues {
  const cur = current?.values ?? {};
  const lists = current?.lists ?? {};
  return {
    values: {
      acquisition_framework_name: text(ca.name),
      acquisition_framework_desc: text(ca.description),
      territorial_level: text(ca.territorialLevel),
      territory_desc: text(ca.territoryDescription),
      keywords: keywordsValue(ca.keywords, cur.keywords),
      financing_type: text(ca.financingType),
      target_description: text(ca.targetDescription),
      ecologic_or_geologic_target: text(ca.ecologicalTarget),
      is_parent: ca.isMetaFramework,
      opened: current ? (cur.opened ?? null) : true,
      acquisition_framework_start_date: text(ca.startDate),
      acquisition_framework_end_date: text(ca.endDate),
      parent: text(ca.parentUuid)?.toLowerCase() ?? null,
    },
    lists: {
      actors: actorItems(ctx, ca.actors, lists.actors ?? []),
      territories: codeItems(ctx, 'TERRITOIRE', ca.territories, lists.territories ?? []),
      objectives: codeItems(ctx, 'CA_OBJECTIFS', ca.objectives, lists.objectives ?? []),
      volets_sinp: codeItems(ctx, 'VOLET_SINP', ca.voletsSinp, lists.volets_sinp ?? []),
      publications: ca.publications.map((p) => ({ reference: p.reference, url: text(p.url) })),
    },
    additional: additionalText(ca.additionalAttributes),
  };
}

/**
 * True when the JDD's objective is the scalar `dataset_objectif` (GeoNature 2.17, and JDD made
 * here); false on a server without that column (develop: cor_dataset_objectif only).
 */
function scalarObjective(current: WsMetaRow | null): boolean {
  return current === null || current.server === null || 'dataset_objectif' in current.server;
}

/** The workspace values of a JDD record. */
export function datasetValues(ctx: WriteContext, jdd: Dataset, current: WsMetaRow | null): RowValues {
  const cur = current?.values ?? {};
  const lists = current?.lists ?? {};
  const bbox = jdd.bbox;
  return {
    values: {
      acquisition_framework: text(jdd.frameworkUuid)?.toLowerCase() ?? null,
      dataset_name: text(jdd.name),
      dataset_shortname: text(jdd.shortName),
      dataset_desc: text(jdd.description),
      data_type: text(jdd.dataType),
      keywords: keywordsValue(jdd.keywords, cur.keywords),
      marine_domain: jdd.marineDomain,
      terrestrial_domain: jdd.terrestrialDomain,
      dataset_objectif: scalarObjective(current) ? (jdd.objectives[0] ?? null) : (cur.dataset_objectif ?? null),
      collecting_method: text(jdd.collectingMethod),
      data_origin: text(jdd.dataOrigin),
      source_status: text(jdd.sourceStatus),
      resource_type: text(jdd.resourceType),
      // Not in the SINP model: kept as they are; a JDD made here is active and validable (GeoNature's defaults).
      active: current ? (cur.active ?? null) : true,
      validable: current ? (cur.validable ?? null) : true,
      bbox_west: bbox ? float4Text(bbox.west) : null,
      bbox_east: bbox ? float4Text(bbox.east) : null,
      bbox_south: bbox ? float4Text(bbox.south) : null,
      bbox_north: bbox ? float4Text(bbox.north) : null,
      territory_desc: text(jdd.territoryDescription),
    },
    lists: {
      actors: actorItems(ctx, jdd.actors, lists.actors ?? []),
      territories: codeItems(ctx, 'TERRITOIRE', jdd.territories, lists.territories ?? []),
      protocols: protocolItems(ctx.db, jdd.protocols),
      objectives: codeItems(ctx, 'JDD_OBJECTIFS', jdd.objectives, lists.objectives ?? []),
    },
    additional: additionalText(jdd.additionalAttributes),
  };
}

/** Checks a field's value (kind, CA exists, code known unless the context keeps unknown codes). */
function checkField(ctx: WriteContext, f: MetaField, v: MetaValue): void {
  if (ctx.keepUnknownCodes && f.kind === 'nomenclature') {
    const reason = checkMetaValue(f, v);
    if (reason) throw new AppError('INVALID_INPUT', `Value refused for ${f.name}: ${reason}`, { key: 'errors.GN_BAD_VALUE', params: { field: f.name, reason } });
    return;
  }
  checkValue(ctx.db, f, v);
}

/** Checks the codes of a list against the workspace's catalog. */
function checkListCodes(ctx: WriteContext, name: string, items: readonly unknown[]): void {
  if (ctx.keepUnknownCodes) return;
  for (const raw of items) {
    const x = raw as Record<string, unknown>;
    const pairs: Array<[string, unknown]> =
      name === 'actors' ? [['ROLE_ACTEUR', (x.role as MetaCode | null)?.code]] : name === 'protocols' ? [['TYPE_PROTOCOLE', x.type]] : [[(x as unknown as MetaCode).type, x.code]];
    for (const [type, c] of pairs) {
      if (typeof c !== 'string' || c === '') continue;
      if (!ctx.catalog[type]?.values.some((v) => v.code === c)) {
        throw new AppError('INVALID_INPUT', `The code ${c} does not exist in the nomenclature ${type}`, { key: 'errors.GN_UNKNOWN_CODE', params: { code: c, type } });
      }
    }
  }
}

/** What one write changed: field names (scalars and lists) and whether the additional attributes moved. */
export interface WriteResult {
  readonly uuid: string;
  readonly changed: string[];
  readonly created: boolean;
}

/** The fields and lists of `next` that differ from `current`. */
export function diffRow(entity: MetaEntity, current: WsMetaRow, next: RowValues): { fields: string[]; lists: string[]; additional: boolean } {
  const fields = metaFields(entity).filter((f) => f.name in next.values && !sameValue(next.values[f.name], current.values[f.name])).map((f) => f.name);
  const lists = metaLists(entity).filter((l) => l.name in next.lists && canon(next.lists[l.name]) !== canon(current.lists[l.name] ?? [])).map((l) => l.name);
  const additional = (next.additional ?? null) !== ((current.raw.additional_json as string | null | undefined) ?? null);
  return { fields, lists, additional };
}

/** Updates a CA/JDD row from new values: journal per changed field, undo record, status. */
export function updateRow(ctx: WriteContext, entity: MetaEntity, current: WsMetaRow, next: RowValues): WriteResult {
  const { fields, lists, additional } = diffRow(entity, current, next);
  if (!fields.length && !lists.length && !additional) return { uuid: current.uuid, changed: [], created: false };
  ctx.op.touch(entity, current.uuid);
  const sets: Record<string, unknown> = {};
  const values = { ...current.values };
  for (const name of fields) {
    const f = metaField(entity, name);
    if (!f) continue;
    const v = next.values[name] ?? null;
    checkField(ctx, f, v);
    if (entity === 'framework' && name === 'parent' && v === current.uuid) {
      throw new AppError('INVALID_INPUT', 'A CA cannot be its own méta-cadre', { key: 'errors.GN_BAD_VALUE', params: { field: 'parent', reason: 'a CA cannot be its own méta-cadre' } });
    }
    values[name] = v;
    sets[f.column] = toSqlite(v);
    if (f.kind === 'nomenclature' && f.nomenclatureType) sets[labelColumn(f)] = labelFor(ctx.db, f.nomenclatureType, v as string | null) ?? catalogLabel(ctx.catalog, f.nomenclatureType, v as string | null);
  }
  const newLists = { ...current.lists };
  for (const name of lists) {
    const l = metaLists(entity).find((x) => x.name === name);
    if (!l) continue;
    const items = next.lists[name] ?? [];
    checkListCodes(ctx, name, items);
    newLists[name] = items;
    sets[l.column] = JSON.stringify(items);
  }
  if (additional) sets.additional_json = next.additional;
  sets.local_status = rowStatus(entity, values, newLists, current.server, current.status === 'created');
  const names = Object.keys(sets);
  ctx.db
    .prepare(`UPDATE ${META_TABLE[entity]} SET ${names.map((n) => `${quoteId(n)} = ?`).join(', ')} WHERE ${META_UUID[entity]} = ?`)
    .run(...names.map((n) => sets[n] as string | number | null), current.uuid);
  for (const name of fields) journal(ctx.db, { actor: ctx.actor, kind: 'edit', entity, uuid: current.uuid, field: name, before: current.values[name] ?? null, after: values[name] ?? null });
  for (const name of lists) journal(ctx.db, { actor: ctx.actor, kind: 'edit', entity, uuid: current.uuid, field: name, before: current.lists[name] ?? [], after: newLists[name] ?? [] });
  return { uuid: current.uuid, changed: [...fields, ...lists, ...(additional ? ['additionalAttributes'] : [])], created: false };
}

/** Inserts a CA/JDD made here (status created: push inserts it), with its journal entry. */
export function insertRow(ctx: WriteContext, entity: MetaEntity, uuid: string, next: RowValues): WriteResult {
  if (!isUuid(uuid)) throw new AppError('INVALID_INPUT', `${uuid} is not a UUID`, { key: 'errors.GN_BAD_VALUE', params: { field: 'uuid', reason: 'not a UUID' } });
  if (getWsMeta(ctx.db, 'framework', uuid) || getWsMeta(ctx.db, 'dataset', uuid)) {
    throw new AppError('CONFLICT', `A CA or JDD with the UUID ${uuid} already exists in this workspace`, { key: 'errors.GN_UUID_TAKEN', params: { uuid } });
  }
  ctx.op.touch(entity, uuid);
  const cols: Record<string, unknown> = { [META_UUID[entity]]: uuid, local_status: 'created', server_json: null, additional_json: next.additional };
  for (const f of metaFields(entity)) {
    const v = next.values[f.name] ?? null;
    if (v !== null) checkField(ctx, f, v);
    cols[f.column] = toSqlite(v);
    if (f.kind === 'nomenclature' && f.nomenclatureType) cols[labelColumn(f)] = labelFor(ctx.db, f.nomenclatureType, v as string | null) ?? catalogLabel(ctx.catalog, f.nomenclatureType, v as string | null);
  }
  for (const l of metaLists(entity)) {
    const items = next.lists[l.name] ?? [];
    checkListCodes(ctx, l.name, items);
    cols[l.column] = JSON.stringify(items);
  }
  // v1 `datasets` requires a name; the name is also what the tree shows.
  if (entity === 'dataset' && cols.dataset_name === null) cols.dataset_name = '';
  const names = Object.keys(cols);
  ctx.db.prepare(`INSERT INTO ${META_TABLE[entity]} (${names.map(quoteId).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => cols[n] as string | number | null));
  journal(ctx.db, { actor: ctx.actor, kind: entity === 'framework' ? 'create_framework' : 'create_dataset', entity, uuid, field: null, before: null, after: { ...next.values, ...next.lists } });
  return { uuid, changed: [...metaFields(entity).filter((f) => next.values[f.name] !== null && next.values[f.name] !== undefined).map((f) => f.name)], created: true };
}

/** Moves observations (by fid) to a JDD, with the journal entry push reads (UUID → previous JDD). */
export function moveObservations(ctx: WriteContext, to: string, rows: ReadonlyArray<{ fid: number; uuid: string; ds: string | null }>): number {
  const moving = rows.filter((r) => r.ds !== to);
  if (!moving.length) return 0;
  ctx.op.touchObservationsKnown(moving.map((r) => [r.fid, r.ds] as const));
  const update = ctx.db.prepare(`UPDATE ${T.observations} SET dataset_uuid = ? WHERE fid IN (SELECT value FROM json_each(?))`);
  for (let i = 0; i < moving.length; i += 50_000) update.run(to, JSON.stringify(moving.slice(i, i + 50_000).map((r) => r.fid)));
  const before: Record<string, string | null> = {};
  for (const r of moving) before[r.uuid] = r.ds;
  journal(ctx.db, { actor: ctx.actor, kind: 'reassign', entity: 'observation', uuid: to, field: 'dataset', before, after: { dataset: to, observations: moving.length } });
  return moving.length;
}
