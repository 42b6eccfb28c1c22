/**
 * SINP sensitivity and diffusion levels, and how they combine into one blurring level.
 *
 * Codes are the SINP `cd_nomenclature` values (geonature-reference.md §3.3,
 * standards-reference.md §2.5): SENSIBILITE 0–4 and NIV_PRECIS 0–5.
 */

/** A SENSIBILITE code: 0 not sensitive … 4 no diffusion. */
export type SensitivityLevel = 0 | 1 | 2 | 3 | 4;

/**
 * How coarse the published location is: 0 precise, 1 commune, 2 10 km cell, 3 département,
 * 4 withheld. It has the same scale as SENSIBILITE, so one number says what a record shows.
 */
export type BlurLevel = 0 | 1 | 2 | 3 | 4;

/** Every SENSIBILITE code, for counts by level. */
export const SENSITIVITY_LEVELS: readonly SensitivityLevel[] = [0, 1, 2, 3, 4];

/** The area type each blurring level publishes (gn_sensitivity.cor_sensitivity_area_type, §4.1). */
export const BLUR_AREA_TYPE = { 1: 'COM', 2: 'M10', 3: 'DEP' } as const;
/** COM, M10 or DEP. */
export type BlurAreaType = (typeof BLUR_AREA_TYPE)[keyof typeof BLUR_AREA_TYPE];

/** Reads a SENSIBILITE code ("0"…"4", or a number); null for anything else. */
export function parseSensitivityLevel(value: unknown): SensitivityLevel | null {
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  switch (s) {
    case '0':
      return 0;
    case '1':
      return 1;
    case '2':
      return 2;
    case '3':
      return 3;
    case '4':
      return 4;
    default:
      return null;
  }
}

/**
 * The blurring a NIV_PRECIS code asks for.
 *
 * The producer's wish (geonature-reference.md §3.3): 1 commune, 2 10 km cell, 3 département,
 * 4 none. 0 ("Standard") and 5 ("Précise") add nothing to what sensitivity requires, and so
 * does an unknown or empty code: NIV_PRECIS is a wish for non-sensitive data, never a reason
 * to publish more precisely than sensitivity allows (#1711).
 */
export function diffusionBlurLevel(niveauPrecision: string | null | undefined): BlurLevel {
  switch (niveauPrecision === null || niveauPrecision === undefined ? '' : niveauPrecision.trim()) {
    case '1':
      return 1;
    case '2':
      return 2;
    case '3':
      return 3;
    case '4':
      return 4;
    default:
      return 0;
  }
}

/** The coarser of two blurring levels: sensitivity and the producer's wish combine this way. */
export function coarser(a: BlurLevel, b: BlurLevel): BlurLevel {
  return a >= b ? a : b;
}
