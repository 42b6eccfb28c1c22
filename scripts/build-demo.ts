/**
 * Builds the bundled demo workspace, resources/demo/ecrins-demo.gpkg, from real data:
 * the Écrins observations of GeoNature's 2018 development dump and the IGN communes and
 * départements of Hautes-Alpes and Isère. Run with `npm run demo:rebuild`; the result is
 * committed so the demo runs without ../shared.
 *
 * Three traps of the 2018 dump, handled here:
 *  - 9 rows are flagged `deleted = t`: they are not observations any more (991 remain);
 *  - its id_nomenclature_* values are ids of that 2018 install and mean nothing today
 *    (its sensitivity id 68 would read as "level 3"): nomenclatures are taken from the
 *    synthese defaults instead, and sensitivity and precision stay unknown;
 *  - rows carry commune codes that no longer exist (4 codes, 27 of the 991 rows, against
 *    the COG 2018 communes): observations are attached by intersection, never by code.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import gdal from 'gdal-async';
import { NOMENCLATURE_FIELDS, nomenclatureColumn, SYNTHESE_DEFAULT_CODES, SYNTHESE_NOMENCLATURES } from '../shared/domain/synthese.js';
import { parseCopyBlocks } from '../electron/core/pg/copy-text.js';
import { decodeHexWkb, encodeWkb } from '../electron/core/gpkg/geometry/wkb.js';
import { encodeGpkg } from '../electron/core/gpkg/geometry/gpkg-binary.js';
import { fromGeoJson, type GeoJsonGeometry } from '../electron/core/gpkg/geometry/geojson.js';
import type { Geometry } from '../electron/core/gpkg/geometry/model.js';
import { createWorkspaceFile } from '../electron/core/workspace/create.js';
import { OBSERVATION_COLUMNS, T } from '../electron/core/workspace/format.js';
import { appRoot } from '../electron/core/paths.js';

const root = appRoot();

/** The JDD of the dump (id_dataset 1 in that install). Its UUID is ours, fixed so rebuilds are stable. */
const DEMO_DATASET = {
  unique_dataset_id: '5b2f4a0e-7c1d-4e8a-9f3b-2d6c8e1a4b70',
  dataset_name: 'Synthèse PNE – extrait de développement GeoNature (2018)',
  dataset_shortname: 'jdd_synthese_dev',
  dataset_desc:
    "Observations réelles du Parc national des Écrins publiées par GeoNature comme données de développement (data/dev/jdd_synthese_dev.sql, 2018). Jeu thématique unique, à restructurer par protocole ou producteur.",
  id_dataset: 1,
};

interface AreaFeature {
  type_code: 'COM' | 'DEP';
  area_code: string;
  area_name: string;
  geometry: Geometry;
  ogr: gdal.Geometry;
  env: gdal.Envelope;
}

function toMulti(g: GeoJsonGeometry): GeoJsonGeometry {
  return g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : g;
}

function loadAreas(shared: string, file: string, type: 'COM' | 'DEP'): AreaFeature[] {
  type F = { properties: { code: string; nom: string }; geometry: GeoJsonGeometry };
  // The per-département outline files are a single Feature, the communes files a FeatureCollection.
  const json = JSON.parse(readFileSync(join(shared, 'admin_boundaries', file), 'utf8')) as { type: string; features?: F[] } & F;
  const features = json.type === 'FeatureCollection' ? (json.features ?? []) : [json];
  return features.map((f) => {
    const ogr = gdal.Geometry.fromGeoJson(f.geometry as object);
    return {
      type_code: type,
      area_code: f.properties.code,
      area_name: f.properties.nom,
      geometry: fromGeoJson(toMulti(f.geometry)),
      ogr,
      env: ogr.getEnvelope(),
    };
  });
}

export interface DemoBuildReport {
  observations: number;
  deletedLeftOut: number;
  inIsere: number;
  areas: number;
}

/** Builds the demo workspace at `out` from the real data in `shared` (../shared/data). */
export async function buildDemoWorkspace(out: string, shared: string): Promise<DemoBuildReport> {
  const dump = readFileSync(join(shared, 'geonature', 'sql', 'jdd_synthese_dev.sql'), 'utf8');
  const block = parseCopyBlocks(dump).find((b) => b.table === 'synthese');
  if (!block) throw new Error('no COPY synthese block in the dump');
  const col = (name: string) => {
    const i = block.columns.indexOf(name);
    if (i < 0) throw new Error(`column ${name} missing from the dump`);
    return i;
  };
  const live = block.rows.filter((r) => r[col('deleted')] !== 't');

  const areas = [
    ...loadAreas(shared, 'departement-05-hautes-alpes.geojson', 'DEP'),
    ...loadAreas(shared, 'departement-38-isere.geojson', 'DEP'),
    ...loadAreas(shared, 'communes-05-hautes-alpes.geojson', 'COM'),
    ...loadAreas(shared, 'communes-38-isere.geojson', 'COM'),
  ];

  const defaults = Object.fromEntries(
    NOMENCLATURE_FIELDS.map((f) => [nomenclatureColumn(f), SYNTHESE_DEFAULT_CODES[SYNTHESE_NOMENCLATURES[f]] ?? null]),
  );

  let inIsere = 0;
  await createWorkspaceFile(
    out,
    {
      title: 'Démo Écrins – synthèse 2018',
      source: 'GeoNature data/dev/jdd_synthese_dev.sql (PnX-SI/GeoNature 0fac9eed8072, GPL-3.0) + IGN Admin Express COG 2018 (Licence Ouverte)',
      localSrid: 2154,
      actor: 'build-demo',
    },
    (db) => {
      db.prepare(
        `INSERT INTO ${T.datasets} (unique_dataset_id, dataset_name, dataset_shortname, dataset_desc, id_dataset) VALUES (@unique_dataset_id, @dataset_name, @dataset_shortname, @dataset_desc, @id_dataset)`,
      ).run(DEMO_DATASET);
      db.prepare(`INSERT INTO passerelle_meta (key, value) VALUES ('nomenclature_note', ?)`).run(
        'Nomenclatures: GeoNature synthese defaults (synthese_default_values.sql); the 2018 install ids were not decoded. SENSIBILITE and NIV_PRECIS unknown.',
      );

      const insArea = db.prepare(`INSERT INTO ${T.areas} (geom, type_code, area_code, area_name, source) VALUES (?, ?, ?, ?, ?)`);
      const areaFid = new Map<AreaFeature, number>();
      for (const a of areas) {
        const r = insArea.run(encodeGpkg(a.geometry, 4326), a.type_code, a.area_code, a.area_name, 'IGN Admin Express COG 2018 (gregoiredavid/france-geojson), Licence Ouverte');
        areaFid.set(a, Number(r.lastInsertRowid));
      }

      const cols = ['geom', ...OBSERVATION_COLUMNS.map((c) => c.name)];
      const insObs = db.prepare(`INSERT INTO ${T.observations} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`);
      const insCor = db.prepare(`INSERT INTO ${T.corAreaObservation} (observation_fid, area_fid) VALUES (?, ?)`);
      const int = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? null : Number.parseInt(v, 10));
      const text = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? null : v);

      for (const r of live) {
        const g4326 = decodeHexWkb(r[col('the_geom_4326')] as string);
        const gLocal = decodeHexWkb(r[col('the_geom_local')] as string);
        if (g4326.srid !== 4326 || gLocal.srid !== 2154) throw new Error('unexpected SRIDs in the dump');
        const res = insObs.run({
          ...defaults,
          geom: encodeGpkg(g4326.geometry, 4326),
          unique_id_sinp: r[col('unique_id_sinp')],
          unique_id_sinp_grp: text(r[col('unique_id_sinp_grp')]),
          id_synthese: int(r[col('id_synthese')]),
          entity_source_pk_value: text(r[col('entity_source_pk_value')]),
          dataset_uuid: DEMO_DATASET.unique_dataset_id,
          cd_nom: int(r[col('cd_nom')]),
          nom_cite: text(r[col('nom_cite')]),
          meta_v_taxref: text(r[col('meta_v_taxref')]),
          count_min: int(r[col('count_min')]),
          count_max: int(r[col('count_max')]),
          altitude_min: int(r[col('altitude_min')]),
          altitude_max: int(r[col('altitude_max')]),
          date_min: r[col('date_min')],
          date_max: r[col('date_max')],
          observers: text(r[col('observers')]),
          determiner: text(r[col('determiner')]),
          sample_number_proof: text(r[col('sample_number_proof')]),
          digital_proof: text(r[col('digital_proof')]),
          non_digital_proof: text(r[col('non_digital_proof')]),
          comment_description: text(r[col('comments')]),
          geom_local_wkb: encodeWkb(gLocal.geometry),
          meta_create_date: text(r[col('meta_create_date')]),
          meta_update_date: text(r[col('meta_update_date')]),
          last_action: text(r[col('last_action')]),
          // Format 3: the dump says nothing of the source or the digitiser's organism.
          source_name: null,
          producer_name: null,
          producer_uuid: null,
        });
        const fid = Number(res.lastInsertRowid);
        const ogr = gdal.Geometry.fromWKB(Buffer.from(encodeWkb(g4326.geometry)));
        const env = ogr.getEnvelope();
        for (const a of areas) {
          if (env.maxX < a.env.minX || env.minX > a.env.maxX || env.maxY < a.env.minY || env.minY > a.env.maxY) continue;
          if (!a.ogr.intersects(ogr)) continue;
          insCor.run(fid, areaFid.get(a));
          if (a.type_code === 'DEP' && a.area_code === '38') inIsere++;
        }
      }
    },
  );
  return { observations: live.length, deletedLeftOut: block.rows.length - live.length, inIsere, areas: areas.length };
}

// As a script: `npm run demo:rebuild [-- OUT.gpkg]`.
if (process.argv[1] && /build-demo\.ts$/.test(process.argv[1])) {
  const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'resources', 'demo', 'ecrins-demo.gpkg');
  const shared = resolve(process.env.PASSERELLE_SHARED_DATA ?? join(root, '..', 'shared', 'data'));
  mkdirSync(dirname(out), { recursive: true });
  buildDemoWorkspace(out, shared).then(
    (r) => {
      if (!process.argv[2]) writeFileSync(join(root, 'resources', 'demo', 'build-report.json'), JSON.stringify(r, null, 2) + '\n');
      process.stdout.write(`demo workspace: ${out}\n  observations ${r.observations} (left out ${r.deletedLeftOut} deleted), in Isère ${r.inIsere}, areas ${r.areas}\n`);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
