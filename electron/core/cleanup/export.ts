import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import type { ExportGeoNatureReport } from '../../../shared/contract/index.js';
import { EXPORT_FIELD, GEONATURE_IMPORT_COLUMNS, csvCell, splitDateTime } from '../../../shared/cleanup/geonature-export.js';
import { targetField } from '../../../shared/cleanup/fields.js';
import { anchorOf, isEmptyGeometry } from '../../../shared/cleanup/geometry.js';
import { sinpLabel } from '../../../shared/cleanup/nomenclatures.js';
import { cellText } from '../../../shared/cleanup/normalize.js';
import { AppError } from '../errors.js';
import { writeAtomically } from '../files/atomic.js';
import type { JobContext } from '../jobs/context.js';
import { hasTable } from '../workspace/migrations.js';
import { openWorkspace } from '../workspace/open.js';
import { readObservations } from './check.js';
import { loadCatalog } from './context.js';
import { decodeBlob, toWkt } from './geom.js';

/**
 * Writes the observations as the CSV GeoNature's import module reads (valid_file.csv's columns,
 * `;`, UTF-8, dates and hours split, nomenclatures as labels — its "Nomenclatures SINP (labels)"
 * content mapping — or as codes), so a park loads them back with the tool it already uses.
 */
export async function exportGeonatureTask(input: { workspace: string; out: string; overwrite: boolean; nomenclatures: 'labels' | 'codes' }, ctx: JobContext): Promise<ExportGeoNatureReport> {
  if (existsSync(input.out) && !input.overwrite) {
    throw new AppError('CONFLICT', `${input.out} exists (overwrite it explicitly)`, { key: 'errors.FILE_EXISTS', params: { path: input.out }, where: input.out });
  }
  const ws = openWorkspace(input.workspace);
  try {
    const db = ws.db;
    const catalog = loadCatalog(db);
    const taxref = hasTable(db, 'taxref') ? db.prepare('SELECT cd_ref, nom_valide, nom_vern, regne, group1_inpn, group2_inpn, classe, ordre, famille, id_rang FROM taxref WHERE cd_nom = ?') : null;
    const dataset = db.prepare('SELECT dataset_name FROM datasets WHERE unique_dataset_id = ?').pluck();
    const communes = db.prepare("SELECT group_concat(a.area_name, ', ') FROM cor_area_observation c JOIN areas a ON a.fid = c.area_fid WHERE c.observation_fid = ? AND a.type_code = 'COM'").pluck();
    const total = db.prepare('SELECT count(*) FROM observations').pluck().get() as number;
    let rows = 0;
    let skipped = 0;
    await writeAtomically(input.out, async (tmp) => {
      const out = createWriteStream(tmp, { encoding: 'utf8' });
      const write = async (line: string) => {
        if (!out.write(line)) await once(out, 'drain');
      };
      await write(GEONATURE_IMPORT_COLUMNS.join(';') + '\n');
      let n = 0;
      for (const row of readObservations(db)) {
        if (++n % 1000 === 0) {
          ctx.progress(n, total, 'export');
          await ctx.checkpoint();
        }
        let g: ReturnType<typeof decodeBlob>;
        try {
          g = decodeBlob(row.blob);
        } catch {
          g = null;
        }
        if (!g || isEmptyGeometry(g)) {
          skipped++;
          continue;
        }
        const v = row.values;
        const [dMin, hMin] = splitDateTime(cellText(v.date_min));
        const [dMax, hMax] = splitDateTime(cellText(v.date_max));
        const cd = typeof v.cd_nom === 'number' ? v.cd_nom : null;
        const tax = cd !== null && taxref ? (taxref.get(cd) as Record<string, string | number | null> | undefined) : undefined;
        const a = anchorOf(g) as [number, number];
        const special: Record<string, string | number | null> = {
          date_debut: dMin,
          heure_debut: cellText(v.hour_min) ?? hMin,
          date_fin: dMax,
          heure_fin: cellText(v.hour_max) ?? hMax,
          geometrie_wkt_4326: toWkt(g),
          x_centroid_4326: Math.round(a[0] * 1e7) / 1e7,
          y_centroid_4326: Math.round(a[1] * 1e7) / 1e7,
          communes: (communes.get(row.fid) as string | null) ?? null,
          jdd_nom: cellText(v.dataset_uuid) ? ((dataset.get(cellText(v.dataset_uuid)) as string | undefined) ?? null) : null,
          cd_ref: tax?.cd_ref ?? null,
          nom_valide: tax?.nom_valide ?? null,
          nom_vernaculaire: tax?.nom_vern ?? null,
          regne: tax?.regne ?? null,
          group1_inpn: tax?.group1_inpn ?? null,
          group2_inpn: tax?.group2_inpn ?? null,
          classe: tax?.classe ?? null,
          ordre: tax?.ordre ?? null,
          famille: tax?.famille ?? null,
          rang_taxo: tax?.id_rang ?? null,
        };
        const cells = GEONATURE_IMPORT_COLUMNS.map((c) => {
          if (c in special) return csvCell(special[c] ?? null);
          const key = EXPORT_FIELD.get(c);
          if (!key) return '';
          const def = targetField(key);
          const raw = def?.column ? v[def.column] : v[key];
          if (raw === null || raw === undefined) return '';
          if (def?.kind === 'nomenclature' && input.nomenclatures === 'labels') return csvCell(sinpLabel(catalog, def.type as string, String(raw)) ?? String(raw));
          return csvCell(typeof raw === 'number' ? raw : typeof raw === 'string' ? raw : JSON.stringify(raw));
        });
        await write(cells.join(';') + '\n');
        rows++;
      }
      out.end();
      await once(out, 'finish');
    });
    return { out: input.out, rows, columns: [...GEONATURE_IMPORT_COLUMNS], skipped };
  } finally {
    ws.close();
  }
}
