import { describe, expect, it } from 'vitest';
import { LICENCE_IDS } from '../metadata/licences.js';
import { LICENCE_TEXTS } from './licence-texts.js';
import { attributionSentence, licenceForTarget } from './licences.js';

describe('licences per target', () => {
  it('GBIF refuses the Licence Ouverte and suggests CC-BY 4.0; it refuses ODbL with no equivalent', () => {
    expect(licenceForTarget('etalab-2.0', 'gbif')).toMatchObject({ accepted: false, suggestion: 'CC-BY-4.0', remark: 'gbif-refuses' });
    expect(licenceForTarget('ODbL-1.0', 'gbif')).toMatchObject({ accepted: false, suggestion: null, remark: 'gbif-refuses-no-equivalent' });
    for (const id of ['CC0-1.0', 'CC-BY-4.0', 'CC-BY-NC-4.0'] as const) expect(licenceForTarget(id, 'gbif').accepted).toBe(true);
  });

  it('maps to data.gouv.fr ids and refuses a non-commercial licence there', () => {
    expect(licenceForTarget('etalab-2.0', 'datagouv')).toMatchObject({ accepted: true, id: 'lov2' });
    expect(licenceForTarget('ODbL-1.0', 'datagouv')).toMatchObject({ accepted: true, id: 'odc-odbl' });
    expect(licenceForTarget('CC-BY-4.0', 'datagouv')).toMatchObject({ accepted: true, id: 'cc-by' });
    expect(licenceForTarget('CC-BY-NC-4.0', 'datagouv')).toMatchObject({ accepted: false, suggestion: 'etalab-2.0' });
    expect(licenceForTarget('ODbL-1.0', 'sinp')).toMatchObject({ accepted: true, id: 'ODbL-1.0' });
  });

  it('the attribution sentence names the source and the date of the last update (the Licence Ouverte’s condition)', () => {
    const s = attributionSentence('etalab-2.0', { publisher: 'Parc national des Écrins', title: 'Observations', lastUpdate: '2026-11-29', version: '1.2.0', url: null });
    expect(s.fr).toBe('Parc national des Écrins, « Observations », version 1.2.0, mise à jour du 2026-11-29, sous Licence Ouverte / Open Licence version 2.0.');
    expect(attributionSentence('CC0-1.0', { publisher: 'P', title: 'T', lastUpdate: '2026-01-01', version: '1.0.0', url: 'https://x' }).en).toMatch(/^Citation requested \(not required\): P, "T"/);
  });

  it('every licence has its full text and its source', () => {
    for (const id of LICENCE_IDS) {
      expect(LICENCE_TEXTS[id].spdxId).toBe(id);
      expect(LICENCE_TEXTS[id].text.length).toBeGreaterThan(5000);
    }
    expect(LICENCE_TEXTS['etalab-2.0'].text).toContain('LICENCE OUVERTE / OPEN LICENCE');
    expect(LICENCE_TEXTS['ODbL-1.0'].text).toContain('Open Database License');
  });
});
