/**
 * Territories: the area keys a rule can be restricted to, what a département implies
 * (its regions, metropolitan France), and the projected system and 10 km grid of each
 * French territory.
 */

/** A reference area by type and code, as `ref_geo.l_areas` names it (`bib_areas_types.type_code`, `area_code`). */
export interface AreaRef {
  /** `DEP`, `COM`, `REG`, `TER`, `M10`, or any other `ref_geo` type (`ZNIEFF1`, a park's own zones…). */
  readonly type: string;
  readonly code: string;
}

/** The one-string form of an area reference, `TYPE:code` (`DEP:05`, `COM:05006`), used as a set key. */
export function areaKey(type: string, code: string): string {
  return `${type}:${code}`;
}

/** The type of an area key (`DEP` for `DEP:05`). */
export function areaKeyType(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
}

/**
 * Area types that tile the territory: an observation located in one area of such a type is
 * in no other area of that type, so a rule restricted to an area of that type that does not
 * contain it is a definite no even when that area is not loaded. Other types (ZNIEFF,
 * protected areas) overlap: an area that is not loaded cannot be ruled out.
 */
export const PARTITION_TYPES: ReadonlySet<string> = new Set(['DEP', 'COM', 'REG', 'TER', 'M10', 'M5', 'M1']);

/** The `TER` code of metropolitan France (the v13 referential's `TERFXFR` perimeter). */
export const METROPOLITAN_FRANCE = 'FXX';

/**
 * Regions of each département: the region since 2016 first, then the 1970–2015 region when
 * it differs (the v13 referential's `INSEER` codes match either, as GeoNature's migration
 * does). INSEE Code officiel géographique; the two sets of codes do not collide.
 */
const REGIONS_OF_DEPARTEMENT: Readonly<Record<string, readonly string[]>> = (() => {
  const table: Record<string, readonly string[]> = {};
  const add = (regions: readonly string[], deps: string) => {
    for (const d of deps.split(' ')) table[d] = regions;
  };
  add(['11'], '75 77 78 91 92 93 94 95');
  add(['24'], '18 28 36 37 41 45');
  add(['27', '26'], '21 58 71 89');
  add(['27', '43'], '25 39 70 90');
  add(['28', '25'], '14 50 61');
  add(['28', '23'], '27 76');
  add(['32', '31'], '59 62');
  add(['32', '22'], '02 60 80');
  add(['44', '21'], '08 10 51 52');
  add(['44', '41'], '54 55 57 88');
  add(['44', '42'], '67 68');
  add(['52'], '44 49 53 72 85');
  add(['53'], '22 29 35 56');
  add(['75', '54'], '16 17 79 86');
  add(['75', '72'], '24 33 40 47 64');
  add(['75', '74'], '19 23 87');
  add(['76', '73'], '09 12 31 32 46 65 81 82');
  add(['76', '91'], '11 30 34 48 66');
  add(['84', '82'], '01 07 26 38 42 69 73 74');
  add(['84', '83'], '03 15 43 63');
  add(['93'], '04 05 06 13 83 84');
  add(['94'], '2A 2B');
  add(['01'], '971');
  add(['02'], '972');
  add(['03'], '973');
  add(['04'], '974');
  add(['06'], '976');
  return table;
})();

/** True for a département of metropolitan France (01–95, 2A, 2B). */
export function isMetropolitanDepartement(code: string): boolean {
  return /^(0[1-9]|[1-8]\d|9[0-5]|2[AB])$/.test(code) && code !== '20';
}

/**
 * The area keys a département implies besides its own: its regions and, in metropolitan
 * France, `TER:FXX`. Lets a rule on a region or on the whole of metropolitan France be
 * checked with département polygons alone, which is what a workspace holds.
 */
export function keysImpliedByDepartement(code: string): string[] {
  const keys = (REGIONS_OF_DEPARTEMENT[code] ?? []).map((r) => areaKey('REG', r));
  if (isMetropolitanDepartement(code)) keys.push(areaKey('TER', METROPOLITAN_FRANCE));
  return keys;
}

/**
 * Normalises a département code as the referentials write it: `5` → `05`, `2a` → `2A`, and
 * the v18 referential's overseas codes `D1`…`D6` → `971`…`976` (GeoNature's importer maps D3
 * and D4 to 973 and 974; the others follow the same pattern). Null when not a département.
 */
export function normaliseDepartementCode(raw: string): string | null {
  const s = raw.trim().toUpperCase();
  const overseas = /^D([1-6])$/.exec(s);
  if (overseas) return `97${overseas[1]}`;
  if (/^\d$/.test(s)) return `0${s}`;
  if (/^(\d{2}|2[AB]|97[1-6])$/.test(s) && s !== '20' && s !== '00') return s;
  return null;
}

/**
 * A territory's projected system and 10 km grid.
 *
 * The INPN grid is computed in the territory's own projected system, never in Lambert-93
 * for an overseas park: a cell is `floor(x / 10 km), floor(y / 10 km)` in that system.
 */
export interface TerritorySystem {
  readonly id: string;
  readonly name: string;
  /** EPSG code of the projected system the grid is drawn in. */
  readonly epsg: number;
  /**
   * What precedes `E<x>N<y>` in a cell code. Metropolitan France: `10kmL93` (INPN, and
   * GeoNature's `ref_geo.cell_reference()`). Overseas: `10km` + the UTM zone, an assumption
   * (no INPN overseas grid file was available to check): a workspace can override it.
   */
  readonly gridPrefix: string;
}

/** The territories of French national parks, by id. */
export const TERRITORIES: Readonly<Record<string, TerritorySystem>> = {
  FXX: { id: 'FXX', name: 'France métropolitaine', epsg: 2154, gridPrefix: '10kmL93' },
  GLP: { id: 'GLP', name: 'Guadeloupe', epsg: 5490, gridPrefix: '10kmUTM20' },
  MTQ: { id: 'MTQ', name: 'Martinique', epsg: 5490, gridPrefix: '10kmUTM20' },
  GUF: { id: 'GUF', name: 'Guyane', epsg: 2972, gridPrefix: '10kmUTM22' },
  REU: { id: 'REU', name: 'La Réunion', epsg: 2975, gridPrefix: '10kmUTM40' },
  MYT: { id: 'MYT', name: 'Mayotte', epsg: 4471, gridPrefix: '10kmUTM38' },
};

/**
 * The territory of a workspace from its local SRID (`passerelle_meta.local_srid`), or null
 * when the SRID is not one of the territories' systems (then the caller must say which).
 * 5490 serves both Guadeloupe and Martinique: their grids are the same.
 */
export function territoryForSrid(srid: number): TerritorySystem | null {
  for (const t of Object.values(TERRITORIES)) if (t.epsg === srid) return t;
  return null;
}

/** Side of the INPN grid cell used for sensitivity level 2, in metres. */
export const GRID_CELL_SIZE = 10_000;

const pad3 = (n: number): string => (n < 0 ? '-' + pad3(-n) : n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/**
 * The code of the 10 km cell containing projected coordinates (metres in the territory's
 * system): `<prefix>E<floor(x/10 km), 3 digits>N<floor(y/10 km), 3 digits>`, e.g.
 * `10kmL93E094N643` for x = 940 512, y = 6 430 001. A point on a cell edge belongs to the
 * cell east or north of it, as `floor` decides (PostGIS does the same with `floor`).
 */
export function gridCellCode(prefix: string, x: number, y: number): string {
  return `${prefix}E${pad3(Math.floor(x / GRID_CELL_SIZE))}N${pad3(Math.floor(y / GRID_CELL_SIZE))}`;
}

/** The south-west corner of a cell from its code (metres), or null when the code is not one. */
export function gridCellOrigin(code: string): { x: number; y: number } | null {
  const m = /E(-?\d{3,})N(-?\d{3,})$/.exec(code);
  if (!m) return null;
  return { x: Number(m[1]) * GRID_CELL_SIZE, y: Number(m[2]) * GRID_CELL_SIZE };
}
