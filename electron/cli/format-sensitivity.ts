import type {
  SensitivityCheckReport,
  SensitivityCheckSummary,
  SensitivityExplanation,
  SensitivityLoadReport,
  SensitivityOverrideResult,
  SensitivityOverrideView,
  SensitivityReferentials,
  SensitivityReport,
} from '../../shared/contract/index.js';
import { table } from './output.js';

const BLUR_WORDS = ['precise', 'commune', '10 km cell', 'département', 'withheld'];
const levels = (c: readonly number[]) => c.map((n, i) => `${i}: ${n}`).join('   ');
const ver = (name: string, version: string | null) => (version ? `${name} v${version}` : name);

/**
 * What needs the user's attention after a check (the CLI exits 1): observations whose taxon the
 * taxonomy does not know (possible leaks, withheld by default), observations whose area was not
 * found (withheld), rules left out as invalid.
 */
export function checkNeedsAttention(c: SensitivityCheckSummary): boolean {
  return c.unmatched > 0 || c.noTaxon > 0 || c.areaNotFound > 0 || c.diagnostics.invalidRules.length > 0;
}

/** `sensitivity load`: what was stored, and every bad line. */
export function formatLoad(r: SensitivityLoadReport): string {
  const ref = r.referential;
  let out = `${r.replaced ? 'Replaced' : 'Loaded'} ${ref.kind} ${ver(ref.name, ref.version)} (${ref.layout}) into ${r.workspace}\n`;
  out += table([
    [ref.kind === 'taxonomy' ? 'taxa' : 'rules', String(ref.items)],
    ['lines read', String(ref.dataLines)],
    ['bad lines', String(r.errors.length)],
    ...(ref.encoding ? [['encoding', ref.encoding]] : []),
    ...(ref.sha256 ? [['sha256', ref.sha256]] : []),
  ]);
  if (r.ignoredColumns.length) out += `Columns not used: ${r.ignoredColumns.join(', ')}\n`;
  for (const e of r.errors) out += `  ${e.message} [${e.code}]\n`;
  return out;
}

/** A check's summary: counts by level, what is published, what needs a look, taxa and JDD. */
export function formatSummary(c: SensitivityCheckSummary): string {
  let out = `Sensitivity check #${c.id} as of ${c.asOf} (territory ${c.territory}, grid ${c.gridPrefix})${c.stale ? ' — STALE: the workspace changed since, run it again' : ''}\n`;
  out += table([
    ['rules', c.rules.map((r) => `${ver(r.name, r.version)} [${r.kind}] ${r.rules}`).join('; ') || '-'],
    ['taxonomy', `${c.taxonomy.workspaceTaxa} workspace taxref rows, ${c.taxonomy.loadedTaxa} loaded`],
    ['observations', String(c.total)],
    ['by level', `${levels(c.bySensitivity)}   undetermined: ${c.undetermined}`],
    ['published', c.byBlur.map((n, i) => `${BLUR_WORDS[i]} ${n}`).join(' · ')],
    ['needs a look', `${c.unmatched} unmatched taxon, ${c.noTaxon} without taxon, ${c.areaNotFound} area not found, ${c.diagnostics.invalidRules.length} invalid rules`],
    ['by precaution', String(c.byPrecaution)],
    ['overridden', String(c.overridden)],
    ['by NIV_PRECIS', String(c.byDiffusion)],
    ['same site/relevé', `${c.propagated} (propagation ${c.options.propagation})`],
  ]);
  if (c.byTaxon.length) {
    out += 'Taxa (sensitive, degraded or unmatched):\n';
    out += table(c.byTaxon.slice(0, 30).map((t) => [String(t.cdNom ?? '-'), t.name ?? '', `${t.total} obs.`, `levels ${levels(t.bySensitivity)}`, t.undetermined ? `undetermined ${t.undetermined}` : '']));
    if (c.byTaxon.length > 30) out += `  … ${c.byTaxon.length - 30} more (--json for all)\n`;
  }
  if (c.byDataset.length) {
    out += 'JDD:\n';
    out += table(c.byDataset.map((d) => [d.name ?? '-', `${d.total} obs.`, `levels ${levels(d.bySensitivity)}`, `withheld ${d.byBlur[4]}`, d.uuid ?? '']));
  }
  if (c.unmatchedTaxa.length) {
    out += 'Unmatched taxa (withheld until the taxonomy knows them or someone decides):\n';
    out += table(c.unmatchedTaxa.slice(0, 30).map((t) => [String(t.cdNom ?? '-'), t.name ?? '', `${t.observations} obs.`]));
  }
  if (c.areasNotFound.length) {
    out += 'Areas not found (withheld):\n';
    out += table(c.areasNotFound.slice(0, 30).map((a) => [a.uuid ?? '-', a.areaType]));
  }
  for (const r of c.diagnostics.invalidRules.slice(0, 30)) out += `  invalid rule ${r.ruleId}: ${r.problems.join('; ')}\n`;
  return out;
}

/** `sensitivity check`: the files loaded, then the summary. */
export function formatCheck(r: SensitivityCheckReport): string {
  return r.loaded.map(formatLoad).join('') + `Workspace ${r.workspace}\n` + formatSummary(r.check);
}

/** `sensitivity report`: the summary and a table of the observations with their deciding rule. */
export function formatReport(r: SensitivityReport): string {
  if (!r.check) return `No sensitivity check was run on ${r.workspace} (passerelle sensitivity check).\n`;
  let out = formatSummary(r.check);
  out += `Observations (${r.observations.length} of ${r.total}):\n`;
  out += table(
    r.observations.map((o) => [
      o.uuid ?? `#${o.fid}`,
      o.nomCite ?? String(o.cdNom ?? '-'),
      (o.dateMin ?? '').slice(0, 10),
      `level ${o.sensitivityLevel ?? '?'}`,
      o.blurLevel === 4 ? 'withheld' : o.blurLevel === 0 ? 'precise' : `${BLUR_WORDS[o.blurLevel]} ${o.areas.map((a) => a.name ?? a.code).join(', ')}`,
      o.reason,
      o.rule ? `${o.rule.id}${o.precautions.length ? ` (precaution: ${o.precautions.join(', ')})` : ''}` : o.overrideId ? `override ${o.overrideId}` : '',
    ]),
  );
  return out;
}

/** `sensitivity explain`: the story of one observation. */
export function formatExplain(e: SensitivityExplanation): string {
  const o = e.observation;
  let out = `Observation ${o.uuid} (#${o.fid}) in ${e.workspace}, as of ${e.asOf}\n`;
  out += table([
    ['taxon', `${o.nomCite ?? '-'} (cd_nom ${o.cdNom ?? '-'}) → ${e.taxon.resolution === 'unmatched' ? 'UNMATCHED: the taxonomy does not know it' : e.taxon.resolution === 'no-taxon' ? 'no taxon' : `cd_ref ${e.taxon.cdRef} ${e.taxon.name ?? ''} (by ${e.taxon.resolution})`}`],
    ['lineage', e.taxon.lineage.map((t) => t.name ?? String(t.cdNom)).join(' ⊂ ') || '-'],
    ['dates', `${o.dateMin ?? '?'} → ${o.dateMax ?? '?'}`],
    ['status / behaviour', `STATUT_BIO ${o.bioStatus ?? '∅'}, OCC_COMPORTEMENT ${o.behaviour ?? '∅'}`],
    ['JDD', `${o.datasetName ?? '-'} ${o.datasetUuid ?? ''}`],
    ['in areas', e.areas.map((a) => `${a.type}:${a.code}`).join(', ') || '(none: no geometry or outside the loaded areas)'],
  ]);
  if (e.matches.length === 0) out += 'No rule matches: level 0.\n';
  else out += 'Matching rules (the first decides):\n';
  for (const m of e.matches) {
    const r = m.rule;
    const crit = [
      r.territory ? `territory ${r.territory.map((a) => `${a.type}:${a.code}`).join('|')}` : null,
      r.period ? `period ${r.period.start}→${r.period.end}` : null,
      r.durationYears !== null ? `${r.durationYears} years` : null,
      r.bioStatus ? `STATUT_BIO ${r.bioStatus.join('|')}` : null,
      r.behaviour ? `OCC_COMPORTEMENT ${r.behaviour.join('|')}` : null,
    ].filter(Boolean);
    out += `  ${m.deciding ? '*' : ' '} level ${r.level}  ${r.id}  (${ver(r.origin.name, r.origin.version)}, ${r.origin.format}${r.origin.line ? ` line ${r.origin.line}` : ''})${m.inherited ? ` inherited from ${r.nomCite ?? r.cdNom}` : ''}\n`;
    out += `      ${crit.join(', ') || 'no criterion'}${r.comment ? ` — ${r.comment}` : ''}${m.precautions.length ? `; taken as met by precaution: ${m.precautions.join(', ')}` : ''}\n`;
  }
  if (e.override) out += `Override ${e.override.id}: level ${e.override.level} by ${e.override.author} on ${e.override.at}: "${e.override.justification}"\n`;
  out += `Level: computed ${e.computedLevel}, after override ${e.sensitivityLevel ?? 'undetermined'}; NIV_PRECIS ${e.diffusionLevel ?? '∅'}\n`;
  if (e.propagation) {
    const how = e.propagation.via === 'site' ? 'at the same site (any date)' : 'in the same relevé';
    out += `Raised to ${e.propagation.level} by sensitive observation ${e.propagation.uuid ?? `fid ${e.propagation.fid}`} ${how} (workspace only: never published)\n`;
  }
  const p = e.published;
  out += `Published: ${p.withheld ? 'WITHHELD' : p.level === 0 ? 'precise' : `${BLUR_WORDS[p.level]} ${p.areas.map((a) => (a.name ? `${a.name} (${a.code})` : a.code)).join(', ')}`} — reason ${e.blur.reason}\n`;
  if (p.decimalLongitude !== null) out += `  point ${p.decimalLongitude}, ${p.decimalLatitude} ± ${p.dwc.coordinateUncertaintyInMeters} m\n`;
  if (p.dwc.dataGeneralizations) out += `  dataGeneralizations: ${p.dwc.dataGeneralizations}\n`;
  if (p.dwc.informationWithheld) out += `  informationWithheld: ${p.dwc.informationWithheld}\n`;
  if (p.removedColumns.length) out += `  removed: ${p.removedColumns.join(', ')}\n`;
  if (e.stored) out += `Last check #${e.stored.checkId} (as of ${e.stored.asOf}) stored level ${e.stored.sensitivityLevel ?? 'undetermined'}, blur ${e.stored.blurLevel}${e.differsFromStored ? ' — DIFFERS: run the check again' : ''}\n`;
  else out += 'Not in a stored check yet.\n';
  return out;
}

function formatOverrideLine(o: SensitivityOverrideView): string {
  const target = o.target.kind === 'observation' ? `observation ${o.target.uuid}` : `filter ${JSON.stringify(o.target.filter)}`;
  return `${o.id}  level ${o.level}  ${target}  by ${o.author} on ${o.at}: "${o.justification}"${o.removedAt ? `  [removed ${o.removedAt} by ${o.removedBy}: "${o.removedWhy}"]` : ''}\n`;
}

/** `sensitivity override`: the override and the check run again. */
export function formatOverride(r: SensitivityOverrideResult): string {
  let out = `${r.override.removedAt ? 'Removed' : 'Added'} override in ${r.workspace} (${r.observations} observation${r.observations === 1 ? '' : 's'})\n  ${formatOverrideLine(r.override)}`;
  out += r.check ? formatSummary(r.check) : 'No check to run again yet (passerelle sensitivity check).\n';
  return out;
}

/** `sensitivity overrides`: one line each. */
export function formatOverrides(r: { workspace: string; overrides: SensitivityOverrideView[] }): string {
  if (r.overrides.length === 0) return `No override in ${r.workspace}\n`;
  return r.overrides.map(formatOverrideLine).join('');
}

/** `sensitivity referentials`: what the workspace holds. */
export function formatReferentials(r: SensitivityReferentials): string {
  let out = `Workspace ${r.workspace}\n`;
  out += r.referentials.length
    ? table(r.referentials.map((x) => [`#${x.id}`, x.kind, ver(x.name, x.version), x.layout, `${x.items} ${x.kind === 'taxonomy' ? 'taxa' : 'rules'}`, `${x.errorCount} bad lines`, x.loadedAt.slice(0, 19)]))
    : '  no referential loaded\n';
  out += r.pulled ? `Pulled GeoNature rules: ${r.pulled.rules} active, ${r.pulled.inactive} inactive, ${r.pulled.errors.length} unusable (${r.pulled.server ?? '?'}, ${r.pulled.pulledAt ?? '?'})\n` : 'No pulled GeoNature rules\n';
  out += `Taxonomy: ${r.taxonomy.workspaceTaxa} workspace taxref rows, ${r.taxonomy.loadedTaxa} loaded taxa\n`;
  return out;
}
