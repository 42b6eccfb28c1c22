import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA } from '../../../test/helpers/paths.js';
import { validDataset, validFramework, validSet } from '../../../test/fixtures/metadata/records.js';
import { METADATA_FIXTURES, validateWithXsd } from '../../../test/fixtures/metadata/xmllint.js';
import { ExportedMetadataSchema, METADATA_EXPORT_FORMATS } from '../../../shared/metadata/index.js';
import { isAppError } from '../errors.js';
import { exportMetadata, importMetadataFile, importedSet, type ExportRequest } from './index.js';

const context = { metadataDate: '2024-05-01', licence: 'CC-BY-4.0' as const };

describe('metadata formats entry points', () => {
  it.each([
    [join(METADATA_FIXTURES, 'mtd', 'mtd_sync__af_extract.xml'), 'mtd', 2],
    [join(METADATA_FIXTURES, 'mtd', 'mtd_sync__short_mock_ds.xml'), 'mtd', 1],
    [join(SHARED_DATA, 'metadata', 'eml', 'dwca-io__metadata_eml-utf16LE.xml'), 'eml', 1],
    [join(SHARED_DATA, 'metadata', 'iso19139', 'owslib__csw_geobretagne_mdmetadata.xml'), 'iso19139', 1],
    [join(SHARED_DATA, 'metadata', 'iso19139', 'owslib__iso_mi.xml'), 'iso19139', 1],
  ])('recognises %s as %s', (file, format, records) => {
    const result = importMetadataFile(readFileSync(file), file);
    expect(result.format).toBe(format);
    const { set } = importedSet(result);
    expect(set.frameworks.length + set.datasets.length).toBe(records);
  });

  it.each([
    ['a Data Package descriptor', join(SHARED_DATA, 'metadata', 'datapackage', 'frictionless__package', 'datapackage.json'), 'metadata.errors.notXml'],
    ['an ISO 19115-3 record', join(SHARED_DATA, 'metadata', 'iso19139', 'owslib__metawal.wallonie.be-catchments.xml'), 'metadata.errors.notIso'],
  ])('refuses %s with a precise error', (_name, file, key) => {
    try {
      importMetadataFile(readFileSync(file), file);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
      expect((e as { key: string; where: string }).key).toBe(key);
    }
  });

  it('exports every format, deterministically, as JSON-safe results; EML and ISO validate', () => {
    const requests: ExportRequest[] = METADATA_EXPORT_FORMATS.map((format) =>
      format === 'mtd' ? { format, set: validSet() } : { format, dataset: validDataset(), framework: validFramework(), context },
    );
    for (const request of requests) {
      const a = exportMetadata(request);
      expect(a.format).toBe(request.format);
      expect(ExportedMetadataSchema.parse(JSON.parse(JSON.stringify(a)))).toEqual(a);
      expect(exportMetadata(structuredClone(request)).content, request.format).toBe(a.content);
      if (a.format === 'eml') expect(validateWithXsd(a.content, 'eml').ok).toBe(true);
      if (a.format === 'iso19139') expect(validateWithXsd(a.content, 'iso19139').ok).toBe(true);
      if (a.format === 'dcat' || a.format === 'schemaorg') expect(() => JSON.parse(a.content) as unknown).not.toThrow();
    }
  });
});
