/**
 * A bundle's licence seen from each target: the identifier the target uses for it, whether it
 * accepts it, what to choose instead, and the attribution sentence a reuser writes.
 *
 * Targets (standards-reference.md §1.1, §4, §10): GBIF accepts only CC0, CC-BY and CC-BY-NC (one
 * licence per dataset, machine-readable in the EML); data.gouv.fr identifies licences by its own
 * ids (`lov2`, `odc-odbl`, `cc-by`, `cc-zero`: `GET /api/1/datasets/licenses/` is authoritative) and
 * expects open licences, which CC-BY-NC is not; the SINP and partners receive the data under
 * their own protocol or convention, so any of the licences is carried as it is.
 */
import { LICENCES, gbifLicenceFor, type LicenceId } from '../metadata/licences.js';
import type { Target } from './presets.js';

/** How a target sees the bundle's licence. */
export interface TargetLicence {
  readonly target: Target;
  /** The licence's identifier at the target (data.gouv.fr id, SPDX id, licence URL for GBIF). */
  readonly id: string | null;
  /** False: the target refuses it, and the gate fails for this target. */
  readonly accepted: boolean;
  /** A licence the target accepts that the data's licence allows (LO 2.0 → CC-BY 4.0 for GBIF). */
  readonly suggestion: LicenceId | null;
  /** Stable code of the remark (translated by the UI), null when there is nothing to say. */
  readonly remark: 'gbif-refuses' | 'gbif-refuses-no-equivalent' | 'datagouv-not-open' | 'datagouv-id-unverified' | null;
  readonly message: string | null;
}

/**
 * data.gouv.fr licence ids. `lov2`, `odc-odbl` and `cc-by` are in udata's code and tests; `cc-zero`
 * is the udata id for CC0 according to its licence list, which standards-reference.md §4 could not
 * confirm from a primary source (hence the remark).
 */
const DATAGOUV_IDS: Readonly<Record<LicenceId, string | null>> = {
  'etalab-2.0': 'lov2',
  'ODbL-1.0': 'odc-odbl',
  'CC-BY-4.0': 'cc-by',
  'CC0-1.0': 'cc-zero',
  'CC-BY-NC-4.0': null,
};

/** The bundle's licence as one target sees it. */
export function licenceForTarget(licence: LicenceId, target: Target): TargetLicence {
  const l = LICENCES[licence];
  switch (target) {
    case 'gbif': {
      if (l.gbif) return { target, id: l.url, accepted: true, suggestion: null, remark: null, message: null };
      const alt = gbifLicenceFor(licence);
      return alt
        ? {
            target,
            id: null,
            accepted: false,
            suggestion: alt,
            remark: 'gbif-refuses',
            message: `GBIF accepts only CC0, CC-BY and CC-BY-NC: publish the GBIF copy under ${LICENCES[alt].title.en}, which the ${l.title.en} allows (it declares itself compatible with CC-BY)`,
          }
        : {
            target,
            id: null,
            accepted: false,
            suggestion: null,
            remark: 'gbif-refuses-no-equivalent',
            message: `GBIF accepts only CC0, CC-BY and CC-BY-NC, and the ${l.title.en} has no equivalent among them (share-alike): choose another licence for GBIF`,
          };
    }
    case 'datagouv': {
      const id = DATAGOUV_IDS[licence];
      if (id === null) {
        return { target, id: 'other-at', accepted: false, suggestion: 'etalab-2.0', remark: 'datagouv-not-open', message: `${l.title.en} is not an open licence (non-commercial clause): data.gouv.fr expects open data under an open licence such as the Licence Ouverte 2.0` };
      }
      if (licence === 'CC0-1.0') return { target, id, accepted: true, suggestion: null, remark: 'datagouv-id-unverified', message: 'data.gouv.fr id cc-zero taken from its licence list; check it in GET /api/1/datasets/licenses/' };
      return { target, id, accepted: true, suggestion: null, remark: null, message: null };
    }
    case 'sinp':
    case 'partner':
      return { target, id: licence, accepted: true, suggestion: null, remark: null, message: null };
  }
}

/** What the attribution sentence names: who publishes, what, when it was last updated, where. */
export interface AttributionInput {
  readonly publisher: string;
  readonly title: string;
  /** Date of the last update of the data (the bundle's `asOf` day). */
  readonly lastUpdate: string;
  readonly version: string;
  readonly url: string | null;
}

/**
 * The sentence a reuser writes to credit the data, in French and English. The Licence Ouverte's
 * only condition is naming the source (at least the licensor) and the date of the last update
 * (etalab/licence-ouverte LO.md); CC-BY and ODbL ask for the same at least; CC0 asks nothing and
 * the sentence is then a request.
 */
export function attributionSentence(licence: LicenceId, a: AttributionInput): { fr: string; en: string } {
  const l = LICENCES[licence];
  const where = a.url ? ` (${a.url})` : '';
  const fr = `${a.publisher}, « ${a.title} », version ${a.version}, mise à jour du ${a.lastUpdate}${where}, sous ${l.title.fr}.`;
  const en = `${a.publisher}, "${a.title}", version ${a.version}, last updated ${a.lastUpdate}${where}, under the ${l.title.en}.`;
  if (licence === 'CC0-1.0') {
    return { fr: `Citation demandée (non obligatoire) : ${fr}`, en: `Citation requested (not required): ${en}` };
  }
  return { fr, en };
}
