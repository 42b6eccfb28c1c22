import { describe, expect, it } from 'vitest';
import { SINP_NOMENCLATURE_DATA, SINP_NOMENCLATURE_SOURCE } from './nomenclature-data.js';
import { NOMENCLATURE_LABELS_EN } from './nomenclature-labels-en.js';
import { METADATA_NOMENCLATURE_TYPES } from './nomenclature-types.js';
import { SINP_NOMENCLATURES, catalogFromRows, isKnownCode, nomenclatureEntry, nomenclatureLabel } from './nomenclatures.js';

describe('SINP nomenclature catalog', () => {
  it('holds every type CA and JDD use, with the number of values of the INPN referential', () => {
    const counts = Object.fromEntries(METADATA_NOMENCLATURE_TYPES.map((t) => [t, SINP_NOMENCLATURES[t]?.values.length]));
    // geonature-reference.md §1.4; CA_OBJECTIFS has only codes 8–11 in nomenclatures_inpn_data.sql.
    expect(counts).toEqual({
      NIVEAU_TERRITORIAL: 7,
      TYPE_FINANCEMENT: 4,
      CA_OBJECTIFS: 4,
      TERRITOIRE: 17,
      VOLET_SINP: 3,
      ROLE_ACTEUR: 8,
      DATA_TYP: 5,
      JDD_OBJECTIFS: 30,
      METHO_RECUEIL: 12,
      DS_PUBLIQUE: 3,
      STATUT_SOURCE: 4,
      RESOURCE_TYP: 2,
      TYPE_PROTOCOLE: 5,
    });
  });

  it('has an English label for every generated code, and none for a code the source lacks', () => {
    for (const type of METADATA_NOMENCLATURE_TYPES) {
      const codes = SINP_NOMENCLATURE_DATA[type].values.map((v) => v.code).sort();
      expect(Object.keys(NOMENCLATURE_LABELS_EN[type].values).sort(), type).toEqual(codes);
      for (const label of Object.values(NOMENCLATURE_LABELS_EN[type].values)) expect(label.trim(), type).not.toBe('');
    }
  });

  it.each([
    ['ROLE_ACTEUR', '1', 'fr', 'Contact principal'],
    ['ROLE_ACTEUR', '1', 'en', 'Main contact'],
    ['NIVEAU_TERRITORIAL', '3', 'fr', 'National'],
    ['JDD_OBJECTIFS', '7.2', 'fr', 'Autres études et programmes'],
    ['JDD_OBJECTIFS', '7.2', 'en', 'Other studies and programmes'],
    ['TERRITOIRE', 'METROP', 'fr', 'Métropole'],
    ['DS_PUBLIQUE', 'Pu', 'en', 'Public'],
    ['STATUT_SOURCE', 'Te', 'fr', 'Terrain'],
    ['CA_OBJECTIFS', '7', 'fr', null],
    ['NO_SUCH_TYPE', '1', 'fr', null],
  ] as const)('labels %s %s in %s as %s', (type, code, lang, label) => {
    expect(nomenclatureLabel(SINP_NOMENCLATURES, type, code, lang)).toBe(label);
    expect(isKnownCode(SINP_NOMENCLATURES, type, code)).toBe(label !== null);
  });

  it('keeps the French definitions of the source', () => {
    expect(nomenclatureEntry(SINP_NOMENCLATURES, 'STATUT_SOURCE', 'Li')?.definition).toMatch(/^Littérature : l'observation a été extraite/);
  });

  it('credits its source', () => {
    expect(SINP_NOMENCLATURE_SOURCE.repository).toBe('PnX-SI/Nomenclature-api-module');
    expect(SINP_NOMENCLATURE_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('builds a catalog from pulled rows, with our English labels when the rows have none', () => {
    const catalog = catalogFromRows([
      { type: 'ROLE_ACTEUR', code: '1', labelFr: 'Contact principal' },
      { type: 'ROLE_ACTEUR', code: '9', labelFr: 'Rôle local', labelEn: 'Local role' },
      { type: 'ROLE_ACTEUR', code: '2', labelFr: 'Financeur', active: false },
      { type: 'ROLE_ACTEUR', code: '1', labelFr: 'doublon ignoré' },
    ]);
    expect(catalog.ROLE_ACTEUR?.values.map((v) => [v.code, v.label.fr, v.label.en])).toEqual([
      ['1', 'Contact principal', 'Main contact'],
      ['9', 'Rôle local', 'Local role'],
    ]);
    expect(catalog.ROLE_ACTEUR?.label.en).toBe('Actor role');
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
  });
});
