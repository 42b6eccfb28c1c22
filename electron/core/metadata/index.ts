/**
 * Metadata exchange formats: MTD (INPN) import/export of CA and JDD, and per-JDD exports to
 * ISO 19139, EML 2.2 (GBIF), DCAT and schema.org JSON-LD; EML and ISO 19139 import of foreign
 * records. The lead's handlers call {@link exportMetadata} and {@link importMetadataFile}.
 */
import type { AcquisitionFramework, Dataset, ExportedMetadata, MetadataExportFormat, MetadataNote, MetadataSet } from '../../../shared/metadata/index.js';
import { AppError } from '../errors.js';
import { emlFromRoot, exportEml, isEmlRoot } from './eml.js';
import type { DatasetExportInput } from './export-common.js';
import { exportIso19139, findIsoRecord, isoFromRoot, type ForeignImport } from './iso19139.js';
import { exportDcat, exportSchemaOrg } from './jsonld.js';
import { exportMtd, mtdFromRoot, type MtdImport } from './mtd.js';
import { NS, descendants, qname, readXml } from './xml.js';

export { exportMtd, importMtd, type MtdImport } from './mtd.js';
export { exportIso19139, importIso19139, type ForeignImport } from './iso19139.js';
export { exportEml, importEml } from './eml.js';
export { exportDcat, exportSchemaOrg, boundedDescription, DESCRIPTION_MIN, DESCRIPTION_MAX } from './jsonld.js';
export { buildLineage, type DatasetExportInput } from './export-common.js';
export { decodeXml } from './xml.js';

/** What to export: a whole set (MTD) or one JDD with its CA (the other formats). */
export type ExportRequest =
  | { readonly format: 'mtd'; readonly set: MetadataSet }
  | ({ readonly format: Exclude<MetadataExportFormat, 'mtd'> } & DatasetExportInput);

/** Writes metadata in one of the formats. Pure: the caller writes the file (atomically). */
export function exportMetadata(request: ExportRequest): ExportedMetadata {
  switch (request.format) {
    case 'mtd':
      return exportMtd(request.set);
    case 'iso19139':
      return exportIso19139(request);
    case 'eml':
      return exportEml(request);
    case 'dcat':
      return exportDcat(request);
    case 'schemaorg':
      return exportSchemaOrg(request);
  }
}

/** What reading a metadata file gave, whatever its format. */
export type MetadataImport =
  | ({ readonly format: 'mtd' } & MtdImport)
  | ({ readonly format: 'eml' | 'iso19139' } & ForeignImport);

/**
 * Reads a metadata file, recognising its format by its root: an MTD feature collection (or a
 * bare CadreAcquisition/JeuDeDonnees), an EML document, an ISO 19139 record (bare, ISO 19115-2,
 * or inside a CSW response).
 *
 * @throws AppError INVALID_INPUT (`metadata.errors.notXml`, or `metadata.errors.notMtd` when the
 *   root is none of these)
 */
export function importMetadataFile(input: Uint8Array | string, where?: string): MetadataImport {
  const { root, encoding } = readXml(input, where);
  const mtd = root.ns === NS.mtd || descendants(root, 'CadreAcquisition', NS.mtd).length > 0 || descendants(root, 'JeuDeDonnees', NS.mtd).length > 0;
  if (mtd) return { format: 'mtd', ...mtdFromRoot(root, encoding, where) };
  if (isEmlRoot(root)) return { format: 'eml', ...emlFromRoot(root, encoding, where) };
  if (findIsoRecord(root)) return { format: 'iso19139', ...isoFromRoot(root, encoding, where) };
  if (root.name === 'MD_Metadata' || root.name === 'MI_Metadata') {
    // ISO 19115-3 (mdb:) or another ISO encoding: say so rather than "not metadata".
    throw new AppError('INVALID_INPUT', `Not an ISO 19139 record${where ? ` (${where})` : ''}: root ${qname(root)} (${root.ns ?? 'no namespace'})`, {
      key: 'metadata.errors.notIso',
      params: { root: qname(root) },
      ...(where ? { where } : {}),
    });
  }
  throw new AppError('INVALID_INPUT', `Not a metadata file Passerelle reads${where ? ` (${where})` : ''}: root ${qname(root)}`, {
    key: 'metadata.errors.notMtd',
    params: { root: qname(root) },
    ...(where ? { where } : {}),
  });
}

/** The records and notes of an import, as a metadata set (foreign records give one JDD and no CA). */
export function importedSet(result: MetadataImport): { set: MetadataSet; notes: readonly MetadataNote[] } {
  if (result.format === 'mtd') return { set: { frameworks: result.frameworks, datasets: result.datasets }, notes: result.notes };
  const frameworks: AcquisitionFramework[] = [];
  const datasets: Dataset[] = [result.dataset];
  return { set: { frameworks, datasets }, notes: result.notes };
}
