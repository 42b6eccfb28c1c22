/**
 * The gate a bundle passes before anything is published (`bundle.verify`, `passerelle bundle
 * verify`, the wizard's last step): its checks, what each finding says in French and English,
 * and how the verdict is reached.
 *
 * A check is blocking or not. Blocking checks that fail make the verdict `fail`; a blocking check
 * that could not run (the leak scan of a bundle verified without its workspace) makes it
 * `incomplete`, never `pass`: the gate only passes what it could prove.
 */

/** The checks, in the order they are reported. */
export const GATE_CHECKS = [
  'checksums',
  'licence',
  'metadata',
  'datapackage',
  'gpkg',
  'dwca',
  'publication',
  'sensitivity',
  'leaks',
  'provenance',
  'unmatchedTaxa',
] as const;
export type GateCheckId = (typeof GATE_CHECKS)[number];

/** Checks whose failure blocks publishing (unmatched taxa are listed for a look, the records being withheld). */
export const BLOCKING_CHECKS: ReadonlySet<GateCheckId> = new Set(GATE_CHECKS.filter((c) => c !== 'unmatchedTaxa'));

export type GateStatus = 'pass' | 'fail' | 'warn' | 'skipped';
export type GateVerdict = 'pass' | 'fail' | 'incomplete';

/** The verdict of checks: any blocking failure fails; a blocking check skipped leaves it incomplete. */
export function gateVerdict(checks: readonly { id: GateCheckId; status: GateStatus }[]): GateVerdict {
  if (checks.some((c) => BLOCKING_CHECKS.has(c.id) && c.status === 'fail')) return 'fail';
  if (checks.some((c) => BLOCKING_CHECKS.has(c.id) && c.status === 'skipped')) return 'incomplete';
  return 'pass';
}

/** Titles of the checks (the wizard's review list). */
export const GATE_CHECK_TITLES: Readonly<Record<GateCheckId, { fr: string; en: string }>> = {
  checksums: { fr: 'Sommes de contrôle (manifest-sha256.txt)', en: 'Checksums (manifest-sha256.txt)' },
  licence: { fr: 'Licence présente et acceptée par les destinataires', en: 'Licence present and accepted by the targets' },
  metadata: { fr: 'Métadonnées valides (ISO 19139 et EML contre leurs XSD, MTD, DCAT, schema.org)', en: 'Valid metadata (ISO 19139 and EML against their XSDs, MTD, DCAT, schema.org)' },
  datapackage: { fr: 'datapackage.json (ressources, schémas, tailles, empreintes)', en: 'datapackage.json (resources, schemas, sizes, hashes)' },
  gpkg: { fr: 'GeoPackage conforme', en: 'Valid GeoPackage' },
  dwca: { fr: 'Archive Darwin Core (meta.xml, occurrence.txt, eml.xml)', en: 'Darwin Core Archive (meta.xml, occurrence.txt, eml.xml)' },
  publication: { fr: 'Localisations dégradées ou retirées cohérentes dans tous les fichiers', en: 'Generalised or withheld locations consistent in every file' },
  sensitivity: { fr: 'Aucune observation sensible publiée précisément', en: 'No sensitive observation published precisely' },
  leaks: { fr: 'Aucune coordonnée précise d’observation sensible nulle part (recherche octet par octet)', en: 'No precise coordinate of a sensitive observation anywhere (byte-level scan)' },
  provenance: { fr: 'Provenance complète, sans mot de passe ni secret de connexion', en: 'Complete provenance, no password or connection secret' },
  unmatchedTaxa: { fr: 'Taxons absents du référentiel de sensibilité (retirés par précaution)', en: 'Taxa the sensitivity referential could not match (withheld by precaution)' },
};

/**
 * What findings say, by key, with `{{param}}` placeholders (i18next syntax). The English text is
 * also the finding's `message`, filled in by the engine.
 */
export const GATE_FINDINGS: Readonly<Record<string, { fr: string; en: string }>> = {
  'checksum.missingManifest': { fr: 'manifest-sha256.txt est absent.', en: 'manifest-sha256.txt is missing.' },
  'checksum.mismatch': { fr: '{{file}} : empreinte {{actual}} au lieu de {{expected}} (fichier modifié après la construction).', en: '{{file}}: sha256 {{actual}} instead of {{expected}} (changed after the build).' },
  'checksum.missingFile': { fr: '{{file}} est listé dans le manifeste mais absent.', en: '{{file}} is listed in the manifest but missing.' },
  'checksum.unlisted': { fr: '{{file}} n’est pas listé dans le manifeste.', en: '{{file}} is not listed in the manifest.' },
  'checksum.badLine': { fr: 'Ligne {{line}} du manifeste illisible.', en: 'Manifest line {{line}} is unreadable.' },
  'licence.missingFile': { fr: 'LICENCE.md (texte intégral de la licence) est absent.', en: 'LICENCE.md (the full licence text) is missing.' },
  'licence.unknown': { fr: 'Licence inconnue ou absente de datapackage.json : {{licence}}.', en: 'Unknown or missing licence in datapackage.json: {{licence}}.' },
  'licence.textMismatch': { fr: 'LICENCE.md ne contient pas le texte intégral de {{licence}}.', en: 'LICENCE.md does not hold the full text of {{licence}}.' },
  'licence.refused': { fr: '{{target}} refuse la licence {{licence}} : {{reason}}', en: '{{target}} refuses the licence {{licence}}: {{reason}}' },
  'licence.remark': { fr: '{{target}} : {{reason}}', en: '{{target}}: {{reason}}' },
  'licence.inconsistent': { fr: '{{file}} déclare la licence {{found}} au lieu de {{licence}}.', en: '{{file}} declares the licence {{found}} instead of {{licence}}.' },
  'metadata.xsd': { fr: '{{file}} n’est pas valide contre le schéma {{schema}} : {{reason}}', en: '{{file}} does not validate against {{schema}}: {{reason}}' },
  'metadata.noValidator': { fr: 'Validation XSD impossible : {{reason}}', en: 'Cannot validate against the XSDs: {{reason}}' },
  'metadata.malformed': { fr: '{{file}} est illisible : {{reason}}', en: '{{file}} cannot be read: {{reason}}' },
  'metadata.missingField': { fr: '{{file}} : {{field}} manquant.', en: '{{file}}: {{field}} is missing.' },
  'datapackage.missing': { fr: 'datapackage.json est absent ou illisible : {{reason}}', en: 'datapackage.json is missing or unreadable: {{reason}}' },
  'datapackage.resource': { fr: 'Ressource {{resource}} : {{reason}}', en: 'Resource {{resource}}: {{reason}}' },
  'gpkg.invalid': { fr: '{{file}} : {{rule}} — {{reason}}', en: '{{file}}: {{rule}} — {{reason}}' },
  'gpkg.freePages': { fr: '{{file}} a {{pages}} page(s) libre(s) (leur contenu est vérifié par la recherche de fuites).', en: '{{file}} has {{pages}} free page(s) (their bytes are covered by the leak scan).' },
  'dwca.invalid': { fr: '{{file}} : {{reason}}', en: '{{file}}: {{reason}}' },
  'publication.inconsistent': { fr: 'Observation {{uuid}} : {{reason}} ({{file}}).', en: 'Observation {{uuid}}: {{reason}} ({{file}}).' },
  'sensitivity.precise': { fr: 'Observation {{uuid}} sensible (niveau {{level}}) publiée précisément.', en: 'Observation {{uuid}} is sensitive (level {{level}}) but published precisely.' },
  'sensitivity.notChecked': { fr: 'Décisions de sensibilité non recalculées : {{reason}}', en: 'Sensitivity decisions not recomputed: {{reason}}' },
  'leaks.found': { fr: 'Coordonnée précise de l’observation sensible {{uuid}} ({{form}}) dans {{file}}, {{at}}.', en: 'Precise coordinate of sensitive observation {{uuid}} ({{form}}) in {{file}}, {{at}}.' },
  'leaks.needWorkspace': { fr: 'Recherche de fuites impossible sans l’espace de travail source (les coordonnées précises n’y sont pas) : {{reason}}', en: 'No leak scan without the source workspace (the precise coordinates are not in the bundle): {{reason}}' },
  'leaks.sharedLocations': { fr: '{{count}} observation(s) sensible(s) au même endroit (à 10 m près) qu’une observation publiée précisément : ce lieu est public par cette autre observation.', en: '{{count}} sensitive observation(s) at the same place (within 10 m) as an observation published precisely: that place is public through the other one.' },
  'provenance.missing': { fr: '{{file}} est absent ou illisible.', en: '{{file}} is missing or unreadable.' },
  'provenance.secret': { fr: '{{file}} contient ce qui ressemble à un secret de connexion ({{what}}).', en: '{{file}} holds what looks like a connection secret ({{what}}).' },
  'unmatchedTaxa.taxon': { fr: 'cd_nom {{cdNom}} ({{name}}) : {{count}} observation(s) retirée(s) par précaution.', en: 'cd_nom {{cdNom}} ({{name}}): {{count}} observation(s) withheld by precaution.' },
};

/** Fills a finding text's placeholders. */
export function fillFinding(template: string, params: Readonly<Record<string, string | number | boolean | null>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k] ?? ''));
}
