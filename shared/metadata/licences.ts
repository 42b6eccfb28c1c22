/**
 * The licences a JDD can be published under, with what each target needs to recognise them.
 *
 * The SINP metadata has no licence field, so an export takes the licence as an option. GBIF
 * accepts only CC0, CC-BY and CC-BY-NC (gbif/ipt `licenses.properties`), and recognises them by
 * the URL of a `<ulink>` in the EML `intellectualRights` (gbif/ipt#1778); data.gouv.fr
 * recommends the Licence Ouverte 2.0 (`lov2`), which declares itself compatible with CC-BY
 * (standards-reference.md §1.1, §4, §10).
 */
import type { Bilingual } from './nomenclatures.js';

/** Licence identifiers (SPDX where SPDX has one). */
export const LICENCE_IDS = ['etalab-2.0', 'CC-BY-4.0', 'CC0-1.0', 'CC-BY-NC-4.0', 'ODbL-1.0'] as const;
export type LicenceId = (typeof LICENCE_IDS)[number];

/** What the exports need to write a licence. */
export interface Licence {
  readonly id: LicenceId;
  readonly title: Bilingual;
  /** The canonical URL, written as the machine-readable licence (EML ulink, DCAT, schema.org). */
  readonly url: string;
  /** True when GBIF accepts it (EML for an IPT). */
  readonly gbif: boolean;
  /** data.gouv.fr's licence id, when known (`GET /api/1/datasets/licenses/` is authoritative). */
  readonly dataGouv: string | null;
  /** The sentence GBIF's IPT writes around the link (English; null when the IPT has none). */
  readonly gbifSentence: { readonly before: string; readonly after: string } | null;
}

/** The licences, by id. CC URLs are the ones the IPT writes, so GBIF matches them. */
export const LICENCES: Readonly<Record<LicenceId, Licence>> = {
  'etalab-2.0': {
    id: 'etalab-2.0',
    title: { fr: 'Licence Ouverte / Open Licence version 2.0', en: 'Licence Ouverte / Open Licence version 2.0' },
    url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    gbif: false,
    dataGouv: 'lov2',
    gbifSentence: null,
  },
  'CC-BY-4.0': {
    id: 'CC-BY-4.0',
    title: { fr: 'Creative Commons Attribution (CC-BY 4.0)', en: 'Creative Commons Attribution (CC-BY 4.0)' },
    url: 'http://creativecommons.org/licenses/by/4.0/legalcode',
    gbif: true,
    dataGouv: 'cc-by',
    gbifSentence: { before: 'This work is licensed under a ', after: '.' },
  },
  'CC0-1.0': {
    id: 'CC0-1.0',
    title: { fr: 'Domaine public (CC0 1.0)', en: 'Public Domain (CC0 1.0)' },
    url: 'http://creativecommons.org/publicdomain/zero/1.0/legalcode',
    gbif: true,
    dataGouv: null,
    gbifSentence: {
      before: 'To the extent possible under law, the publisher has waived all rights to these data and has dedicated them to the ',
      after: '. Users may copy, modify, distribute and use the work, including for commercial purposes, without restriction.',
    },
  },
  'CC-BY-NC-4.0': {
    id: 'CC-BY-NC-4.0',
    title: {
      fr: 'Creative Commons Attribution - Pas d’utilisation commerciale (CC-BY-NC 4.0)',
      en: 'Creative Commons Attribution Non Commercial (CC-BY-NC 4.0)',
    },
    url: 'http://creativecommons.org/licenses/by-nc/4.0/legalcode',
    gbif: true,
    dataGouv: null,
    gbifSentence: { before: 'This work is licensed under a ', after: '.' },
  },
  'ODbL-1.0': {
    id: 'ODbL-1.0',
    title: { fr: 'Open Data Commons Open Database License (ODbL 1.0)', en: 'Open Data Commons Open Database License (ODbL 1.0)' },
    url: 'http://opendatacommons.org/licenses/odbl/1.0/',
    gbif: false,
    dataGouv: 'odc-odbl',
    gbifSentence: null,
  },
};

/**
 * The licence to use for GBIF when the JDD's licence is not one GBIF accepts.
 *
 * The Licence Ouverte 2.0 declares itself compatible with CC-BY, so CC-BY 4.0 is the natural
 * choice; ODbL has no GBIF equivalent (share-alike), hence null: the user must choose.
 */
export function gbifLicenceFor(id: LicenceId): LicenceId | null {
  if (LICENCES[id].gbif) return id;
  return id === 'etalab-2.0' ? 'CC-BY-4.0' : null;
}

/** The licence whose URL matches `url` (scheme, `www.`, trailing slash and `legalcode` ignored), or null. */
export function licenceFromUrl(url: string): LicenceId | null {
  const norm = (u: string) =>
    u
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/^www\./, '')
      .replace(/\/(legalcode(\.[a-z-]+)?)?$/, '')
      .replace(/\/$/, '');
  const n = norm(url);
  for (const id of LICENCE_IDS) if (norm(LICENCES[id].url) === n) return id;
  if (/etalab\.gouv\.fr\/.*licence-ouverte|etalab\/licence-ouverte/.test(n)) return 'etalab-2.0';
  return null;
}
