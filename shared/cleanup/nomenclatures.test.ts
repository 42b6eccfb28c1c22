import { describe, expect, it } from 'vitest';
import { NOMENCLATURE_FIELDS, SYNTHESE_NOMENCLATURES } from '../domain/synthese.js';
import { catalogFromRows, isSinpCode, matchNomenclature, SYNTHESE_CATALOG, sinpLabel } from './nomenclatures.js';
import { MAPPING_PRESETS, suggestMapping } from './presets.js';
import { codeForName, buildTaxonomy, nameKeys } from './taxonomy.js';
import { TARGET_FIELDS } from './fields.js';

describe('synthese nomenclatures', () => {
  it('cover every synthese nomenclature type, with GeoNature defaults among the codes', () => {
    for (const f of NOMENCLATURE_FIELDS) expect(SYNTHESE_CATALOG[SYNTHESE_NOMENCLATURES[f]]?.values.length, f).toBeGreaterThan(1);
    expect(isSinpCode(SYNTHESE_CATALOG, 'STATUT_OBS', 'Pr')).toBe(true);
    expect(sinpLabel(SYNTHESE_CATALOG, 'SENSIBILITE', '0')).toBe('Non sensible - Diffusion précise');
  });

  it.each([
    ['STADE_VIE', 'Adulte', '2'],
    ['STADE_VIE', 'adulte', '2'],
    ['STADE_VIE', '2', '2'],
    ['PREUVE_EXIST', 'Oui', '1'],
    ['PREUVE_EXIST', 'Non acquise', '3'],
    ['STATUT_SOURCE', 'Littérature', 'Li'],
    ['STATUT_SOURCE', 'litterature', 'Li'],
    ['STATUT_OBS', 'pr', 'Pr'],
    ['TYP_GRP', 'OBS', 'OBS'],
    ['SENSIBILITE', 'Non sensible - Diffusion précise', '0'],
    ['NATURALITE', 'Sauvage', '1'],
  ])('%s: %s → %s', (type, value, code) => {
    expect(matchNomenclature(SYNTHESE_CATALOG, type, value)).toBe(code);
  });

  it('does not guess', () => {
    expect(matchNomenclature(SYNTHESE_CATALOG, 'PREUVE_EXIST', '?')).toBeNull();
    expect(matchNomenclature(SYNTHESE_CATALOG, 'STADE_VIE', 'adulto')).toBeNull();
    expect(matchNomenclature(SYNTHESE_CATALOG, 'STADE_VIE', 'adulto', { adulto: '2' })).toBe('2');
  });

  it('builds a catalog from a workspace’s rows', () => {
    const c = catalogFromRows([{ type: 'SEXE', code: '2', label: 'Femelle' }]);
    expect(matchNomenclature(c, 'SEXE', 'femelle')).toBe('2');
  });
});

describe('mapping presets', () => {
  it('recognise GeoNature’s export layout (valid_file.csv header)', () => {
    const cols = ['error', 'id_synthese', 'date_debut', 'date_fin', 'heure_debut', 'cd_nom', 'nom_cite', 'observateurs', 'geometrie_wkt_4326', 'stade_vie', 'uuid_perm_sinp', 'jdd_uuid'];
    const { mapping, preset } = suggestMapping(cols);
    expect(preset).toBe('geonature-export');
    expect(mapping.fields.date_min).toEqual({ column: 'date_debut' });
    expect(mapping.fields.life_stage).toEqual({ column: 'stade_vie' });
    expect(mapping.geometry[0]).toEqual({ kind: 'wkt', column: 'geometrie_wkt_4326', srs: 'EPSG:4326' });
  });

  it('recognise the synthese column names of GeoNature’s test files', () => {
    const { mapping, preset } = suggestMapping(['date_min', 'nom_cite', 'observers', 'WKT', 'cd_nom', 'id_nomenclature_exist_proof', 'Erreur(s) attendue(s)']);
    expect(preset).toBe('synthese-columns');
    expect(mapping.fields.exist_proof).toEqual({ column: 'id_nomenclature_exist_proof' });
    expect(mapping.geometry).toEqual([{ kind: 'wkt', column: 'WKT', srs: 'EPSG:4326' }]);
  });

  it('recognise Darwin Core, with its vocabulary', () => {
    const { mapping, preset } = suggestMapping(['id', 'scientificName', 'eventDate', 'recordedBy', 'decimalLatitude', 'decimalLongitude', 'occurrenceStatus'], { nativeGeometry: false });
    expect(preset).toBe('darwin-core');
    expect(mapping.geometry).toEqual([{ kind: 'xy', x: 'decimalLongitude', y: 'decimalLatitude', srs: 'EPSG:4326' }]);
    expect(mapping.values.observation_status?.present).toBe('Pr');
  });

  it('name only target fields that exist', () => {
    const keys = new Set(TARGET_FIELDS.map((t) => t.key));
    for (const p of MAPPING_PRESETS) for (const k of Object.keys(p.fields)) expect(keys.has(k), `${p.name}: ${k}`).toBe(true);
  });
});

describe('taxonomy', () => {
  const t = buildTaxonomy(
    [
      { cdNom: 2623, cdRef: 2623, names: ['Buse variable'] },
      { cdNom: 93673, cdRef: 93673, names: ['Cyanus montanus (L.) Hill, 1768'] },
      { cdNom: 249070, cdRef: 249070, names: ["Ecaille du Cervin (L'), Ecaille zébrée (L')"] },
      { cdNom: 1, cdRef: 1, names: ['Homonyme'] },
      { cdNom: 2, cdRef: 2, names: ['Homonyme'] },
    ],
    'test',
  );
  it('finds codes from names, whatever the case and accents', () => {
    expect(codeForName(t, 'BUSE VARIABLE')).toBe(2623);
    expect(codeForName(t, 'Cyanus montanus')).toBe(93673);
    expect(codeForName(t, 'Ecaille zebree')).toBe(249070);
    expect(codeForName(t, 'Homonyme')).toBeNull();
    expect(codeForName(t, 'Inconnu')).toBeNull();
    expect(nameKeys('Cyanus montanus (L.) Hill, 1768')).toContain('cyanus montanus');
  });
});
