import type { AppInfo, WorkspaceSummary } from '../../shared/contract/index.js';
import { table } from './output.js';

const fmt = (n: number, digits = 5) => n.toFixed(digits);

/** The demo summary as a geomatician reads it in a terminal. */
export function formatSummary(s: WorkspaceSummary): string {
  let out = `${s.title}\n`;
  out += `Workspace   ${s.path} (format ${s.formatVersion})\n`;
  if (s.source) out += `Source      ${s.source}\n`;
  out += '\nLayers\n';
  out += table(
    s.layers.map((l) => [l.name, l.dataType, l.geometryType ?? '-', l.srsId === null ? '-' : `EPSG:${l.srsId}`, String(l.count)]),
  );
  const o = s.observations;
  out += `\nObservations  ${o.count}\n`;
  out += `  Dates       ${o.dateMin ?? '?'} → ${o.dateMax ?? '?'}\n`;
  out += `  Taxa        ${o.taxa} (distinct cd_nom)\n`;
  out += `  Observers   ${o.observers}\n`;
  out += `\nDatasets (JDD)  ${s.datasets.length}\n`;
  out += table(s.datasets.map((d) => [d.name, `${d.observations} obs.`, d.uuid]));
  if (s.extent) {
    const e = s.extent;
    out += `\nExtent (WGS 84, lon/lat)  ${fmt(e.minX)} ${fmt(e.minY)} → ${fmt(e.maxX)} ${fmt(e.maxY)}\n`;
  } else {
    out += '\nExtent  (no geometry)\n';
  }
  return out;
}

export function formatInfo(i: AppInfo): string {
  const lib = i.libraries;
  const db = i.database;
  let out = `${i.app.name} ${i.app.version} (${i.runtime.host}, Node ${i.runtime.node}${i.runtime.electron ? `, Electron ${i.runtime.electron}` : ''}, ${i.runtime.platform})\n`;
  out += table([
    ['GDAL', lib.gdal ?? 'unavailable'],
    ['PROJ', lib.proj ?? 'unknown'],
    ['GEOS', lib.geos ?? 'unknown'],
    ['SQLite', lib.sqlite],
  ]);
  out += `PostgreSQL  ${db.target}: `;
  if (db.reachable) {
    out += `reachable (server ${db.serverVersion ?? '?'}; PostGIS ${db.postgisVersion ?? (db.postgisAvailable ? `not installed in this database, ${db.postgisAvailable} available` : 'not available')})\n`;
  } else {
    out += `not reachable${db.error ? ` (${db.error.message})` : ''}\n`;
  }
  out += `Home        ${i.paths.home}\nLog         ${i.paths.logFile}\nDemo        ${i.paths.demoWorkspace}\n`;
  return out;
}
