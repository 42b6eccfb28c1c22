import { readFileSync } from 'node:fs';
import { parseCopyBlocks, type CopyBlock } from '../../electron/core/pg/copy-text.js';

/**
 * The parts of TaxHub's 2018 PNE dump (data/dev/jdd_taxo_dev_copy.sql) that describe taxa:
 * bib_noms (cd_nom, cd_ref, French name) and the taxon lists with their kingdom / INPN group.
 * It is the only real TAXREF-derived source at hand (MANIFEST §3, "Not found": no TAXREF extract).
 */
export interface TaxhubName {
  idNom: number;
  cdNom: number;
  cdRef: number;
  nomFrancais: string | null;
}

export interface TaxhubList {
  idListe: number;
  nomListe: string;
  descListe: string | null;
  regne: string | null;
  group2Inpn: string | null;
}

export interface TaxhubDump {
  names: TaxhubName[];
  lists: TaxhubList[];
  /** (id_liste, cd_nom): the 2018 cor_nom_liste points at bib_noms.id_nom, resolved here. */
  listMembers: Array<{ idListe: number; cdNom: number }>;
}

function block(blocks: CopyBlock[], table: string, path: string): CopyBlock {
  const b = blocks.find((x) => x.table === table);
  if (!b) throw new Error(`${path}: no COPY ${table} block`);
  return b;
}

function column(b: CopyBlock, name: string): number {
  const i = b.columns.indexOf(name);
  if (i < 0) throw new Error(`COPY ${b.table}: column ${name} missing`);
  return i;
}

export function readTaxhubDump(path: string): TaxhubDump {
  const blocks = parseCopyBlocks(readFileSync(path, 'utf8'));
  const noms = block(blocks, 'bib_noms', path);
  const listes = block(blocks, 'bib_listes', path);
  const cor = block(blocks, 'cor_nom_liste', path);
  const [iIdNom, iCdNom, iCdRef, iNom] = ['id_nom', 'cd_nom', 'cd_ref', 'nom_francais'].map((c) => column(noms, c)) as [number, number, number, number];
  const names = noms.rows.map((r) => ({
    idNom: Number(r[iIdNom]),
    cdNom: Number(r[iCdNom]),
    cdRef: Number(r[iCdRef]),
    nomFrancais: r[iNom] ?? null,
  }));
  const [lId, lNom, lDesc, lRegne, lGroup] = ['id_liste', 'nom_liste', 'desc_liste', 'regne', 'group2_inpn'].map((c) => column(listes, c)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const lists = listes.rows.map((r) => ({
    idListe: Number(r[lId]),
    nomListe: r[lNom] ?? '',
    descListe: r[lDesc] ?? null,
    regne: r[lRegne] ?? null,
    group2Inpn: r[lGroup] ?? null,
  }));
  const cdNomOfIdNom = new Map(names.map((n) => [n.idNom, n.cdNom]));
  const [cList, cNom] = ['id_liste', 'id_nom'].map((c) => column(cor, c)) as [number, number];
  const listMembers: TaxhubDump['listMembers'] = [];
  for (const r of cor.rows) {
    const cdNom = cdNomOfIdNom.get(Number(r[cNom]));
    if (cdNom !== undefined) listMembers.push({ idListe: Number(r[cList]), cdNom });
  }
  return { names, lists, listMembers };
}
