import { describe, expect, it } from 'vitest';
import { dwcGeneralization, type GeneralizationInput } from './generalization.js';
import { TERRITORIES, gridCellCode, gridCellOrigin, isMetropolitanDepartement, keysImpliedByDepartement, normaliseDepartementCode, territoryForSrid } from './territory.js';

describe('départements', () => {
  it.each([
    ['05', '05'],
    ['5', '05'],
    ['2a', '2A'],
    ['2B', '2B'],
    ['D3', '973'],
    ['D4', '974'],
    ['d1', '971'],
    ['976', '976'],
    [' 38 ', '38'],
    ['20', null],
    ['00', null],
    ['XX', null],
    ['123', null],
    ['D9', null],
  ])('%j → %j', (raw, code) => {
    expect(normaliseDepartementCode(raw)).toBe(code);
  });

  it.each([
    ['05', ['REG:93', 'TER:FXX']],
    ['38', ['REG:84', 'REG:82', 'TER:FXX']],
    ['73', ['REG:84', 'REG:82', 'TER:FXX']],
    ['04', ['REG:93', 'TER:FXX']],
    ['2A', ['REG:94', 'TER:FXX']],
    ['59', ['REG:32', 'REG:31', 'TER:FXX']],
    ['974', ['REG:04']],
    ['973', ['REG:03']],
  ])('%s implies %j', (dep, keys) => {
    expect(keysImpliedByDepartement(dep)).toEqual(keys);
  });

  it('knows every metropolitan département: 96, with 2A and 2B', () => {
    const all = [...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((d) => d !== '20'), '2A', '2B'];
    expect(all.filter(isMetropolitanDepartement)).toHaveLength(96);
    expect(all.every((d) => keysImpliedByDepartement(d).length >= 2)).toBe(true);
    expect(isMetropolitanDepartement('974')).toBe(false);
  });
});

describe('the 10 km grid', () => {
  it.each([
    ['10kmL93', 940_512, 6_430_001, '10kmL93E094N643'],
    ['10kmL93', 940_000, 6_430_000, '10kmL93E094N643'],
    ['10kmL93', 939_999.999, 6_429_999.999, '10kmL93E093N642'],
    ['10kmL93', 99_000, 6_100_000, '10kmL93E009N610'],
    ['10kmUTM40', 340_123, 7_666_789, '10kmUTM40E034N766'],
    ['10kmUTM22', 350_000, 512_000, '10kmUTM22E035N051'],
  ])('%s at (%d, %d) is %s', (prefix, x, y, code) => {
    expect(gridCellCode(prefix, x, y)).toBe(code);
    expect(gridCellOrigin(code)).toEqual({ x: Math.floor(x / 10_000) * 10_000, y: Math.floor(y / 10_000) * 10_000 });
  });

  it('follows the territory, not a hard-coded Lambert-93', () => {
    expect(territoryForSrid(2154)?.gridPrefix).toBe('10kmL93');
    expect(territoryForSrid(2975)).toMatchObject({ id: 'REU', epsg: 2975 });
    expect(territoryForSrid(4471)).toMatchObject({ id: 'MYT' });
    expect(territoryForSrid(2972)).toMatchObject({ id: 'GUF' });
    expect(territoryForSrid(5490)?.epsg).toBe(5490);
    expect(territoryForSrid(32632)).toBeNull();
    expect(new Set(Object.values(TERRITORIES).map((t) => t.epsg))).toEqual(new Set([2154, 5490, 2972, 2975, 4471]));
  });
});

describe('Darwin Core generalisation terms', () => {
  const base: GeneralizationInput = {
    level: 2,
    reason: 'sensitivity',
    sensitivityLevel: 2,
    diffusionLevel: null,
    areas: [{ code: '10kmL93E094N643', name: null }],
    source: { name: 'RefSensibilite', version: '18', format: 'v18' },
    cdNom: 2645,
    uncertaintyMeters: 7072,
  };
  it.each([
    [base, 'en', { dataGeneralizations: 'Location generalised to the 10 km grid cell 10kmL93E094N643: SINP sensitivity level 2 (RefSensibilite v18). Altitude and locality removed.', informationWithheld: null, coordinateUncertaintyInMeters: 7072 }],
    [base, 'fr', { dataGeneralizations: 'Localisation dégradée à la maille 10 km 10kmL93E094N643 : niveau de sensibilité SINP 2 (RefSensibilite v18). Altitude et lieu-dit retirés.', informationWithheld: null, coordinateUncertaintyInMeters: 7072 }],
    [
      { ...base, level: 1, reason: 'diffusion', sensitivityLevel: 0, diffusionLevel: '1', areas: [{ code: '05101', name: 'Vallouise-Pelvoux' }], uncertaintyMeters: 9000 },
      'en',
      { dataGeneralizations: "Location generalised to the commune Vallouise-Pelvoux (05101): the producer's diffusion level (NIV_PRECIS 1). Altitude and locality removed.", informationWithheld: null, coordinateUncertaintyInMeters: 9000 },
    ],
    [
      { ...base, level: 4, reason: 'sensitivity', sensitivityLevel: 4, areas: [], uncertaintyMeters: null },
      'en',
      { dataGeneralizations: null, informationWithheld: 'Location withheld: SINP sensitivity level 4 (RefSensibilite v18). The precise location may be available from the producer on request.', coordinateUncertaintyInMeters: null },
    ],
    [
      { ...base, level: 4, reason: 'unmatched-taxon', sensitivityLevel: null, areas: [], uncertaintyMeters: null, source: null },
      'en',
      {
        dataGeneralizations: null,
        informationWithheld: "Location withheld: precaution: the taxon (cd_nom 2645) is not in the sensitivity referential's taxonomy. The precise location may be available from the producer on request.",
        coordinateUncertaintyInMeters: null,
      },
    ],
    [
      { ...base, level: 4, reason: 'area-not-found', requestedLevel: 1, sensitivityLevel: 1, areas: [], uncertaintyMeters: null },
      'en',
      { dataGeneralizations: null, informationWithheld: 'Location withheld: the commune to generalise to could not be determined (SINP sensitivity level 1). The precise location may be available from the producer on request.', coordinateUncertaintyInMeters: null },
    ],
    [{ ...base, level: 0, reason: 'none', sensitivityLevel: 0, areas: [], uncertaintyMeters: 25 }, 'en', { dataGeneralizations: null, informationWithheld: null, coordinateUncertaintyInMeters: 25 }],
  ] as const)('%#', (input, lang, expected) => {
    expect(dwcGeneralization(input as GeneralizationInput, lang)).toEqual(expected);
  });
});
