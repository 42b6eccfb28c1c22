import type pg from 'pg';
import type { NomenclatureValue } from '../../../shared/contract/index.js';
import type { DetectedSchema } from './detect.js';
import { qi } from './sql.js';

/** One row of ref_nomenclatures.t_nomenclatures, with its type's mnemonique. */
export interface NomenclatureRow {
  readonly id: number;
  readonly type: string;
  readonly code: string;
  readonly mnemonique: string | null;
  readonly labelDefault: string;
  readonly labelFr: string | null;
  readonly labelEn: string | null;
  readonly definitionFr: string | null;
  readonly hierarchy: string | null;
  readonly active: boolean | null;
}

/**
 * The install's nomenclatures, to turn its integer ids into SINP codes and labels.
 *
 * Ids differ per install (reference §0.2): they are used here, in memory, to decode what the
 * server sends, and never written to a workspace.
 */
export class Nomenclatures {
  private readonly byId = new Map<number, NomenclatureRow>();
  private readonly byTypeCode = new Map<string, NomenclatureRow>();

  constructor(rows: readonly NomenclatureRow[]) {
    for (const r of rows) {
      this.byId.set(r.id, r);
      this.byTypeCode.set(`${r.type}\u0000${r.code}`, r);
    }
  }

  /** The row of an id; undefined for null or an unknown id. */
  row(id: number | string | null | undefined): NomenclatureRow | undefined {
    if (id === null || id === undefined || id === '') return undefined;
    return this.byId.get(typeof id === 'number' ? id : Number(id));
  }

  /** The SINP code of an id (null when null or unknown). */
  code(id: number | string | null | undefined): string | null {
    return this.row(id)?.code ?? null;
  }

  /** The decoded value of an id: type, code, label (French first, as GeoNature shows it). */
  value(id: number | string | null | undefined): NomenclatureValue | null {
    const r = this.row(id);
    return r ? { type: r.type, code: r.code, label: labelOf(r) } : null;
  }

  /** A value by type and code. */
  byCode(type: string, code: string): NomenclatureRow | undefined {
    return this.byTypeCode.get(`${type}\u0000${code}`);
  }

  /** Every row of the given types. */
  ofTypes(types: ReadonlySet<string>): NomenclatureRow[] {
    return [...this.byId.values()].filter((r) => types.has(r.type));
  }
}

/** label_fr, else label_default. */
export function labelOf(r: NomenclatureRow): string {
  return r.labelFr ?? r.labelDefault;
}

/** Reads every nomenclature of the install (a few hundred rows). */
export async function loadNomenclatures(client: pg.Client, d: DetectedSchema): Promise<Nomenclatures> {
  const col = (c: string, cast = 'text') => (d.has(`ref_nomenclatures.t_nomenclatures.${c}`) ? `n.${qi(c)}::${cast}` : `NULL::${cast}`);
  const r = await client.query<{
    id: number;
    type: string;
    code: string;
    mnemonique: string | null;
    label_default: string;
    label_fr: string | null;
    label_en: string | null;
    definition_fr: string | null;
    hierarchy: string | null;
    active: boolean | null;
  }>(
    `SELECT n.id_nomenclature AS id, t.mnemonique AS type, n.cd_nomenclature AS code, ${col('mnemonique')} AS mnemonique,
            n.label_default, ${col('label_fr')} AS label_fr, ${col('label_en')} AS label_en, ${col('definition_fr')} AS definition_fr,
            ${col('hierarchy')} AS hierarchy, ${col('active', 'boolean')} AS active
       FROM ${qi('ref_nomenclatures', 't_nomenclatures')} n JOIN ${qi('ref_nomenclatures', 'bib_nomenclatures_types')} t ON t.id_type = n.id_type`,
  );
  return new Nomenclatures(
    r.rows.map((x) => ({
      id: x.id,
      type: x.type,
      code: x.code,
      mnemonique: x.mnemonique,
      labelDefault: x.label_default,
      labelFr: x.label_fr,
      labelEn: x.label_en,
      definitionFr: x.definition_fr,
      hierarchy: x.hierarchy,
      active: x.active,
    })),
  );
}
