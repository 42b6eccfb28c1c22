/**
 * Export bundles (issue 7): audiences and the presets that describe a bundle.
 *
 * A preset is everything a build needs besides the workspace and the moment (`asOf`): who the
 * bundle is for, which files it holds, how locations and observer names are published, the
 * licence and the targets it will be sent to. The three audiences have a built-in preset each;
 * the user adjusts them and saves their own under a name (PASSERELLE_HOME/bundle-presets.json).
 * Pure: the UI uses the same schema and the same checks as the engine.
 */
import { z } from 'zod';
import { LICENCE_IDS, type LicenceId } from '../metadata/licences.js';

/** Who a bundle is for. */
export const AUDIENCES = ['opendata', 'partners', 'sinp'] as const;
export const Audience = z.enum(AUDIENCES);
export type Audience = z.infer<typeof Audience>;

/** Data files a bundle can hold. */
export const BUNDLE_FORMATS = ['gpkg', 'csv', 'geojson', 'dwca'] as const;
export const BundleFormat = z.enum(BUNDLE_FORMATS);
export type BundleFormat = z.infer<typeof BundleFormat>;

/** Metadata records a bundle can hold (the formats of electron/core/metadata). */
export const BUNDLE_METADATA = ['iso19139', 'mtd', 'eml', 'dcat', 'schemaorg'] as const;
export const BundleMetadataFormat = z.enum(BUNDLE_METADATA);
export type BundleMetadataFormat = z.infer<typeof BundleMetadataFormat>;

/**
 * Where the bundle will be sent, for the licence check: data.gouv.fr (or a regional portal on
 * udata), GBIF (through an IPT), the SINP (INPN / regional platform), a partner under a convention.
 */
export const TARGETS = ['datagouv', 'gbif', 'sinp', 'partner'] as const;
export const Target = z.enum(TARGETS);
export type Target = z.infer<typeof Target>;

/**
 * What happens to observer and determiner names (personal data, RGPD): kept as they are,
 * replaced by a stable pseudonym ("Observateur 3f9a2c1b", the same name giving the same
 * pseudonym in every bundle built with the preset's key), or dropped.
 */
export const OBSERVER_POLICIES = ['keep', 'pseudonymise', 'drop'] as const;
export const ObserverPolicy = z.enum(OBSERVER_POLICIES);
export type ObserverPolicy = z.infer<typeof ObserverPolicy>;

/**
 * Column names of the data files: `synthese` (GeoNature's synthese columns, SINP codes), or
 * `sinp` (the SINP Occurrences de taxons v2 names of GeoNature's export view
 * `gn_exports.v_synthese_sinp_dee`, with SINP codes).
 */
export const FIELD_PROFILES = ['synthese', 'sinp'] as const;
export const FieldProfile = z.enum(FIELD_PROFILES);
export type FieldProfile = z.infer<typeof FieldProfile>;

/** How locations are published: blurred or withheld per sensitivity, or precise (partners, SINP). */
export const LOCATION_POLICIES = ['blurred', 'precise'] as const;
export const LocationPolicy = z.enum(LOCATION_POLICIES);
export type LocationPolicy = z.infer<typeof LocationPolicy>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });
const UuidText = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, { message: 'must be a UUID' })
  .transform((s) => s.toLowerCase());

/** Which observations go in: every criterion set must hold (empty = all). */
export const BundleFilters = z
  .object({
    /** JDD by UUID. */
    datasets: z.array(UuidText).default([]),
    /** `date_min` on or after this day. */
    dateFrom: Day.nullable().default(null),
    /** `date_min` on or before this day. */
    dateTo: Day.nullable().default(null),
    /** cd_nom of the observations (exactly; no descendants). */
    taxa: z.array(z.number().int().positive()).default([]),
  })
  .strict();
export type BundleFilters = z.output<typeof BundleFilters>;

/** The organisation that publishes the bundle (the park). */
export const BundlePublisher = z
  .object({
    name: z.string().min(1),
    email: z.string().nullable().default(null),
    url: z.string().nullable().default(null),
  })
  .strict();
export type BundlePublisher = z.output<typeof BundlePublisher>;

/** A preset name: letters, digits, spaces and `-_.`, as a user types it. */
export const PresetName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[\p{L}\p{N} ._-]+$/u, { message: 'letters, digits, spaces, dots, dashes and underscores only' });

/** Everything a build needs besides the workspace and `asOf`. */
export const BundlePreset = z
  .object({
    name: PresetName,
    audience: Audience,
    /** A sentence shown in the wizard (the UI translates built-in ones by name). */
    description: z.string().max(500).default(''),
    formats: z.array(BundleFormat).min(1),
    metadata: z.array(BundleMetadataFormat).default([]),
    licence: z.enum(LICENCE_IDS).default('etalab-2.0'),
    targets: z.array(Target).default([]),
    locations: LocationPolicy,
    observers: ObserverPolicy,
    /**
     * Only observations of JDD whose data origin (DS_PUBLIQUE) is public (`Pu`). Unknown or private
     * origins go in only when the producer agreed (`producerAgreement`), which is recorded.
     */
    publicOnly: z.boolean(),
    /** The producer's agreement to publish non-public data (a reference: letter, deliberation, mail). */
    producerAgreement: z.string().max(500).nullable().default(null),
    /** The convention with the partner (partners audience: required), recorded in the bundle. */
    conventionReference: z.string().max(500).nullable().default(null),
    fieldProfile: FieldProfile,
    filters: BundleFilters.default({ datasets: [], dateFrom: null, dateTo: null, taxa: [] }),
    /** Language of the metadata records and of the generalisation texts. @default 'fr' */
    language: z.enum(['fr', 'en']).default('fr'),
    publisher: BundlePublisher.nullable().default(null),
    /** Where the bundle is described online (data.gouv.fr page, the park's site). */
    landingPage: z.string().nullable().default(null),
    /**
     * Key of the observer pseudonyms (hex), made once when a preset with `pseudonymise` is
     * saved: the same name gets the same pseudonym in every version, and nobody without the key
     * can recompute them from a list of names. Never written in a bundle.
     */
    pseudonymKey: z.string().regex(/^[0-9a-f]{32,128}$/).nullable().default(null),
  })
  .strict();
export type BundlePreset = z.output<typeof BundlePreset>;
export type BundlePresetInput = z.input<typeof BundlePreset>;

/** A problem with a preset (English; `code` is stable and translated by the UI). */
export interface PresetProblem {
  readonly code: 'opendata-precise' | 'partners-convention' | 'sinp-mtd' | 'sinp-profile' | 'pseudonym-key' | 'no-data-file' | 'agreement-without-private';
  readonly message: string;
}

/**
 * What is wrong with a preset (empty = usable): an open-data bundle never publishes precise
 * locations, a partners bundle names its convention, a SINP bundle carries the MTD metadata and
 * the SINP field names, a pseudonymising preset has its key.
 */
export function presetProblems(p: BundlePreset): PresetProblem[] {
  const out: PresetProblem[] = [];
  if (p.audience === 'opendata' && p.locations !== 'blurred') {
    out.push({ code: 'opendata-precise', message: 'an open-data bundle publishes blurred or withheld locations for sensitive observations, never precise ones' });
  }
  if (p.audience === 'partners' && !p.conventionReference?.trim()) {
    out.push({ code: 'partners-convention', message: 'a partners bundle needs the reference of the convention it is delivered under' });
  }
  if (p.audience === 'sinp' && !p.metadata.includes('mtd')) out.push({ code: 'sinp-mtd', message: 'a SINP bundle carries the MTD metadata (CA and JDD)' });
  if (p.audience === 'sinp' && p.fieldProfile !== 'sinp') out.push({ code: 'sinp-profile', message: 'a SINP bundle uses the SINP Occurrences de taxons field names' });
  if (p.observers === 'pseudonymise' && !p.pseudonymKey) out.push({ code: 'pseudonym-key', message: 'pseudonymising observers needs the preset’s key (save the preset to make one)' });
  if (!p.formats.some((f) => f === 'gpkg' || f === 'csv' || f === 'geojson' || f === 'dwca')) out.push({ code: 'no-data-file', message: 'a bundle holds at least one data file' });
  return out;
}

const ALL_METADATA: BundleMetadataFormat[] = ['iso19139', 'mtd', 'eml', 'dcat', 'schemaorg'];

/** The built-in preset of an audience (what the wizard starts from). */
export function defaultPreset(audience: Audience): BundlePreset {
  const licence: LicenceId = 'etalab-2.0';
  switch (audience) {
    case 'opendata':
      return BundlePreset.parse({
        name: 'opendata',
        audience,
        description: 'Open data (data.gouv.fr, regional portals): sensitive observations blurred or withheld, observer names dropped, public data only.',
        formats: ['gpkg', 'csv', 'geojson', 'dwca'],
        metadata: ALL_METADATA,
        licence,
        targets: ['datagouv'],
        locations: 'blurred',
        observers: 'drop',
        publicOnly: true,
        fieldProfile: 'synthese',
      });
    case 'partners':
      return BundlePreset.parse({
        name: 'partners',
        audience,
        description: 'Partners under a convention: precise data, observer names kept, the convention recorded.',
        formats: ['gpkg', 'csv'],
        metadata: ALL_METADATA,
        licence,
        targets: ['partner'],
        locations: 'precise',
        observers: 'keep',
        publicOnly: false,
        fieldProfile: 'synthese',
      });
    case 'sinp':
      return BundlePreset.parse({
        name: 'sinp',
        audience,
        description: 'SINP (regional platform, INPN): precise data with the Occurrences de taxons v2 field names and codes, and the MTD metadata.',
        formats: ['gpkg', 'csv'],
        metadata: ['mtd', 'iso19139'],
        licence,
        targets: ['sinp'],
        locations: 'precise',
        observers: 'keep',
        publicOnly: false,
        fieldProfile: 'sinp',
      });
  }
}

/** The three built-in presets, by name. */
export const BUILTIN_PRESETS: readonly BundlePreset[] = AUDIENCES.map(defaultPreset);
