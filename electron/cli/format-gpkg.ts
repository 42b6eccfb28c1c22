import type { ConvertReport, GpkgInfo, ValidationReport } from '../../shared/contract/index.js';
import { table } from './output.js';

/** `passerelle gpkg inspect` for people: the layer list, like a GIS browser. */
export function formatGpkgInfo(i: GpkgInfo): string {
  const srsName = (id: number | null) => {
    if (id === null) return '';
    const s = i.srs.find((r) => r.srsId === id);
    return s?.epsg ? `EPSG:${s.epsg}` : s ? `${id} (${s.organization} ${s.name})` : `${id} (not defined)`;
  };
  const lines = [
    `${i.path}`,
    `  GeoPackage ${i.version ?? '(unknown version)'} · application_id ${i.applicationId} · user_version ${i.userVersion}${i.walMode ? ' · WAL mode' : ''} · ${i.fileSize} bytes`,
    '',
  ];
  const rows = [['layer', 'kind', 'geometry', 'SRS', 'features', 'index']];
  for (const l of i.layers) {
    const geom = l.geometryType ? `${l.geometryType}${l.z === 1 ? ' Z' : ''}${l.m === 1 ? ' M' : ''}` : '';
    rows.push([l.exists ? l.name : `${l.name} (missing table!)`, `${l.kind}${l.isView ? ' (view)' : ''}`, geom, srsName(l.srsId), l.count === null ? '' : String(l.count), l.spatialIndex ? 'rtree' : '']);
  }
  let out = lines.join('\n') + (i.layers.length ? table(rows) : '  no layers\n');
  if (i.unregistered.length) out += `\n  not registered in gpkg_contents: ${i.unregistered.map((u) => `${u.name} (${u.type})`).join(', ')}\n`;
  if (i.extensions.length) out += `\n  extensions: ${[...new Set(i.extensions.map((e) => e.name))].join(', ')}\n`;
  return out;
}

/** `passerelle gpkg validate` for people: one line per finding, worst first. */
export function formatValidation(r: ValidationReport): string {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...r.findings].sort((a, b) => order[a.severity] - order[b.severity]);
  const head = `${r.path}: ${r.clean ? 'clean' : 'problems found'} — ${r.summary.errors} error(s), ${r.summary.warnings} warning(s), ${r.summary.infos} note(s)\n`;
  return (
    head +
    sorted
      .map((f) => {
        const where = [f.table, f.column, f.fid !== null ? `#${f.fid}` : null].filter((x) => x !== null).join(' ');
        return `  ${f.severity.toUpperCase().padEnd(7)} ${f.rule}${where ? ` [${where}]` : ''}: ${f.message}\n          fix: ${f.fix}\n`;
      })
      .join('')
  );
}

/** `passerelle gpkg convert` for people. */
export function formatConvert(r: ConvertReport): string {
  const rows = [['layer', '→', 'features', 'geometry', 'SRS']];
  for (const l of r.layers) rows.push([l.source, l.dest, String(l.features), l.geometryType ?? '', l.srs ?? '']);
  return `${r.source} → ${r.dest} (${r.format})\n${table(rows)}${r.warnings.map((w) => `  warning: ${w.message}\n`).join('')}`;
}
