/**
 * Small pure helpers around the CA/JDD model: blank records, keyword text, UUID and date checks.
 *
 * The validation rules and the exchange formats share them, so a UUID or a date means the same
 * thing everywhere.
 */
import type { AcquisitionFramework, Dataset, MetadataActor } from './schemas.js';

/** ROLE_ACTEUR codes the rules and formats single out. */
export const ROLE = {
  /** Contact principal: exactly one per CA and per JDD. */
  MAIN_CONTACT: '1',
  FUNDER: '2',
  PROJECT_OWNER: '3',
  PROJECT_MANAGER: '4',
  PROVIDER: '5',
  PRODUCER: '6',
  PRODUCTION_DB_CONTACT: '7',
  METADATA_CONTACT: '8',
} as const;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its 8-4-4-4-12 hexadecimal form (any version, any case). */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/**
 * A UUID as GeoNature stores it (lower case), or the value unchanged when it is not one.
 *
 * The INPN writes upper case, GeoNature lower case; both mean the same uuid.
 */
export function normalizeUuid(value: string): string {
  const v = value.trim();
  return isUuid(v) ? v.toLowerCase() : v;
}

/** True for an existing calendar day written `YYYY-MM-DD` (rejects 2023-02-30). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= days;
}

/**
 * Keywords from GeoNature's single `keywords` text ("Ecrins, parc national, faune"): split on
 * commas and semicolons, trimmed, empty and repeated ones dropped (first spelling kept).
 */
export function splitKeywords(text: string | null): string[] {
  if (!text) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const k of text.split(/[,;]/)) {
    const t = k.trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out;
}

/** The keywords as GeoNature's `keywords` text, or null when there are none. */
export function joinKeywords(keywords: readonly string[]): string | null {
  const list = keywords.map((k) => k.trim()).filter((k) => k !== '');
  return list.length ? list.join(', ') : null;
}

/** A CA with every field empty, for a form or an import to fill. */
export function blankFramework(uuid: string): AcquisitionFramework {
  return {
    uuid,
    name: '',
    description: '',
    isMetaFramework: false,
    parentUuid: null,
    territorialLevel: null,
    financingType: null,
    objectives: [],
    territories: [],
    territoryDescription: null,
    keywords: [],
    targetDescription: null,
    ecologicalTarget: null,
    voletsSinp: [],
    publications: [],
    actors: [],
    startDate: null,
    endDate: null,
    metadataCreated: null,
    metadataUpdated: null,
    additionalAttributes: [],
  };
}

/** A JDD with every field empty, attached to the CA `frameworkUuid`. */
export function blankDataset(uuid: string, frameworkUuid: string): Dataset {
  return {
    uuid,
    frameworkUuid,
    name: '',
    shortName: '',
    description: '',
    dataType: null,
    objectives: [],
    collectingMethod: null,
    dataOrigin: null,
    sourceStatus: null,
    resourceType: null,
    marineDomain: null,
    terrestrialDomain: null,
    territories: [],
    territoryDescription: null,
    keywords: [],
    protocols: [],
    bbox: null,
    actors: [],
    metadataCreated: null,
    metadataRevised: null,
    additionalAttributes: [],
  };
}

/** An actor with only a role, for forms. */
export function blankActor(role: string | null = null): MetadataActor {
  return { role, person: null, email: null, organism: null, organismUuid: null };
}

/** How an actor is shown in a message or a file: "Person (Organism)", the one that exists, or "". */
export function actorDisplayName(actor: MetadataActor): string {
  const person = actor.person?.trim() ?? '';
  const organism = actor.organism?.trim() ?? '';
  if (person && organism) return `${person} (${organism})`;
  return person || organism;
}
