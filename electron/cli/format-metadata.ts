import type {
  MergeResult,
  MetadataExportResult,
  MetadataHistory,
  MetadataImportResult,
  MetadataIssueView,
  MetadataOperation,
  MetadataTree,
  MetadataValidation,
  MoveResult,
  ReassignResult,
  SplitResult,
  UndoResult,
} from '../../shared/contract/index.js';
import { table } from './output.js';

type Lang = 'fr' | 'en';

const counts = (e: number, w: number) => (e || w ? `${e} error(s), ${w} warning(s)` : 'valid');
const op = (o: MetadataOperation | null, dryRun: boolean) =>
  dryRun ? 'Dry run: nothing was written.\n' : o ? `Recorded as operation ${o.id} (passerelle metadata undo reverts it).\n` : 'Nothing changed.\n';

/** `metadata list`: the CA → JDD tree. */
export function formatTree(t: MetadataTree): string {
  let out = `${t.workspace} (format ${t.formatVersion})${t.writable ? '' : ' [read-only]'}${t.pulled ? ', pulled from GeoNature' : ''}\n`;
  const ds = (d: MetadataTree['orphans'][number]) => [
    `  JDD ${d.name || '(no name)'}`,
    d.status,
    `${d.observations} obs.`,
    d.dateMin ? `${d.dateMin} → ${d.dateMax}` : '-',
    counts(d.errors, d.warnings),
    d.uuid,
  ];
  for (const f of t.frameworks) {
    out += `\nCA  ${f.name || '(no name)'}${f.isMetaFramework ? ' [méta-cadre]' : ''}  [${f.uuid}]  ${f.status}, ${f.observations} obs., ${counts(f.errors, f.warnings)}\n`;
    if (f.datasets.length) out += table(f.datasets.map(ds), '  ');
  }
  if (t.orphans.length) out += `\nJDD without a CA in this workspace\n${table(t.orphans.map(ds), '  ')}`;
  out += `\n${counts(t.errors, t.warnings)}; ${t.pendingChanges} change(s) waiting for push`;
  out += t.undo.operation ? `; undo: ${t.undo.operation.label}${t.undo.blocked ? ` (blocked: ${t.undo.blocked})` : ''}\n` : '\n';
  return out;
}

/** `metadata validate`: one finding per line, grouped by record, with the fix. */
export function formatValidation(lang: Lang) {
  return (v: MetadataValidation): string => {
    let out = '';
    let last = '';
    for (const i of v.issues) {
      const head = `${i.entity === 'framework' ? 'CA' : 'JDD'} ${i.name} [${i.uuid}]`;
      if (head !== last) out += `\n${head}\n`;
      last = head;
      out += formatIssueLine(i, lang);
    }
    out += `\n${v.valid ? 'VALID' : 'INVALID'}: ${v.errors} error(s), ${v.warnings} warning(s) (nomenclatures: ${v.catalog})\n`;
    return out;
  };
}

function formatIssueLine(i: MetadataIssueView, lang: Lang): string {
  const t = i[lang];
  return `  ${i.severity === 'error' ? 'ERROR' : 'warn '} ${i.field} (${i.rule}): ${t.message}\n        → ${t.fix}\n`;
}

export function formatExport(r: MetadataExportResult): string {
  let out = `Wrote ${r.path} (${r.format}, ${r.bytes} bytes, ${r.frameworks} CA, ${r.datasets} JDD)\n`;
  for (const n of r.notes) out += `  note: ${n.en}\n`;
  return out;
}

export function formatImport(lang: Lang) {
  return (r: MetadataImportResult): string => {
    let out = `${r.format.toUpperCase()} file: ${r.frameworks.length} CA, ${r.datasets.length} JDD\n`;
    const rows = [...r.frameworks.map((x) => ({ ...x, e: 'CA' })), ...r.datasets.map((x) => ({ ...x, e: 'JDD' }))].map((x) => [
      `  ${x.e} ${x.name || x.uuid}`,
      x.action,
      x.changed.length ? x.changed.join(', ') : '-',
      x.frameworkMissing ? '(CA not found: imported without it)' : '',
    ]);
    if (rows.length) out += table(rows, '');
    for (const n of r.notes) out += `  note: ${n[lang]}\n`;
    if (r.issues.length) out += `${r.issues.length} validation issue(s) in these records (passerelle metadata validate)\n`;
    return out + op(r.operation, r.dryRun);
  };
}

export function formatSplit(r: SplitResult): string {
  let out = `Split « ${r.parent.name} » ${r.by}: ${r.groups.filter((g) => !g.stays).length} new JDD, ${r.moved || r.groups.filter((g) => !g.stays).reduce((n, g) => n + g.observations, 0)} observations\n`;
  out += table(
    r.groups.map((g) => [g.stays ? '  (stays)' : '  new', g.key, `${g.observations} obs.`, g.dateMin ? `${g.dateMin} → ${g.dateMax}` : '-', g.name, g.shortName, g.uuid ?? '']),
    '',
  );
  out += `Parent keeps ${r.parent.remaining} observation(s)${r.parent.deactivated ? ' and is deactivated' : ''}\n`;
  return out + op(r.operation, r.dryRun);
}

export function formatMerge(r: MergeResult): string {
  let out = `Merge into « ${r.target.name} »: ${r.target.observationsBefore} → ${r.target.observationsAfter} observations\n`;
  out += table(r.sources.map((s) => [`  ${s.name}`, `${s.observations} obs.`, s.status, s.action, s.uuid]), '');
  return out + op(r.operation, r.dryRun);
}

export function formatMove(r: MoveResult): string {
  let out = `Move to the CA « ${r.framework.name} »\n`;
  out += table(r.datasets.map((d) => [`  ${d.name}`, `${d.observations} obs.`, `from ${d.fromName ?? '(no CA)'}`, d.uuid]), '');
  return out + op(r.operation, r.dryRun);
}

export function formatReassign(r: ReassignResult): string {
  let out = `${r.matched} observation(s) match; ${r.moving} move to « ${r.to.name} »\n`;
  if (r.from.length) out += table(r.from.map((f) => [`  from ${f.name ?? '(no JDD)'}`, `${f.observations} obs.`]), '');
  return out + op(r.operation, r.dryRun);
}

export function formatUndo(r: UndoResult): string {
  if (r.dryRun) return `Undo would revert operation ${r.operation.id}: ${r.operation.label} (${r.operation.at})\n`;
  const x = r.restored;
  return `Undone: ${r.operation.label}${x ? ` (${x.rows} record(s) restored, ${x.observations} observation(s) moved back, ${x.journal} pending change(s) discarded)` : ''}\n`;
}

export function formatHistory(h: MetadataHistory): string {
  if (!h.operations.length) return 'No metadata operation in this workspace.\n';
  return table(h.operations.map((o) => [String(o.id), o.at.slice(0, 19), o.actor, o.state, o.label]), '');
}
