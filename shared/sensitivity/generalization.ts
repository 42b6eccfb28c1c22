import type { BlurReason } from './evaluate.js';
import type { BlurLevel } from './levels.js';
import type { RuleSource } from './rule.js';

/**
 * The Darwin Core terms that say what was done to a record's location
 * (standards-reference.md §8): `dataGeneralizations`, `informationWithheld` and
 * `coordinateUncertaintyInMeters`.
 */
export interface DwcGeneralization {
  readonly dataGeneralizations: string | null;
  readonly informationWithheld: string | null;
  /** Radius around the published point that holds the whole published area; null when withheld, or the record's own when precise. */
  readonly coordinateUncertaintyInMeters: number | null;
}

/** What the texts need to know about a blurred record. */
export interface GeneralizationInput {
  readonly level: BlurLevel;
  readonly reason: BlurReason;
  /** The level the blurring was asked for when the area could not be found (reason `area-not-found`). */
  readonly requestedLevel?: BlurLevel;
  /** Why it was asked for, when the area could not be found (`colocated`, `same-releve` change the text). */
  readonly requestedReason?: BlurReason;
  readonly sensitivityLevel: number | null;
  readonly diffusionLevel: string | null;
  /** Published areas (code and name); several when the observation's geometry spans several. */
  readonly areas: readonly { readonly code: string; readonly name: string | null }[];
  /** Referential of the deciding rule, when a rule decided. */
  readonly source: RuleSource | null;
  readonly cdNom: number | null;
  readonly uncertaintyMeters: number | null;
}

const AREA_WORDS = {
  en: { 1: 'the commune', 2: 'the 10 km grid cell', 3: 'the département' },
  fr: { 1: 'la commune', 2: 'la maille 10 km', 3: 'le département' },
} as const;

/** "à la commune", "à la maille 10 km", "au département": French contracts à + le. */
const TO_AREA_FR = { 1: 'à la commune', 2: 'à la maille 10 km', 3: 'au département' } as const;

function referential(source: RuleSource | null): string {
  if (!source) return '';
  return ` (${source.name}${source.version ? ` v${source.version}` : ''})`;
}

function areaList(areas: GeneralizationInput['areas']): string {
  return areas.map((a) => (a.name && a.name !== a.code ? `${a.name} (${a.code})` : a.code)).join(', ');
}

/**
 * The Darwin Core generalisation terms for a record, in English or French.
 *
 * Texts name the published area and the reason (SINP level and referential, the producer's
 * NIV_PRECIS, a manual decision, or a sensitive observation at the same site or in the same
 * relevé) but never the justification of an override, which may itself locate the site, nor
 * which observation gave its level.
 */
export function dwcGeneralization(g: GeneralizationInput, lang: 'en' | 'fr' = 'en'): DwcGeneralization {
  const en = lang === 'en';
  if (g.level === 0) {
    return { dataGeneralizations: null, informationWithheld: null, coordinateUncertaintyInMeters: g.uncertaintyMeters };
  }
  const why = (() => {
    switch (g.reason) {
      case 'diffusion':
        return en ? `the producer's diffusion level (NIV_PRECIS ${g.diffusionLevel ?? ''})` : `le niveau de diffusion du producteur (NIV_PRECIS ${g.diffusionLevel ?? ''})`;
      case 'override':
        return en
          ? `a documented sensitivity decision of the producer (SINP sensitivity level ${g.sensitivityLevel ?? ''})`
          : `une décision de sensibilité documentée du producteur (niveau de sensibilité SINP ${g.sensitivityLevel ?? ''})`;
      // Never which observation (its UUID is workspace-internal), only that one is sensitive.
      case 'colocated':
        return en ? 'precaution: a sensitive observation was made at the same site' : 'précaution : une observation sensible a été faite au même endroit';
      case 'same-releve':
        return en ? 'precaution: the survey (relevé) it belongs to holds a sensitive observation' : 'précaution : le relevé dont elle fait partie contient une observation sensible';
      case 'unmatched-taxon':
        return en
          ? `precaution: the taxon (cd_nom ${g.cdNom ?? 'none'}) is not in the sensitivity referential's taxonomy`
          : `précaution : le taxon (cd_nom ${g.cdNom ?? 'aucun'}) est absent de la taxonomie du référentiel de sensibilité`;
      default:
        return en ? `SINP sensitivity level ${g.sensitivityLevel ?? ''}${referential(g.source)}` : `niveau de sensibilité SINP ${g.sensitivityLevel ?? ''}${referential(g.source)}`;
    }
  })();
  if (g.level === 4) {
    let text: string;
    if (g.reason === 'area-not-found') {
      const req = g.requestedLevel === 1 || g.requestedLevel === 2 || g.requestedLevel === 3 ? g.requestedLevel : 1;
      const propagated = g.requestedReason === 'colocated' || g.requestedReason === 'same-releve';
      const sens = g.sensitivityLevel !== null && g.sensitivityLevel > 0;
      const asked = en
        ? propagated
          ? g.requestedReason === 'colocated'
            ? 'a sensitive observation was made at the same site'
            : 'its survey (relevé) holds a sensitive observation'
          : sens
            ? `SINP sensitivity level ${g.sensitivityLevel}`
            : 'diffusion level'
        : propagated
          ? g.requestedReason === 'colocated'
            ? 'une observation sensible a été faite au même endroit'
            : 'son relevé contient une observation sensible'
          : sens
            ? `niveau de sensibilité SINP ${g.sensitivityLevel}`
            : 'niveau de diffusion';
      text = en
        ? `Location withheld: ${AREA_WORDS.en[req]} to generalise to could not be determined (${asked}).`
        : `Localisation non diffusée : ${AREA_WORDS.fr[req]} de rattachement n'a pas pu être déterminé(e) (${asked}).`;
    } else {
      text = en ? `Location withheld: ${why}.` : `Localisation non diffusée : ${why}.`;
    }
    text += en ? ' The precise location may be available from the producer on request.' : ' La localisation précise peut être demandée au producteur.';
    return { dataGeneralizations: null, informationWithheld: text, coordinateUncertaintyInMeters: null };
  }
  const words = (en ? AREA_WORDS.en : AREA_WORDS.fr)[g.level];
  const text = en
    ? `Location generalised to ${words} ${areaList(g.areas)}: ${why}. Altitude and locality removed.`
    : `Localisation dégradée ${TO_AREA_FR[g.level]} ${areaList(g.areas)} : ${why}. Altitude et lieu-dit retirés.`;
  return { dataGeneralizations: text, informationWithheld: null, coordinateUncertaintyInMeters: g.uncertaintyMeters };
}
