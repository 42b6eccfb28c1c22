import type { BrowseResult, ConnectionTest, PullEstimate, PullReport, PushReport } from '../../shared/contract/index.js';
import { table } from './output.js';

const show = (v: unknown): string => (v === null || v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

/** `geonature test`: the status first, then what was found. */
export function formatTest(t: ConnectionTest): string {
  let out = `${t.status === 'ok' ? 'OK' : t.status.toUpperCase()}  ${t.target}\n`;
  if (t.error) out += `  ${t.error.message}\n`;
  if (t.server.postgres) out += `  PostgreSQL ${t.server.postgres}, PostGIS ${t.server.postgis ?? 'absent'}\n`;
  if (t.schema) {
    out += `  GeoNature ${t.schema.geonatureVersion ?? '(version not recorded)'}${t.schema.alembicRevisions.length ? `, alembic ${t.schema.alembicRevisions.join(' ')}` : ''}\n`;
    out += `  Local SRID EPSG:${t.schema.localSrid}, TAXREF ${t.schema.taxrefVersion ?? '?'}\n`;
    const absent = Object.entries(t.schema.optional).filter(([, v]) => !v).map(([k]) => k);
    if (absent.length) out += `  Optional, absent (adapted): ${absent.join(', ')}\n`;
  }
  if (t.counts) out += `  ${t.counts.frameworks} CA, ${t.counts.datasets} JDD, ~${t.counts.observationsEstimate} observations\n`;
  if (t.status === 'ok') out += `  Push: ${t.privileges.push ? 'allowed' : `not allowed (${t.privileges.missingForPush.join(', ')})`}\n`;
  return out;
}

/** `geonature browse`: the CA → JDD tree with counts. */
export function formatBrowse(b: BrowseResult): string {
  let out = `${b.target} (EPSG:${b.schema.localSrid})\n`;
  for (const af of b.frameworks) {
    out += `\nCA  ${af.name}  [${af.uuid}]  ${af.observations} obs.\n`;
    const rows = af.datasets.map((d) => [
      `  JDD ${d.name}`,
      `${d.observations} obs.`,
      `${d.taxa} taxa`,
      d.dateMin ? `${d.dateMin} → ${d.dateMax}` : '-',
      d.nomenclatures.data_type?.label ?? '',
      d.uuid,
    ]);
    if (rows.length) out += table(rows, '  ');
  }
  if (b.observationsWithoutDataset) out += `\n${b.observationsWithoutDataset} observations have no JDD (not pullable by JDD)\n`;
  return out;
}

export function formatEstimate(e: PullEstimate): string {
  return `${e.observations} observations in ${e.datasets} JDD\n`;
}

/** `geonature pull`: what the workspace now holds, and what a re-pull merged. */
export function formatPull(r: PullReport): string {
  let out = `${r.created ? 'Pulled' : 'Re-pulled'} into ${r.path}\n`;
  out += table([
    ['observations', String(r.observations)],
    ['CA / JDD', `${r.frameworks} / ${r.datasets}`],
    ['taxa (taxref rows)', String(r.taxa)],
    ['areas', String(r.areas)],
    ['sensitivity rules', String(r.sensitivityRules)],
    ['nomenclatures', String(r.nomenclatures)],
    ['local SRID', `EPSG:${r.localSrid}`],
    ['GeoNature', r.geonatureVersion ?? '(not recorded)'],
  ]);
  if (r.merge) {
    const m = r.merge;
    out += `Merge: ${m.added} added, ${m.updated} updated, ${m.unchanged} unchanged, ${m.removed} removed, ${m.keptLocal} local changes kept\n`;
    if (m.conflicts.length) {
      out += `${m.conflicts.length} conflict(s) to settle before pushing:\n`;
      out += table(m.conflicts.map((c) => [`#${c.id}`, c.entity, c.label, c.field, `base ${show(c.base)}`, `local ${show(c.local)}`, `server ${show(c.server)}`]));
    }
  }
  return out;
}

/** `geonature push`: the diff table, the moves, the conflicts. */
export function formatPush(r: PushReport): string {
  let out = `${r.dryRun ? 'Dry run: would push' : r.applied ? 'Pushed' : 'Not pushed'} to ${r.target} (${r.changes} pending change(s))\n`;
  if (r.rows.length) {
    out += '\nChanges\n';
    out += table([['', 'entity', 'name', 'field', 'server now', '→ workspace'], ...r.rows.map((x) => [x.conflict ? '!' : x.action === 'insert' ? '+' : '~', x.entity, x.name, x.field, show(x.server), show(x.local)])]);
  }
  if (r.moves.length) {
    out += '\nObservations moved\n';
    out += table(r.moves.map((m) => [`${m.observations}`, `${m.fromName ?? m.from ?? '∅'}`, '→', m.toName]));
  }
  if (r.conflicts.length) {
    out += `\n${r.conflicts.length} conflict(s): the server changed these since the pull\n`;
    out += table(r.conflicts.slice(0, 50).map((c) => [c.entity, c.label, c.field, `base ${show(c.base)}`, `local ${show(c.local)}`, `server ${show(c.server)}`]));
  }
  if (!r.rows.length && !r.moves.length && !r.conflicts.length) out += 'Nothing to push.\n';
  return out;
}
