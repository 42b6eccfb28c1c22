import type pg from 'pg';
import type { MetaActor, NomenclatureValue } from '../../../shared/contract/index.js';
import { DATASET_FIELDS, float4Text, FRAMEWORK_FIELDS, metaLists, type MetaField, type MetaListProtocol, type MetaListPublication, type MetaValue } from '../../../shared/domain/metadata.js';
import type { DetectedSchema } from './detect.js';
import type { Nomenclatures } from './nomenclatures.js';
import { Params, qi } from './sql.js';

/** A CA or JDD as read from gn_meta, decoded: values by field name, nomenclatures as codes. */
export interface ServerMetaRow {
  readonly id: number;
  readonly uuid: string;
  /** Field values by name (shared/domain/metadata.ts). Absent optional columns are left out. */
  readonly values: Record<string, MetaValue>;
  readonly nomenclatures: Record<string, NomenclatureValue | null>;
  readonly actors: MetaActor[];
  readonly territories: NomenclatureValue[];
  /** The list fields (shared/domain/metadata.ts) the server has, by name; a list whose table is absent is left out. */
  readonly lists: Record<string, unknown[]>;
  readonly metaCreateDate: string | null;
  readonly metaUpdateDate: string | null;
  readonly extra: Record<string, unknown>;
}

const TABLE = { framework: ['gn_meta', 't_acquisition_frameworks'], dataset: ['gn_meta', 't_datasets'] } as const;

function selectField(f: MetaField, d: DetectedSchema, table: string, alias: string): string | null {
  if (f.via) {
    const via = `gn_meta.${f.via.table}`;
    if (!d.has(`${via}.${f.serverColumn}`) || !d.has(`${via}.${f.via.owner}`)) return null;
    const owner = table === 'gn_meta.t_datasets' ? 'id_dataset' : 'id_acquisition_framework';
    return `(SELECT max(v.${qi(f.serverColumn)}) FROM ${qi('gn_meta', f.via.table)} v WHERE v.${qi(f.via.owner)} = ${alias}.${qi(owner)})`;
  }
  if (!d.has(`${table}.${f.serverColumn}`)) return null;
  if (f.kind === 'framework') return `(SELECT af.unique_acquisition_framework_id::text FROM ${qi('gn_meta', 't_acquisition_frameworks')} af WHERE af.id_acquisition_framework = ${alias}.${qi(f.serverColumn)})`;
  if (f.kind === 'date') return `${alias}.${qi(f.serverColumn)}::date::text`;
  return `${alias}.${qi(f.serverColumn)}`;
}

/** Nomenclature lists of a cor_* table, by owner id. */
async function corList(client: pg.Client, d: DetectedSchema, noms: Nomenclatures, table: string, ownerCol: string, valueCol: string, ids: number[]): Promise<Map<number, NomenclatureValue[]>> {
  const out = new Map<number, NomenclatureValue[]>();
  if (!d.has(`gn_meta.${table}.${ownerCol}`) || !d.has(`gn_meta.${table}.${valueCol}`) || ids.length === 0) return out;
  const r = await client.query<{ owner: number; v: number }>(
    `SELECT ${qi(ownerCol)} AS owner, ${qi(valueCol)} AS v FROM ${qi('gn_meta', table)} WHERE ${qi(ownerCol)} = ANY($1::int[])`,
    [ids],
  );
  for (const row of r.rows) {
    const v = noms.value(row.v);
    if (!v) continue;
    const list = out.get(row.owner) ?? [];
    list.push(v);
    out.set(row.owner, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  return out;
}

async function actors(client: pg.Client, d: DetectedSchema, noms: Nomenclatures, table: string, ownerCol: string, ids: number[]): Promise<Map<number, MetaActor[]>> {
  const out = new Map<number, MetaActor[]>();
  if (!d.has(`gn_meta.${table}`) || ids.length === 0) return out;
  const orgs = d.has('utilisateurs.bib_organismes.nom_organisme');
  const roles = d.has('utilisateurs.t_roles.nom_role');
  const personMail = roles && d.has('utilisateurs.t_roles.email') ? 'r.email::text' : 'NULL::text';
  const orgMail = orgs && d.has('utilisateurs.bib_organismes.email_organisme') ? 'o.email_organisme::text' : 'NULL::text';
  const r = await client.query<{ owner: number; organism: string | null; organism_uuid: string | null; person: string | null; person_uuid: string | null; role: number | null; email: string | null }>(
    `SELECT a.${qi(ownerCol)} AS owner,
            ${orgs ? 'o.nom_organisme' : 'NULL::text'} AS organism, ${orgs ? 'o.uuid_organisme::text' : 'NULL::text'} AS organism_uuid,
            ${roles ? "nullif(trim(concat_ws(' ', r.nom_role, r.prenom_role)), '')" : 'NULL::text'} AS person, ${roles ? 'r.uuid_role::text' : 'NULL::text'} AS person_uuid,
            a.id_nomenclature_actor_role AS role,
            nullif(trim(coalesce(CASE WHEN a.id_role IS NOT NULL THEN ${personMail} END, ${orgMail})), '') AS email
       FROM ${qi('gn_meta', table)} a
       ${orgs ? `LEFT JOIN ${qi('utilisateurs', 'bib_organismes')} o ON o.id_organisme = a.id_organism` : ''}
       ${roles ? `LEFT JOIN ${qi('utilisateurs', 't_roles')} r ON r.id_role = a.id_role` : ''}
      WHERE a.${qi(ownerCol)} = ANY($1::int[])`,
    [ids],
  );
  for (const row of r.rows) {
    const list = out.get(row.owner) ?? [];
    list.push({ organism: row.organism, organismUuid: row.organism_uuid, person: row.person, personUuid: row.person_uuid, role: noms.value(row.role), email: row.email });
    out.set(row.owner, list);
  }
  for (const list of out.values()) list.sort((a, b) => `${a.role?.code}${a.organism}${a.person}`.localeCompare(`${b.role?.code}${b.organism}${b.person}`));
  return out;
}

/**
 * Reads CA or JDD rows with their decoded fields, actors and territories.
 *
 * `where`: restricts by uuid or id (null = all). Absent optional columns (e.g. develop's
 * t_datasets without id_nomenclature_dataset_objectif) are simply not in `values`.
 */
export async function readServerMeta(
  client: pg.Client,
  d: DetectedSchema,
  noms: Nomenclatures,
  entity: 'framework' | 'dataset',
  where: { uuids?: readonly string[]; ids?: readonly number[] } | null,
): Promise<ServerMetaRow[]> {
  const [schema, tableName] = TABLE[entity];
  const table = `${schema}.${tableName}`;
  const fields = entity === 'framework' ? FRAMEWORK_FIELDS : DATASET_FIELDS;
  const idCol = entity === 'framework' ? 'id_acquisition_framework' : 'id_dataset';
  const uuidCol = entity === 'framework' ? 'unique_acquisition_framework_id' : 'unique_dataset_id';
  const present = fields.map((f) => [f, selectField(f, d, table, 't')] as const).filter((x): x is readonly [MetaField, string] => x[1] !== null);
  const extras: Array<[string, string]> =
    entity === 'framework'
      ? [
          ['parent_uuid', `(SELECT p.unique_acquisition_framework_id::text FROM ${qi('gn_meta', 't_acquisition_frameworks')} p WHERE p.id_acquisition_framework = t.acquisition_framework_parent_id)`],
          ['initial_closing_date', 't.initial_closing_date::text'],
        ]
      : [];
  const extraSql = extras.filter(([name]) => d.has(`${table}.${name === 'parent_uuid' ? 'acquisition_framework_parent_id' : name}`));
  const p = new Params();
  const conds: string[] = [];
  if (where?.uuids) conds.push(`t.${qi(uuidCol)} = ANY(${p.add(where.uuids, 'uuid[]')})`);
  if (where?.ids) conds.push(`t.${qi(idCol)} = ANY(${p.add(where.ids, 'int[]')})`);
  const dates = ['meta_create_date', 'meta_update_date'].map((c) => (d.has(`${table}.${c}`) ? `t.${qi(c)}::text` : 'NULL::text'));
  const sql = `SELECT t.${qi(idCol)} AS __id, t.${qi(uuidCol)}::text AS __uuid, ${dates[0]} AS __created, ${dates[1]} AS __updated
                      ${present.map(([f, s]) => `, ${s} AS ${qi(f.name)}`).join('')}
                      ${extraSql.map(([name, s]) => `, ${s} AS ${qi(name)}`).join('')}
                 FROM ${qi(schema, tableName)} t
                ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
                ORDER BY 2`;
  const r = await client.query<Record<string, unknown>>(sql, p.values);
  const ids = r.rows.map((x) => x.__id as number);
  const prefix = entity === 'framework' ? 'cor_acquisition_framework_' : 'cor_dataset_';
  const owner = idCol;
  const actorMap = await actors(client, d, noms, `${prefix}actor`, owner, ids);
  const territories = await corList(client, d, noms, `${prefix}territory`, owner, 'id_nomenclature_territory', ids);
  const objectives =
    entity === 'framework'
      ? await corList(client, d, noms, 'cor_acquisition_framework_objectif', owner, 'id_nomenclature_objectif', ids)
      : await corList(client, d, noms, 'cor_dataset_objectif', owner, 'id_nomenclature_objectif', ids);
  const volets = entity === 'framework' ? await corList(client, d, noms, 'cor_acquisition_framework_voletsinp', owner, 'id_nomenclature_voletsinp', ids) : new Map();
  let protocols = new Map<number, MetaListProtocol[]>();
  if (entity === 'dataset' && d.has('gn_meta.cor_dataset_protocol.id_protocol') && d.has('gn_meta.sinp_datatype_protocols.protocol_name') && ids.length) {
    const col = (c: string) => (d.has(`gn_meta.sinp_datatype_protocols.${c}`) ? `p.${qi(c)}::text` : 'NULL::text');
    const pr = await client.query<{ owner: number; uuid: string; name: string; description: string | null; url: string | null; type: number | null }>(
      `SELECT c.id_dataset AS owner, p.unique_protocol_id::text AS uuid, p.protocol_name AS name, ${col('protocol_desc')} AS description,
              ${col('protocol_url')} AS url, ${d.has('gn_meta.sinp_datatype_protocols.id_nomenclature_protocol_type') ? 'p.id_nomenclature_protocol_type' : 'NULL::int'} AS type
         FROM ${qi('gn_meta', 'cor_dataset_protocol')} c JOIN ${qi('gn_meta', 'sinp_datatype_protocols')} p ON p.id_protocol = c.id_protocol
        WHERE c.id_dataset = ANY($1::int[]) ORDER BY 3, 2`,
      [ids],
    );
    protocols = new Map();
    for (const row of pr.rows) {
      const item: MetaListProtocol = { uuid: row.uuid, name: row.name, description: row.description, url: row.url, type: noms.code(row.type) };
      protocols.set(row.owner, [...(protocols.get(row.owner) ?? []), item]);
    }
  }
  // GeoNature's CA form writes t_bibliographical_references (cor_acquisition_framework_publication is older, reference §1.3).
  let publications: Map<number, MetaListPublication[]> | null = null;
  if (entity === 'framework' && d.has('gn_meta.t_bibliographical_references.publication_reference') && d.has('gn_meta.t_bibliographical_references.id_acquisition_framework')) {
    publications = new Map();
    if (ids.length) {
      const url = d.has('gn_meta.t_bibliographical_references.publication_url') ? 'b.publication_url::text' : 'NULL::text';
      const pb = await client.query<{ owner: number; reference: string; url: string | null }>(
        `SELECT b.id_acquisition_framework AS owner, b.publication_reference::text AS reference, ${url} AS url
           FROM ${qi('gn_meta', 't_bibliographical_references')} b WHERE b.id_acquisition_framework = ANY($1::int[]) ORDER BY 2, 3`,
        [ids],
      );
      for (const row of pb.rows) publications.set(row.owner, [...(publications.get(row.owner) ?? []), { reference: row.reference, url: row.url }]);
    }
  }
  // Which lists this server has (push writes only those).
  const serverHas = (t: string) => d.has(`gn_meta.${t}`);
  return r.rows.map((row) => {
    const id = row.__id as number;
    const values: Record<string, MetaValue> = {};
    const nomenclatures: Record<string, NomenclatureValue | null> = {};
    for (const [f] of present) {
      const raw = row[f.name];
      if (f.kind === 'nomenclature') {
        const v = noms.value(raw as number | null);
        nomenclatures[f.name] = v;
        values[f.name] = v?.code ?? null;
      } else if (f.kind === 'number') {
        values[f.name] = raw === null || raw === undefined ? null : float4Text(Number(raw));
      } else {
        values[f.name] = raw === null || raw === undefined ? null : typeof raw === 'boolean' ? raw : String(raw);
      }
    }
    const extra: Record<string, unknown> = Object.fromEntries(extraSql.map(([name]) => [name, row[name] ?? null]));
    extra.objectives = objectives.get(id) ?? [];
    if (entity === 'framework') extra.voletsSinp = volets.get(id) ?? [];
    else extra.protocols = protocols.get(id) ?? [];
    const all: Record<string, unknown[]> = {
      actors: actorMap.get(id) ?? [],
      territories: territories.get(id) ?? [],
      objectives: objectives.get(id) ?? [],
      volets_sinp: volets.get(id) ?? [],
      protocols: protocols.get(id) ?? [],
      publications: publications?.get(id) ?? [],
    };
    const lists: Record<string, unknown[]> = {};
    for (const l of metaLists(entity)) {
      if (l.name === 'publications' ? publications !== null : serverHas(l.serverTable)) lists[l.name] = all[l.name] ?? [];
    }
    return {
      id,
      uuid: row.__uuid as string,
      values,
      nomenclatures,
      actors: actorMap.get(id) ?? [],
      territories: territories.get(id) ?? [],
      lists,
      metaCreateDate: (row.__created as string | null) ?? null,
      metaUpdateDate: (row.__updated as string | null) ?? null,
      extra,
    };
  });
}
