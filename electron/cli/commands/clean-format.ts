import type { CheckReport, CleanFinding, CleanOperation, ExportGeoNatureReport, FixReport, ImportReport, RejectedRow, SavedMapping, SniffResult, UndoReport } from '../../../shared/contract/index.js';
import { table } from '../output.js';

const v = (x: string | number | null) => (x === null ? '∅' : typeof x === 'string' ? JSON.stringify(x) : String(x));

/** `passerelle clean sniff` for people. */
export function formatSniff(s: SniffResult): string {
  const lines = [
    `${s.path}: ${s.format}, ${s.size} bytes`,
    `  encoding   ${s.encoding.used} (${s.encoding.how}${s.encoding.bom ? ', BOM' : ''})`,
    ...s.encoding.candidates.map((c) => `    ${c.encoding.padEnd(12)} damage ${String(c.damage).padEnd(6)} ${c.sample.slice(0, 100)}`),
  ];
  if (s.csv) lines.push(`  csv        delimiter ${JSON.stringify(s.csv.delimiter)}, header line ${s.csv.headerLine}, line ends ${s.csv.lineEnding}${s.csv.quoted ? ', quoted fields' : ''}`);
  if (s.layer) lines.push(`  layer      ${s.layer}${s.layers.length > 1 ? ` (of ${s.layers.join(', ')})` : ''}${s.srs ? `, ${s.srs}` : ''}`);
  lines.push(`  columns    ${s.columns.length}: ${s.columns.join(', ')}`, `  rows       ${s.rows ?? '?'}`, `  mapping    ${s.preset ?? 'none recognised'}: ${Object.keys(s.suggested.fields).length} field(s), geometry ${s.suggested.geometry.map((g) => g.kind).join(' → ') || 'none'}`);
  for (const i of s.issues) lines.push(`  ${i.severity.toUpperCase()} ${i.message.en}`);
  return lines.join('\n') + '\n';
}

/** `passerelle clean import` for people. */
export function formatImport(r: ImportReport): string {
  const out = [
    `${r.file} → ${r.workspace} (import #${r.importId}, ${r.format}${r.encoding ? `, ${r.encoding}` : ''})`,
    `  read ${r.rowsRead}, imported ${r.imported}, set aside ${r.rejected}${r.generatedUuids ? `, ${r.generatedUuids} new UUID(s)` : ''}${r.filledDateMax ? `, ${r.filledDateMax} end date(s) = start date` : ''}`,
  ];
  for (const x of r.rejectedByReason) out.push(`  rejected ${x.reason}: ${x.count}`);
  for (const x of r.firstRejected.slice(0, 10)) out.push(`    line ${x.line}: ${x.message.en}`);
  for (const i of r.issues) out.push(`  ${i.severity.toUpperCase()} ${i.message.en}`);
  if (r.mappingSavedAs) out.push(`  mapping saved as "${r.mappingSavedAs}"`);
  return out.join('\n') + '\n';
}

/** `passerelle clean check` for people: one line per check with its count, then its first findings. */
export function formatCheck(r: CheckReport): string {
  const head = `${r.workspace}: ${r.observations} observation(s), ${r.flagged} flagged, ${r.total} finding(s) — ${r.clean ? 'clean' : 'defects found'} (run ${r.runId})\n`;
  const ctx = `  taxonomy: ${r.taxonomy.source === 'none' ? 'none' : `${r.taxonomy.name} (${r.taxonomy.taxa} taxa)`} · territory: ${r.territory.source === 'none' ? 'none' : r.territory.departements.join(', ')}\n`;
  const rows = [['check', 'severity', 'findings', 'rows', 'fixes']];
  for (const g of r.groups) rows.push([g.check, g.severity, String(g.count), String(g.rows), g.fixes.join(', ')]);
  let out = head + ctx + (r.groups.length ? table(rows) : '  no finding\n');
  for (const g of r.groups) {
    out += `\n  ${g.title.en} (${g.count})\n`;
    for (const f of g.samples.slice(0, 5)) out += formatFinding(f);
  }
  for (const s of r.skipped) out += `  skipped ${s.check}: ${s.reason.en}\n`;
  return out;
}

export function formatFinding(f: CleanFinding): string {
  const sug = f.suggestion ? ` → ${f.suggestion.fix}${f.suggestion.value !== undefined ? ` ${v(f.suggestion.value)}` : ''}${Object.keys(f.suggestion.params).length ? ` ${JSON.stringify(f.suggestion.params)}` : ''}` : '';
  return `    #${f.fid}${f.line !== null ? ` (line ${f.line})` : ''} ${f.field}: ${f.message.en}${sug}\n`;
}

/** `passerelle clean findings` for people. */
export function formatFindings(r: { total: number; findings: CleanFinding[] }): string {
  return `${r.total} finding(s)\n` + r.findings.map((f) => `  ${f.check}${formatFinding(f).slice(3)}`).join('');
}

/** `passerelle clean fix` for people: every changed value (up to --limit). */
export function formatFix(r: FixReport): string {
  const head = `${r.workspace}: ${r.kind} ${r.dryRun ? 'would change' : 'changed'} ${r.valuesChanged} value(s) in ${r.rowsChanged} row(s)${r.rowsDeleted ? `, delete ${r.rowsDeleted} duplicate(s)` : ''}${r.fixId !== null ? ` (fix #${r.fixId}, undo with \`passerelle clean undo\`)` : ''}\n`;
  const by = r.byField.map((b) => `  ${b.field}: ${b.count}`).join('\n');
  const rows = [['fid', 'field', 'before', 'after']];
  for (const c of r.changes) rows.push([String(c.fid), c.field, c.deleted ? '(row)' : v(c.before), c.deleted ? '(deleted)' : v(c.after)]);
  const more = r.valuesChanged > r.offset + r.changes.length ? `  … ${r.valuesChanged - r.offset - r.changes.length} more (use --limit / --offset)\n` : '';
  const skipped = r.skipped.length ? `  ${r.skipped.length} row(s) skipped, e.g. #${r.skipped[0]?.fid}: ${r.skipped[0]?.reason}\n` : '';
  return head + (by ? by + '\n' : '') + (r.changes.length ? table(rows) : '') + more + skipped;
}

/** `passerelle clean undo` for people. */
export function formatUndo(r: UndoReport): string {
  if (!r.undone) return `${r.workspace}: nothing to undo\n`;
  return `${r.workspace}: undid ${r.undone.kind} ${r.undone.what} (${r.undone.id}): ${r.rowsRestored} row(s) restored, ${r.rowsRemoved} removed\n`;
}

/** `passerelle clean history` for people. */
export function formatHistory(r: { workspace: string; operations: CleanOperation[] }): string {
  const rows = [['id', 'when', 'what', 'rows', 'state']];
  for (const o of r.operations) rows.push([o.id, o.at, o.what, String(o.rows), o.undone ? `undone ${o.undoneAt ?? ''}` : '']);
  return `${r.workspace}\n` + (r.operations.length ? table(rows) : '  no import or fix yet\n');
}

/** `passerelle clean rejected` for people. */
export function formatRejected(r: { total: number; rows: RejectedRow[] }): string {
  return `${r.total} row(s) set aside\n` + r.rows.map((x) => `  import #${x.importId} line ${x.line} ${x.reason}: ${x.message.en}${x.raw ? `\n      ${x.raw.slice(0, 200)}` : ''}\n`).join('');
}

/** `passerelle clean export-geonature` for people. */
export function formatExport(r: ExportGeoNatureReport): string {
  return `${r.out}: ${r.rows} observation(s) in GeoNature's import layout (${r.columns.length} columns)${r.skipped ? `, ${r.skipped} without geometry left out` : ''}\n`;
}

/** `passerelle clean mappings` for people. */
export function formatMappings(r: { mappings: SavedMapping[]; file: string }): string {
  return r.mappings.map((m) => `  ${m.builtin ? '(built-in) ' : ''}${m.name}: ${Object.keys(m.mapping.fields).length} field(s)${m.description ? ` — ${m.description}` : ''}\n`).join('') + `  saved in ${r.file}\n`;
}
