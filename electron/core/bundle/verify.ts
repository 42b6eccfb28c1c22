import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { XMLParser } from 'fast-xml-parser';
import { parseCsvRecords } from '../../../shared/bundle/csv.js';
import { BUNDLE_FIELDS, DWC_BASIS_OF_RECORD, DWC_TERM_URI, DWC_TERMS } from '../../../shared/bundle/fields.js';
import { BLOCKING_CHECKS, GATE_CHECKS, GATE_FINDINGS, fillFinding, gateVerdict, type GateCheckId, type GateStatus } from '../../../shared/bundle/gate.js';
import { LICENCE_TEXTS } from '../../../shared/bundle/licence-texts.js';
import { licenceForTarget } from '../../../shared/bundle/licences.js';
import { TARGETS, type FieldProfile, type Target } from '../../../shared/bundle/presets.js';
import type { GateCheck, GateReport } from '../../../shared/contract/schemas/bundle.js';
import { LICENCES, LICENCE_IDS, licenceFromUrl, type LicenceId } from '../../../shared/metadata/licences.js';
import { AppError } from '../errors.js';
import { readGpkgHeader } from '../gpkg/geometry/gpkg-binary.js';
import { openGpkgSource } from '../gpkg/source.js';
import { validateGpkg } from '../gpkg/validate/validate.js';
import { emptyRow } from '../sensitivity/runner.js';
import { projectorFor } from '../sensitivity/territory-crs.js';
import { workspaceLocalSrid } from '../sensitivity/workspace-source.js';
import { openWorkspace } from '../workspace/open.js';
import { digestFile } from './hashed-writer.js';
import { PATHS } from './layout.js';
import { LeakScanner, sqliteFreePages, type SecretPoint } from './leak-scan.js';
import { C, fillCheckRow, localGeometryLoader, readObservations, secretVertices } from './records.js';
import { openBundleSensitivity, type BundleSensitivity } from './sensitivity.js';
import { CsvRecordScanner, flatString } from './versioning.js';
import { listFiles, unzipTo } from './zip.js';

/**
 * The gate (issue 7): every check a bundle passes before it is published, on a bundle just
 * built or on one from elsewhere (a folder or a zip). Checks that need the precise data (the
 * sensitivity decisions, the leak scan) need the workspace the bundle was built from; without it
 * they are skipped and the verdict is `incomplete`, never `pass`.
 */

/** What the gate is given. */
export interface VerifyInput {
  readonly path: string;
  readonly workspace: string | null;
  readonly referentials: readonly string[];
  readonly taxonomy: string | null;
}

/** Progress and cancel. */
export interface VerifyHooks {
  checkpoint(): Promise<void>;
  progress(done: number, total: number | null, message: string): void;
}

const MAX_FINDINGS = 100;
type Params = Record<string, string | number | boolean | null>;

/** Collects one check's findings and status. */
class Check {
  readonly findings: GateCheck['findings'] = [];
  more = 0;
  private failed = false;
  private warned = false;
  private skipped = false;

  constructor(readonly id: GateCheckId) {}

  private add(key: string, params: Params, where: string | null): void {
    if (this.findings.length >= MAX_FINDINGS) {
      this.more++;
      return;
    }
    const t = GATE_FINDINGS[key];
    this.findings.push({ key, message: t ? fillFinding(t.en, params) : key, params, where });
  }

  fail(key: string, params: Params, where: string | null = null): void {
    this.failed = true;
    this.add(key, params, where);
  }

  warn(key: string, params: Params, where: string | null = null): void {
    this.warned = true;
    this.add(key, params, where);
  }

  info(key: string, params: Params, where: string | null = null): void {
    this.add(key, params, where);
  }

  skip(key: string, params: Params): void {
    this.skipped = true;
    this.add(key, params, null);
  }

  get status(): GateStatus {
    if (this.failed) return 'fail';
    if (this.skipped) return 'skipped';
    return this.warned ? 'warn' : 'pass';
  }

  toJson(): GateCheck {
    return { id: this.id, status: this.status, blocking: BLOCKING_CHECKS.has(this.id), findings: this.findings, more: this.more };
  }
}

/** The `passerelle` property of datapackage.json. */
interface Descriptor {
  bundle: string;
  version: string;
  asOf: string;
  audience: string;
  locations: 'blurred' | 'precise';
  fieldProfile: FieldProfile;
  targets: Target[];
  licence: LicenceId;
  workspace: { file: string; sha256: string };
  sensitivity: { source: string; asOf: string; referentials: { name: string; version: string | null; file: string | null; sha256: string | null }[]; taxonomy: { file: string; sha256: string | null } | null } | null;
}

/** The records of the bundle's reference table (the CSV), in file order. */
interface Reference {
  uuids: string[];
  /** 0 precise, 1 generalised, 2 withheld. */
  pub: number[];
  /** Blurring level of a generalised record (1 COM, 2 M10, 3 DEP). */
  level: number[];
  lon: number[];
  lat: number[];
  sorted: boolean;
}

const PUB = { precise: 0, generalised: 1, withheld: 2 } as const;
const AREA_LEVEL: Readonly<Record<string, number>> = { COM: 1, M10: 2, DEP: 3 };

const fieldName = (key: string, profile: FieldProfile): string => BUNDLE_FIELDS.find((f) => f.key === key)?.names[profile] ?? key;
const num = (s: string | undefined): number => (s === undefined || s === '' ? NaN : Number(s));
const same = (a: number, b: number) => (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) < 1e-9;

/** Streams a text file's lines (LF or CRLF), with their 1-based number, 4 MB at a time. */
function* lines(path: string): Generator<[string, number]> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    let carry = Buffer.alloc(0);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      let start = 0;
      for (;;) {
        const end = data.indexOf(10, start);
        if (end < 0) break;
        n++;
        yield [data.toString('utf8', start, end > start && data[end - 1] === 13 ? end - 1 : end), n];
        start = end + 1;
      }
      carry = Buffer.from(data.subarray(start));
      if (got === 0) {
        if (carry.length > 0) yield [carry.toString('utf8'), n + 1];
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Streams a file's bytes to a consumer, 4 MB at a time. */
function streamBytes(path: string, push: (chunk: Uint8Array) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) return;
      push(buf.subarray(0, got));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs the gate on a bundle. `given.sensitivity`: the checker of the build that just wrote it
 * (the decisions are recomputed with it, independently of what the build wrote).
 */
export async function verifyBundle(input: VerifyInput, hooks: VerifyHooks, given: { sensitivity?: BundleSensitivity | null } = {}): Promise<GateReport> {
  if (!existsSync(input.path)) throw new AppError('NOT_FOUND', `No bundle at ${input.path}`, { key: 'errors.FILE_NOT_FOUND', params: { path: input.path }, where: input.path });
  let root = input.path;
  let temp: string | null = null;
  if (statSync(input.path).isFile()) {
    temp = mkdtempSync(join(tmpdir(), 'passerelle-verify-'));
    hooks.progress(0, null, 'unzip');
    unzipTo(input.path, temp);
    root = temp;
  }
  try {
    return await verifyFolder(root, input, hooks, given);
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

async function verifyFolder(root: string, input: VerifyInput, hooks: VerifyHooks, given: { sensitivity?: BundleSensitivity | null }): Promise<GateReport> {
  const checks = new Map<GateCheckId, Check>(GATE_CHECKS.map((id) => [id, new Check(id)]));
  const check = (id: GateCheckId) => checks.get(id) as Check;
  const files = listFiles(root);
  const at = (p: string) => join(root, ...p.split('/'));
  const has = (p: string) => files.includes(p);
  let bytes = 0;

  // Checksums.
  hooks.progress(0, files.length, 'checksums');
  const digests = new Map<string, { bytes: number; sha256: string }>();
  for (const f of files) {
    const d = digestFile(at(f));
    digests.set(f, d);
    bytes += d.bytes;
    await hooks.checkpoint();
  }
  const sums = check('checksums');
  if (!has(PATHS.manifest)) sums.fail('checksum.missingManifest', {}, PATHS.manifest);
  else {
    const listed = new Set<string>();
    for (const [line, n] of lines(at(PATHS.manifest))) {
      if (line.trim() === '') continue;
      const m = /^([0-9a-f]{64}) {1,2}(.+)$/.exec(line);
      if (!m) {
        sums.fail('checksum.badLine', { line: n }, `${PATHS.manifest}:${n}`);
        continue;
      }
      const [, expected, file] = m as unknown as [string, string, string];
      listed.add(file);
      const d = digests.get(file);
      if (!d) sums.fail('checksum.missingFile', { file }, file);
      else if (d.sha256 !== expected) sums.fail('checksum.mismatch', { file, expected, actual: d.sha256 }, file);
    }
    for (const f of files) if (f !== PATHS.manifest && !listed.has(f)) sums.fail('checksum.unlisted', { file: f }, f);
  }

  // datapackage.json and the bundle's descriptor.
  const dpCheck = check('datapackage');
  type DataPackage = { licenses?: { name?: string; path?: string }[]; resources?: Record<string, unknown>[]; passerelle?: Descriptor };
  let dp: DataPackage | null = null;
  try {
    dp = JSON.parse(readFileSync(at(PATHS.datapackage), 'utf8')) as DataPackage;
  } catch (e) {
    dpCheck.fail('datapackage.missing', { reason: e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e) }, PATHS.datapackage);
  }
  const desc = dp?.passerelle ?? null;
  for (const r of dp?.resources ?? []) {
    const name = String(r.name ?? '?');
    const path = typeof r.path === 'string' ? r.path : null;
    if (!path || !has(path)) {
      dpCheck.fail('datapackage.resource', { resource: name, reason: `path ${path ?? '(none)'} is not in the bundle` }, PATHS.datapackage);
      continue;
    }
    const d = digests.get(path) as { bytes: number; sha256: string };
    if (r.bytes !== d.bytes) dpCheck.fail('datapackage.resource', { resource: name, reason: `bytes ${String(r.bytes)} but the file has ${d.bytes}` }, path);
    if (r.hash !== `sha256:${d.sha256}`) dpCheck.fail('datapackage.resource', { resource: name, reason: `hash ${String(r.hash)} but the file's sha256 is ${d.sha256}` }, path);
    if (path === PATHS.csv) {
      const fields = ((r.schema as { fields?: { name: string }[] } | undefined)?.fields ?? []).map((f) => f.name);
      const header = (lines(at(PATHS.csv)).next().value as [string, number] | undefined)?.[0] ?? '';
      const csvHeader = parseCsvRecords(header)[0] ?? [];
      if (fields.join(',') !== csvHeader.join(',')) dpCheck.fail('datapackage.resource', { resource: name, reason: 'the schema fields are not the CSV header' }, path);
    }
  }
  if (dp && !desc) dpCheck.fail('datapackage.resource', { resource: 'passerelle', reason: 'no passerelle descriptor (not a Passerelle bundle)' }, PATHS.datapackage);

  // Licence.
  const lic = check('licence');
  const licence = (dp?.licenses?.[0]?.name ?? desc?.licence ?? null) as string | null;
  if (!licence || !(LICENCE_IDS as readonly string[]).includes(licence)) lic.fail('licence.unknown', { licence: licence ?? '(none)' }, PATHS.datapackage);
  if (!has(PATHS.licence)) lic.fail('licence.missingFile', {}, PATHS.licence);
  else if (licence && (LICENCE_IDS as readonly string[]).includes(licence) && !readFileSync(at(PATHS.licence), 'utf8').includes(LICENCE_TEXTS[licence as LicenceId].text)) {
    lic.fail('licence.textMismatch', { licence }, PATHS.licence);
  }
  if (licence && (LICENCE_IDS as readonly string[]).includes(licence)) {
    const id = licence as LicenceId;
    for (const target of (desc?.targets ?? []).filter((t): t is Target => (TARGETS as readonly string[]).includes(t))) {
      const t = licenceForTarget(id, target);
      if (!t.accepted) lic.fail('licence.refused', { target, licence: id, reason: t.message ?? '' }, PATHS.licence);
      else if (t.remark) lic.warn('licence.remark', { target, reason: t.message ?? '' }, PATHS.licence);
    }
    for (const eml of [PATHS.dwcEml, 'metadata/eml.xml']) {
      if (!has(eml)) continue;
      const url = /<ulink\s+url="([^"]+)"/.exec(readFileSync(at(eml), 'utf8'))?.[1];
      const found = url ? licenceFromUrl(url) : null;
      if (found !== id) lic.fail('licence.inconsistent', { file: eml, found: found ?? url ?? '(none)', licence: id }, eml);
    }
    for (const jsonld of ['metadata/dcat.jsonld', 'metadata/schemaorg.jsonld']) {
      if (has(jsonld) && !readFileSync(at(jsonld), 'utf8').includes(LICENCES[id].url)) lic.fail('licence.inconsistent', { file: jsonld, found: 'another licence', licence: id }, jsonld);
    }
  }

  // Metadata: ISO and EML against their XSDs, MTD well-formed and shaped, JSON-LD readable.
  const md = check('metadata');
  const { validateXml } = await import('./xsd.js');
  for (const f of files) {
    if (!f.startsWith('metadata/') && f !== PATHS.dwcEml && f !== PATHS.dwcMeta) continue;
    if (f.endsWith('.jsonld')) {
      try {
        const j = JSON.parse(readFileSync(at(f), 'utf8')) as Record<string, unknown>;
        if (!j['@context']) md.fail('metadata.missingField', { file: f, field: '@context' }, f);
      } catch (e) {
        md.fail('metadata.malformed', { file: f, reason: e instanceof Error ? e.message : String(e) }, f);
      }
      continue;
    }
    if (!f.endsWith('.xml')) continue;
    const schema = f.endsWith('iso19139.xml') ? 'iso19139' : f.endsWith('eml.xml') ? 'eml' : null;
    const r = validateXml(at(f), schema);
    if (!r.ok) {
      if (r.unavailable) md.fail('metadata.noValidator', { reason: r.reason }, f);
      else md.fail('metadata.xsd', { file: f, schema: schema ?? 'XML', reason: r.reason }, f);
    }
    if (f.endsWith('mtd.xml')) {
      const text = readFileSync(at(f), 'utf8');
      if (!text.includes('http://inpn.mnhn.fr/mtd') || !/JeuDeDonnees/.test(text)) md.fail('metadata.missingField', { file: f, field: 'jdd:JeuDeDonnees (http://inpn.mnhn.fr/mtd)' }, f);
    }
  }
  if (!files.some((f) => f.startsWith('metadata/'))) md.warn('metadata.missingField', { file: 'metadata/', field: 'any metadata record' }, 'metadata/');

  // The reference table and the publication of each record.
  hooks.progress(0, null, 'records');
  const pubCheck = check('publication');
  const profile: FieldProfile = desc?.fieldProfile ?? 'synthese';
  const ref = has(PATHS.csv) ? readReference(at(PATHS.csv), pubCheck) : null;
  await hooks.checkpoint();

  // GeoPackage.
  const gp = check('gpkg');
  if (has(PATHS.gpkg)) {
    const src = openGpkgSource(at(PATHS.gpkg));
    try {
      const report = await validateGpkg(src, { geometry: true, maxPerRule: 20 }, hooks);
      for (const f of report.findings) {
        const where = `${PATHS.gpkg}${f.table ? ` ${f.table}` : ''}${f.fid !== null ? ` #${f.fid}` : ''}`;
        if (f.severity === 'error') gp.fail('gpkg.invalid', { file: PATHS.gpkg, rule: f.rule, reason: f.message }, where);
        else if (f.severity === 'warning') gp.warn('gpkg.invalid', { file: PATHS.gpkg, rule: f.rule, reason: f.message }, where);
      }
    } finally {
      src.close();
    }
    const free = sqliteFreePages(at(PATHS.gpkg)).free.size;
    if (free > 0) gp.info('gpkg.freePages', { file: PATHS.gpkg, pages: free }, PATHS.gpkg);
    if (ref) checkGpkgPublication(at(PATHS.gpkg), ref, profile, pubCheck);
  }

  // Darwin Core Archive.
  const dw = check('dwca');
  if (has(PATHS.dwcMeta) || has(PATHS.dwcOccurrence)) checkDwca(root, files, ref, dw, pubCheck);

  // GeoJSON.
  if (has(PATHS.geojson) && ref) checkGeoJson(at(PATHS.geojson), ref, profile, pubCheck);
  await hooks.checkpoint();

  // Provenance: present, and no secret anywhere in the documents.
  const pv = check('provenance');
  for (const f of [PATHS.rocrate, PATHS.prov]) {
    try {
      const j = JSON.parse(readFileSync(at(f), 'utf8')) as Record<string, unknown>;
      if (f === PATHS.rocrate && !(Array.isArray(j['@graph']) && (j['@graph'] as { '@id'?: string; datePublished?: string }[]).some((e) => e['@id'] === './' && e.datePublished))) {
        pv.fail('provenance.missing', { file: f }, f);
      }
      if (f === PATHS.prov && !(j.entity && j.activity && j.agent)) pv.fail('provenance.missing', { file: f }, f);
    } catch {
      pv.fail('provenance.missing', { file: f }, f);
    }
  }
  for (const f of files) {
    if (f.startsWith('data/') || f === PATHS.dwcOccurrence) continue;
    const text = readFileSync(at(f), 'utf8');
    const m = /\b(password|passwd|pgpassword|mot de passe|x-api-key|api[_-]?key|secret=)/i.exec(text) ?? /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"]+:[^\s/@"]+@/i.exec(text);
    if (m) pv.fail('provenance.secret', { file: f, what: m[0].slice(0, 40) }, f);
  }

  // With the workspace: sensitivity decisions recomputed, leaks searched byte by byte.
  const sens = check('sensitivity');
  const leaks = check('leaks');
  const unmatched = check('unmatchedTaxa');
  const unmatchedList: GateReport['unmatchedTaxa'] = [];
  let secretPoints = 0;
  let shared = 0;
  if (!input.workspace) {
    sens.skip('sensitivity.notChecked', { reason: 'no workspace given' });
    leaks.skip('leaks.needWorkspace', { reason: 'give the workspace (-w) the bundle was built from' });
    unmatched.skip('sensitivity.notChecked', { reason: 'no workspace given' });
  } else if (!ref) {
    leaks.skip('leaks.needWorkspace', { reason: `the bundle has no ${PATHS.csv} to tell which records are published precisely` });
    sens.skip('sensitivity.notChecked', { reason: `no ${PATHS.csv}` });
    unmatched.skip('sensitivity.notChecked', { reason: `no ${PATHS.csv}` });
  } else {
    const ws = openWorkspace(input.workspace);
    try {
      let sensitivity: BundleSensitivity | null = given.sensitivity ?? null;
      if (!sensitivity && desc?.sensitivity) {
        if (desc.sensitivity.source === 'workspace-rules' || input.referentials.length > 0) {
          sensitivity = await openBundleSensitivity(ws.db, { referentials: input.referentials, taxonomy: input.taxonomy, asOf: desc.asOf });
          for (const r of sensitivity?.provenance.referentials ?? []) {
            const recorded = desc.sensitivity.referentials.find((x) => x.sha256 === r.sha256);
            if (r.sha256 && !recorded) sens.warn('sensitivity.notChecked', { reason: `referential ${r.file ?? r.name} (sha256 ${r.sha256}) is not the one the bundle recorded` });
          }
        }
      }
      const blurred = desc?.locations !== 'precise';
      if (!sensitivity && blurred) sens.skip('sensitivity.notChecked', { reason: desc?.sensitivity ? 'give the referential file(s) the bundle was built with' : 'the bundle records no sensitivity referential' });
      if (!sensitivity) unmatched.skip('sensitivity.notChecked', { reason: 'no referential' });
      const result = await scanWorkspace(ws.db, ref, sensitivity, blurred, sens, hooks);
      secretPoints = result.secrets.length;
      shared = result.shared;
      if (shared > 0) leaks.info('leaks.sharedLocations', { count: shared });
      for (const [cdNom, count] of [...result.unmatched].sort((a, b) => a[0] - b[0])) {
        const name = sensitivity?.taxonName(cdNom) ?? null;
        unmatchedList.push({ cdNom, name, count });
        unmatched.warn('unmatchedTaxa.taxon', { cdNom, name: name ?? '?', count });
      }
      const scanner = new LeakScanner(result.secrets);
      let done = 0;
      for (const f of files) {
        hooks.progress(done, bytes, `leak scan ${f}`);
        const free = f.endsWith('.gpkg') ? sqliteFreePages(at(f)) : null;
        const text = /\.(csv|txt|md|json|jsonld|geojson|xml)$/.test(f);
        for (const h of scanner.scanFile(at(f), f, { commaDecimals: !f.endsWith('.csv') && !f.endsWith('.txt'), binary: text ? 'unless-utf8' : true })) {
          // `at` reads the same in French and English ("data/x.csv, l. 2"); `where` stays file:line for tools.
          let at: string;
          if (h.line !== null) at = `l. ${h.line}`;
          else if (free && free.pageSize > 0) {
            const page = Math.floor(h.offset / free.pageSize) + 1;
            at = `byte ${h.offset} (page ${page}${free.free.has(page) ? ', a free page' : ''})`;
          } else at = `byte ${h.offset}`;
          const where = h.line !== null ? `${f}:${h.line}` : `${f} ${at}`;
          leaks.fail('leaks.found', { uuid: h.uuid, form: h.form, file: f, at }, where);
        }
        done += digests.get(f)?.bytes ?? 0;
        await hooks.checkpoint();
      }
    } finally {
      ws.close();
    }
  }

  const list = GATE_CHECKS.map((id) => check(id).toJson());
  const verdict = gateVerdict(list);
  return {
    path: input.path,
    verdict,
    ok: verdict === 'pass',
    bundle: desc ? { id: desc.bundle, version: desc.version, audience: desc.audience, asOf: desc.asOf } : null,
    checks: list,
    unmatchedTaxa: unmatchedList,
    stats: { files: files.length, bytes, secretPoints, sharedLocations: shared },
  };
}

/** Reads the CSV as the reference of every record's publication, checking each record on the way. */
function readReference(path: string, pub: Check): Reference {
  const ref: Reference = { uuids: [], pub: [], level: [], lon: [], lat: [], sorted: true };
  const headerLine = (lines(path).next().value as [string, number] | undefined)?.[0] ?? '';
  const header = parseCsvRecords(headerLine)[0] ?? [];
  const profile: FieldProfile = header[0] === 'idSINPOccTax' ? 'sinp' : 'synthese';
  const idx: Record<string, number> = Object.fromEntries(BUNDLE_FIELDS.map((f) => [f.key, header.indexOf(fieldName(f.key, profile))]));
  let prev = '';
  let n = 1;
  const file = PATHS.csv;
  const scanner = new CsvRecordScanner((_first, line) => {
    n++;
    const fields = line.includes('"') ? (parseCsvRecords(line)[0] ?? []) : line.split(',');
    const get = (k: string) => fields[idx[k] ?? -1] ?? '';
    const uuid = flatString(get('unique_id_sinp'));
    const p = get('publication');
    const code = p === 'precise' ? PUB.precise : p === 'generalised' ? PUB.generalised : p === 'withheld' ? PUB.withheld : -1;
    const where = `${file}:${n}`;
    if (code < 0) pub.fail('publication.inconsistent', { uuid, reason: `publication "${p}" is not precise, generalised or withheld`, file }, where);
    if (uuid <= prev) ref.sorted = false;
    prev = uuid;
    const lon = num(get('longitude'));
    const lat = num(get('latitude'));
    const areaType = get('blur_area_type');
    if (code === PUB.generalised) {
      if (!AREA_LEVEL[areaType] || get('blur_area_codes') === '') pub.fail('publication.inconsistent', { uuid, reason: 'generalised without its area type and codes', file }, where);
      if (get('wkt') !== '') pub.fail('publication.inconsistent', { uuid, reason: 'generalised but a precise WKT geometry is given', file }, where);
      if (!(num(get('coordinate_uncertainty_m')) >= 100)) pub.fail('publication.inconsistent', { uuid, reason: 'generalised with no coordinate uncertainty of at least 100 m', file }, where);
      if (get('data_generalizations') === '') pub.fail('publication.inconsistent', { uuid, reason: 'generalised without dataGeneralizations', file }, where);
    }
    if (code === PUB.withheld) {
      if (!Number.isNaN(lon) || !Number.isNaN(lat) || get('wkt') !== '') pub.fail('publication.inconsistent', { uuid, reason: 'withheld but coordinates are given', file }, where);
      if (get('information_withheld') === '') pub.fail('publication.inconsistent', { uuid, reason: 'withheld without informationWithheld', file }, where);
    }
    if (code === PUB.generalised || code === PUB.withheld) {
      for (const k of ['altitude_min', 'altitude_max', 'comment_description', 'digital_proof', 'non_digital_proof', 'unique_id_sinp_grp', 'id_synthese', 'entity_source_pk_value']) {
        if (get(k) !== '') pub.fail('publication.inconsistent', { uuid, reason: `${fieldName(k, profile)} is given although the location is not precise`, file }, where);
      }
    }
    ref.uuids.push(uuid);
    ref.pub.push(code);
    ref.level.push(AREA_LEVEL[areaType] ?? 0);
    ref.lon.push(lon);
    ref.lat.push(lat);
  });
  streamBytes(path, (chunk) => scanner.push(chunk));
  scanner.end();
  return ref;
}

/** The GeoPackage's layers against the reference: same records, same publication, no point for a generalised record. */
function checkGpkgPublication(path: string, ref: Reference, profile: FieldProfile, pub: Check): void {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const file = PATHS.gpkg;
  try {
    const uuidCol = fieldName('unique_id_sinp', profile);
    const rows = db.prepare(`SELECT "${uuidCol}" AS uuid, publication, geom FROM observations ORDER BY fid`).raw(true).iterate() as IterableIterator<[string, string, Uint8Array | null]>;
    let j = 0;
    for (const [uuid, publication, geom] of rows) {
      while (j < ref.uuids.length && ref.pub[j] === PUB.withheld) j++;
      const where = `${file} observations (${uuid})`;
      if (ref.uuids[j] !== uuid) {
        pub.fail('publication.inconsistent', { uuid, reason: `record order or set differs from ${PATHS.csv}`, file }, where);
        return;
      }
      const code = ref.pub[j] as number;
      if (publication !== ['precise', 'generalised', 'withheld'][code]) pub.fail('publication.inconsistent', { uuid, reason: `publication ${publication} in the GeoPackage, ${['precise', 'generalised', 'withheld'][code]} in the CSV`, file }, where);
      if (geom && code === PUB.generalised) {
        const h = readGpkgHeader(geom);
        const le = geom[h.wkbOffset] === 1;
        const view = new DataView(geom.buffer, geom.byteOffset, geom.byteLength);
        const type = view.getUint32(h.wkbOffset + 1, le) % 1000;
        if (type !== 3 && type !== 6) pub.fail('publication.inconsistent', { uuid, reason: `generalised but its GeoPackage geometry is not the area's polygon (WKB type ${type})`, file }, where);
      }
      if (geom && code === PUB.precise && geom.length === 29) {
        const view = new DataView(geom.buffer, geom.byteOffset, 29);
        if (!same(view.getFloat64(13, true), ref.lon[j] as number) || !same(view.getFloat64(21, true), ref.lat[j] as number)) {
          pub.fail('publication.inconsistent', { uuid, reason: 'the GeoPackage point is not the CSV’s', file }, where);
        }
      }
      j++;
    }
    const withheld = db.prepare(`SELECT "${uuidCol}" AS uuid FROM observations_withheld ORDER BY fid`).raw(true).all() as [string][];
    const expected = ref.uuids.filter((_, i) => ref.pub[i] === PUB.withheld);
    if (withheld.length !== expected.length || withheld.some(([u], i) => u !== expected[i])) {
      pub.fail('publication.inconsistent', { uuid: '*', reason: `observations_withheld does not hold exactly the CSV's withheld records`, file }, `${file} observations_withheld`);
    }
  } finally {
    db.close();
  }
}

/** The Darwin Core Archive's structure, and its records against the reference. */
function checkDwca(root: string, files: readonly string[], ref: Reference | null, dw: Check, pub: Check): void {
  const at = (p: string) => join(root, ...p.split('/'));
  for (const f of [PATHS.dwcMeta, PATHS.dwcOccurrence, PATHS.dwcEml]) if (!files.includes(f)) dw.fail('dwca.invalid', { file: f, reason: 'missing' }, f);
  if (!files.includes(PATHS.dwcMeta) || !files.includes(PATHS.dwcOccurrence)) return;
  type Field = { index: string; term: string };
  let meta: { archive?: { metadata?: string; core?: { rowType?: string; fieldsTerminatedBy?: string; ignoreHeaderLines?: string; files?: { location?: string }; id?: { index?: string }; field?: Field | Field[] } } };
  try {
    meta = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true }).parse(readFileSync(at(PATHS.dwcMeta), 'utf8')) as typeof meta;
  } catch (e) {
    dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: e instanceof Error ? e.message : String(e) }, PATHS.dwcMeta);
    return;
  }
  const core = meta.archive?.core;
  if (!core) {
    dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: 'no <core> in <archive>' }, PATHS.dwcMeta);
    return;
  }
  if (core.rowType !== 'http://rs.tdwg.org/dwc/terms/Occurrence') dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: `rowType ${core.rowType ?? '(none)'} is not Occurrence` }, PATHS.dwcMeta);
  if (core.files?.location !== 'occurrence.txt') dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: 'the core file is not occurrence.txt' }, PATHS.dwcMeta);
  if (meta.archive?.metadata !== 'eml.xml') dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: 'the archive does not point to eml.xml' }, PATHS.dwcMeta);
  if (core.fieldsTerminatedBy !== '\\t') dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: 'fields are not tab-separated' }, PATHS.dwcMeta);
  const fields = ([] as Field[]).concat(core.field ?? []);
  const known = new Set(DWC_TERMS.map(DWC_TERM_URI));
  const byIndex = new Map<number, string>();
  for (const f of fields) {
    if (!known.has(f.term) && !/^http:\/\/(rs\.tdwg\.org\/dwc\/terms|purl\.org\/dc\/terms)\//.test(f.term)) dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: `unknown term ${f.term}` }, PATHS.dwcMeta);
    if (byIndex.has(Number(f.index))) dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: `index ${f.index} mapped twice` }, PATHS.dwcMeta);
    byIndex.set(Number(f.index), f.term.replace(/^.*\//, ''));
  }
  if (core.id?.index !== '0' || byIndex.get(0) !== 'occurrenceID') dw.fail('dwca.invalid', { file: PATHS.dwcMeta, reason: 'the core id is not column 0 = occurrenceID' }, PATHS.dwcMeta);
  const file = PATHS.dwcOccurrence;
  let header: string[] = [];
  let prev = '';
  let sorted = true;
  const ids = new Set<string>();
  let i = 0;
  for (const [line, n] of lines(at(file))) {
    if (n === 1) {
      header = line.split('\t');
      header.forEach((h, k) => {
        if (byIndex.get(k) !== h) dw.fail('dwca.invalid', { file, reason: `column ${k} is "${h}" but meta.xml maps ${byIndex.get(k) ?? 'nothing'}` }, `${file}:1`);
      });
      continue;
    }
    if (line === '') continue;
    const cols = line.split('\t');
    const where = `${file}:${n}`;
    if (cols.length !== header.length) {
      dw.fail('dwca.invalid', { file, reason: `${cols.length} columns instead of ${header.length}` }, where);
      continue;
    }
    const get = (t: string) => cols[header.indexOf(t)] ?? '';
    const id = get('occurrenceID');
    if (id === '') dw.fail('dwca.invalid', { file, reason: 'empty occurrenceID' }, where);
    if (sorted && id <= prev) sorted = false;
    if (!sorted) {
      if (ids.has(id)) dw.fail('dwca.invalid', { file, reason: `occurrenceID ${id} is not unique` }, where);
      ids.add(id);
    }
    prev = id;
    if (!DWC_BASIS_OF_RECORD.has(get('basisOfRecord'))) dw.fail('dwca.invalid', { file, reason: `basisOfRecord "${get('basisOfRecord')}" is not in the DwC vocabulary` }, where);
    const unc = get('coordinateUncertaintyInMeters');
    if (unc !== '' && !(Number(unc) > 0)) dw.fail('dwca.invalid', { file, reason: `coordinateUncertaintyInMeters ${unc} must be > 0` }, where);
    const lat = num(get('decimalLatitude'));
    const lon = num(get('decimalLongitude'));
    if ((!Number.isNaN(lat) && Math.abs(lat) > 90) || (!Number.isNaN(lon) && Math.abs(lon) > 180)) dw.fail('dwca.invalid', { file, reason: 'coordinates out of range' }, where);
    if (ref) {
      const code = ref.pub[i];
      if (ref.uuids[i] !== id) {
        pub.fail('publication.inconsistent', { uuid: id, reason: `record order or set differs from ${PATHS.csv}`, file }, where);
        return;
      }
      if (code === PUB.generalised) {
        if (get('dataGeneralizations') === '' || get('footprintWKT') !== '' || get('minimumElevationInMeters') !== '' || get('maximumElevationInMeters') !== '' || get('occurrenceRemarks') !== '') {
          pub.fail('publication.inconsistent', { uuid: id, reason: 'generalised in the CSV but the Darwin Core record keeps precise details', file }, where);
        }
      }
      if (code === PUB.withheld && (!Number.isNaN(lat) || !Number.isNaN(lon) || get('footprintWKT') !== '')) pub.fail('publication.inconsistent', { uuid: id, reason: 'withheld in the CSV but the Darwin Core record has coordinates', file }, where);
      if (code !== PUB.withheld && (!same(lat, ref.lat[i] as number) || !same(lon, ref.lon[i] as number))) pub.fail('publication.inconsistent', { uuid: id, reason: 'decimalLatitude/decimalLongitude differ from the CSV’s published point', file }, where);
    }
    i++;
  }
  if (ref && i !== ref.uuids.length) pub.fail('publication.inconsistent', { uuid: '*', reason: `${i} Darwin Core records, ${ref.uuids.length} in ${PATHS.csv}`, file }, file);
}

/** The GeoJSON file (one feature per line) against the reference. */
function checkGeoJson(path: string, ref: Reference, profile: FieldProfile, pub: Check): void {
  const file = PATHS.geojson;
  const uuidKey = fieldName('unique_id_sinp', profile);
  let i = 0;
  for (const [raw, n] of lines(path)) {
    const line = raw.endsWith(',') ? raw.slice(0, -1) : raw;
    if (!line.startsWith('{"type":"Feature"')) continue;
    const where = `${file}:${n}`;
    let feature: { geometry: { type: string; coordinates?: unknown } | null; properties: Record<string, unknown> };
    try {
      feature = JSON.parse(line) as typeof feature;
    } catch {
      pub.fail('publication.inconsistent', { uuid: '?', reason: 'a feature line is not JSON', file }, where);
      continue;
    }
    const uuid = String(feature.properties[uuidKey] ?? '');
    if (ref.uuids[i] !== uuid) {
      pub.fail('publication.inconsistent', { uuid, reason: `record order or set differs from ${PATHS.csv}`, file }, where);
      return;
    }
    const code = ref.pub[i];
    const g = feature.geometry;
    if (code === PUB.withheld && g !== null) pub.fail('publication.inconsistent', { uuid, reason: 'withheld but the feature has a geometry', file }, where);
    if (code === PUB.generalised && (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon'))) pub.fail('publication.inconsistent', { uuid, reason: `generalised but the feature's geometry is ${g?.type ?? 'null'}, not the area`, file }, where);
    if (code === PUB.precise && g?.type === 'Point') {
      const c = g.coordinates as number[];
      if (!same(c[0] as number, ref.lon[i] as number) || !same(c[1] as number, ref.lat[i] as number)) pub.fail('publication.inconsistent', { uuid, reason: 'the feature’s point is not the CSV’s', file }, where);
    }
    i++;
  }
  if (i !== ref.uuids.length) pub.fail('publication.inconsistent', { uuid: '*', reason: `${i} GeoJSON features, ${ref.uuids.length} in ${PATHS.csv}`, file }, file);
}

/**
 * One pass over the workspace: which observations the bundle does not publish precisely (their
 * precise vertices are the secrets), the sensitivity decision of those it publishes (recomputed
 * with the checker), and the unmatched taxa.
 */
async function scanWorkspace(
  db: Database.Database,
  ref: Reference,
  sensitivity: BundleSensitivity | null,
  blurred: boolean,
  sens: Check,
  hooks: VerifyHooks,
): Promise<{ secrets: SecretPoint[]; shared: number; unmatched: Map<number, number> }> {
  const order = ref.sorted ? null : new Map(ref.uuids.map((u, i) => [u, i]));
  const localSrid = workspaceLocalSrid(db);
  const projector = projectorFor(localSrid ?? 2154);
  const secrets: SecretPoint[] = [];
  const publicKeys: number[] = [];
  const unmatched = new Map<number, number>();
  const row = emptyRow();
  const loadLocal = localGeometryLoader(db);
  const key4 = (lon: number, lat: number) => (Math.round(lon * 1e4) + 2_000_000) * 4_000_000 + (Math.round(lat * 1e4) + 1_000_000);
  let j = 0;
  let n = 0;
  for (const v of readObservations(db, { datasets: [], dateFrom: null, dateTo: null, taxa: [] })) {
    const uuid = v[C.unique_id_sinp] as string;
    let i = -1;
    if (order) i = order.get(uuid) ?? -1;
    else {
      while (j < ref.uuids.length && (ref.uuids[j] as string) < uuid) j++;
      if (ref.uuids[j] === uuid) i = j;
    }
    const code = i >= 0 ? (ref.pub[i] as number) : -1;
    if (sensitivity) {
      const r = sensitivity.checker.check(fillCheckRow(row, v, loadLocal));
      if (r.resolution === 'unmatched' && r.taxonKey >= 0 && i >= 0) unmatched.set(r.taxonKey, (unmatched.get(r.taxonKey) ?? 0) + 1);
      if (blurred && i >= 0) {
        const published = code === PUB.precise ? 0 : code === PUB.generalised ? (ref.level[i] as number) : 4;
        if (r.blurLevel > published) sens.fail('sensitivity.precise', { uuid, level: r.sensitivityLevel >= 0 ? r.sensitivityLevel : `blur ${r.blurLevel}` }, `${PATHS.csv} (${uuid})`);
      }
    }
    const geom = v[C.geom] as Uint8Array | null;
    if (code === PUB.precise) {
      const { lonlat } = secretVertices(geom, null);
      for (let k = 0; k + 1 < lonlat.length; k += 2) publicKeys.push(key4(lonlat[k] as number, lonlat[k + 1] as number));
    } else {
      const { lonlat, local } = secretVertices(geom, loadLocal(v[C.fid] as number));
      const sameLocal = local.length === lonlat.length;
      for (let k = 0; k + 1 < lonlat.length; k += 2) {
        const lon = lonlat[k] as number;
        const lat = lonlat[k + 1] as number;
        const [x, y] = sameLocal ? [local[k] as number, local[k + 1] as number] : projector.forward(lon, lat);
        secrets.push({ uuid, lon, lat, x, y });
      }
    }
    if (++n % 20_000 === 0) {
      hooks.progress(n, null, 'workspace');
      await hooks.checkpoint();
    }
  }
  // Sorted keys and a binary search: a Set of a million numbers costs ten times the memory.
  const keys = Float64Array.from(publicKeys).sort();
  publicKeys.length = 0;
  const has = (k: number) => {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = keys[mid] as number;
      if (v === k) return true;
      if (v < k) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  const kept = secrets.filter((s) => !has(key4(s.lon, s.lat)));
  return { secrets: kept, shared: secrets.length - kept.length, unmatched };
}

/** The gate as a task (`bundle.verify`), with progress and cancel. */
export async function verifyTask(input: VerifyInput, ctx: VerifyHooks): Promise<GateReport> {
  const { recoverInterruptedSwap } = await import('./build.js');
  recoverInterruptedSwap(input.path);
  return verifyBundle(input, ctx);
}
