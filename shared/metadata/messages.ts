/**
 * French and English texts of the metadata rules, fields and export/import notes.
 *
 * Every validation issue carries a rule id and parameters; its message says what is wrong with
 * which field, and its fix says what to do, in both languages (IPT's "Basic Metadata section was
 * not validated", gbif/ipt#1420, is what we avoid). Templates use i18next's `{{param}}` syntax so
 * the UI can load {@link metadataResources} as i18next resources; the CLI formats them with
 * {@link formatIssue} / {@link formatNote}. `{{field}}` is always the translated field label.
 */
import type { Bilingual, Lang } from './nomenclatures.js';

/** Parameters of a message: flat and JSON-safe, like the contract's error params. */
export type MessageParams = Readonly<Record<string, string | number | boolean | null>>;

/** The validation rules, each with its default severity and its texts. */
export const RULES = {
  required: {
    severity: 'error',
    fr: { message: '« {{field}} » : champ obligatoire non renseigné.', fix: 'Renseignez « {{field}} ».' },
    en: { message: '"{{field}}": required field left empty.', fix: 'Fill in "{{field}}".' },
  },
  'uuid.format': {
    severity: 'error',
    fr: {
      message: '« {{field}} » : « {{value}} » n’est pas un UUID.',
      fix: 'Saisissez un identifiant de la forme xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (chiffres et lettres a à f), ou générez-en un nouveau.',
    },
    en: {
      message: '"{{field}}": "{{value}}" is not a UUID.',
      fix: 'Enter an identifier shaped xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (digits and letters a to f), or generate a new one.',
    },
  },
  'uuid.duplicate': {
    severity: 'error',
    fr: {
      message: '« {{field}} » : l’UUID {{value}} est déjà celui de {{otherEntity}} « {{otherName}} » ; chaque CA et chaque JDD doit avoir son propre UUID.',
      fix: 'Générez un nouvel UUID pour l’une des deux fiches (celle qui n’est pas encore publiée sur le SINP).',
    },
    en: {
      message: '"{{field}}": UUID {{value}} already belongs to {{otherEntity}} "{{otherName}}"; every CA and JDD needs its own UUID.',
      fix: 'Generate a new UUID for one of the two records (the one not yet published to the SINP).',
    },
  },
  'code.unknown': {
    severity: 'error',
    fr: {
      message: '« {{field}} » : le code « {{code}} » n’existe pas dans la nomenclature {{type}} ({{typeLabel}}).',
      fix: 'Choisissez une valeur de la liste « {{typeLabel}} ».',
    },
    en: {
      message: '"{{field}}": code "{{code}}" does not exist in nomenclature {{type}} ({{typeLabel}}).',
      fix: 'Pick a value from the "{{typeLabel}}" list.',
    },
  },
  'contact.missing': {
    severity: 'error',
    fr: {
      message: '« {{field}} » : aucun acteur n’a le rôle « Contact principal », le SINP en exige exactement un.',
      fix: 'Ajoutez un acteur avec le rôle « Contact principal », ou donnez ce rôle à un acteur existant.',
    },
    en: {
      message: '"{{field}}": no actor has the role "Main contact"; the SINP requires exactly one.',
      fix: 'Add an actor with the role "Main contact", or give that role to an existing actor.',
    },
  },
  'contact.multiple': {
    severity: 'error',
    fr: {
      message: '« {{field}} » : {{count}} acteurs ont le rôle « Contact principal », le SINP en exige exactement un.',
      fix: 'Gardez un seul contact principal et donnez un autre rôle aux autres (par exemple « Point de contact pour les métadonnées »).',
    },
    en: {
      message: '"{{field}}": {{count}} actors have the role "Main contact"; the SINP requires exactly one.',
      fix: 'Keep one main contact and give the others another role (for example "Metadata contact").',
    },
  },
  'actor.identity': {
    severity: 'error',
    fr: { message: '« {{field}} » : l’acteur n’a ni personne ni organisme.', fix: 'Indiquez au moins une personne ou un organisme, ou supprimez cet acteur.' },
    en: { message: '"{{field}}": the actor has neither a person nor an organism.', fix: 'Give at least a person or an organism, or remove this actor.' },
  },
  'actor.email': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » : « {{value}} » n’est pas une adresse électronique valide.',
      fix: 'Saisissez une seule adresse de la forme nom@domaine.fr ; pour deux personnes, créez deux acteurs.',
    },
    en: {
      message: '"{{field}}": "{{value}}" is not a valid email address.',
      fix: 'Enter a single address shaped name@domain.org; for two people, create two actors.',
    },
  },
  'actor.duplicate': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » : « {{name}} » apparaît deux fois avec le même rôle ({{role}}) ; GeoNature refusera le doublon.',
      fix: 'Supprimez l’un des deux acteurs.',
    },
    en: {
      message: '"{{field}}": "{{name}}" appears twice with the same role ({{role}}); GeoNature will refuse the duplicate.',
      fix: 'Remove one of the two actors.',
    },
  },
  'date.format': {
    severity: 'error',
    fr: { message: '« {{field}} » : « {{value}} » n’est pas une date existante.', fix: 'Saisissez une date réelle au format AAAA-MM-JJ.' },
    en: { message: '"{{field}}": "{{value}}" is not an existing date.', fix: 'Enter a real date as YYYY-MM-DD.' },
  },
  'date.order': {
    severity: 'error',
    fr: {
      message: '« {{field}} » ({{end}}) précède « {{startField}} » ({{start}}).',
      fix: 'Corrigez l’une des deux dates : la seconde ne peut pas précéder la première.',
    },
    en: {
      message: '"{{field}}" ({{end}}) is before "{{startField}}" ({{start}}).',
      fix: 'Correct one of the two dates: the second cannot come before the first.',
    },
  },
  'date.future': {
    severity: 'warning',
    fr: { message: '« {{field}} » : {{value}} est dans le futur (aujourd’hui : {{today}}).', fix: 'Vérifiez la date : une fiche ne peut pas avoir été créée ou modifiée plus tard qu’aujourd’hui.' },
    en: { message: '"{{field}}": {{value}} is in the future (today: {{today}}).', fix: 'Check the date: a record cannot have been created or changed later than today.' },
  },
  'date.placeholder': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » vaut {{value}}, une date de remplissage (l’application MTD écrit 1900-01-01 quand la date est inconnue).',
      fix: 'Saisissez la vraie date, ou videz le champ s’il est facultatif.',
    },
    en: {
      message: '"{{field}}" is {{value}}, a filler date (the MTD application writes 1900-01-01 when the date is unknown).',
      fix: 'Enter the real date, or empty the field when it is optional.',
    },
  },
  'text.tooLong': {
    severity: 'error',
    fr: {
      message: '« {{field}} » compte {{length}} caractères ; GeoNature en accepte au plus {{max}}.',
      fix: 'Raccourcissez « {{field}} » à {{max}} caractères ; mettez le détail dans la description.',
    },
    en: {
      message: '"{{field}}" has {{length}} characters; GeoNature accepts at most {{max}}.',
      fix: 'Shorten "{{field}}" to {{max}} characters; put the details in the description.',
    },
  },
  'text.long': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » compte {{length}} caractères ; le formulaire de GeoNature en limite la saisie à {{max}}.',
      fix: 'Raccourcissez « {{field}} » à {{max}} caractères pour pouvoir le modifier ensuite dans GeoNature.',
    },
    en: {
      message: '"{{field}}" has {{length}} characters; GeoNature’s form limits it to {{max}}.',
      fix: 'Shorten "{{field}}" to {{max}} characters so it can still be edited in GeoNature.',
    },
  },
  'text.placeholder': {
    severity: 'warning',
    fr: { message: '« {{field}} » contient un texte de remplissage : « {{value}} ».', fix: 'Remplacez « {{value}} » par la vraie valeur, ou videz le champ s’il est facultatif.' },
    en: { message: '"{{field}}" holds a filler text: "{{value}}".', fix: 'Replace "{{value}}" with the real value, or empty the field when it is optional.' },
  },
  'framework.missing': {
    severity: 'error',
    fr: {
      message: '« {{field}} » : le cadre d’acquisition {{value}} n’existe ni dans l’espace de travail ni parmi les CA connus.',
      fix: 'Rattachez le JDD à un CA existant (glissez-le dans l’arbre), ou importez ou créez ce CA.',
    },
    en: {
      message: '"{{field}}": acquisition framework {{value}} exists neither in the workspace nor among known CA.',
      fix: 'Attach the JDD to an existing CA (drag it in the tree), or import or create that CA.',
    },
  },
  'framework.isMeta': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » : « {{name}} » est un méta-cadre ; un JDD se rattache normalement à un CA, qui lui se rattache au méta-cadre.',
      fix: 'Rattachez le JDD à l’un des CA de ce méta-cadre, ou créez-en un.',
    },
    en: {
      message: '"{{field}}": "{{name}}" is a meta-framework; a JDD normally belongs to a CA, which belongs to the meta-framework.',
      fix: 'Attach the JDD to one of this meta-framework’s CA, or create one.',
    },
  },
  'parent.missing': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » : le méta-cadre {{value}} n’est pas dans l’espace de travail (il existe peut-être sur le serveur).',
      fix: 'Vérifiez l’UUID du méta-cadre, ou récupérez-le depuis GeoNature.',
    },
    en: {
      message: '"{{field}}": meta-framework {{value}} is not in the workspace (it may exist on the server).',
      fix: 'Check the meta-framework’s UUID, or pull it from GeoNature.',
    },
  },
  'parent.self': {
    severity: 'error',
    fr: { message: '« {{field}} » désigne le CA lui-même.', fix: 'Choisissez un autre méta-cadre, ou videz le champ.' },
    en: { message: '"{{field}}" points to the CA itself.', fix: 'Pick another meta-framework, or empty the field.' },
  },
  'parent.notMeta': {
    severity: 'warning',
    fr: { message: '« {{field}} » : « {{name}} » n’est pas marqué comme méta-cadre.', fix: 'Cochez « méta-cadre » sur « {{name}} », ou choisissez un autre parent.' },
    en: { message: '"{{field}}": "{{name}}" is not marked as a meta-framework.', fix: 'Tick "meta-framework" on "{{name}}", or pick another parent.' },
  },
  'parent.cycle': {
    severity: 'error',
    fr: { message: '« {{field}} » forme une boucle de méta-cadres ({{path}}).', fix: 'Retirez le parent de l’un des CA de la boucle.' },
    en: { message: '"{{field}}" makes a loop of meta-frameworks ({{path}}).', fix: 'Remove the parent of one of the CA in the loop.' },
  },
  'domain.none': {
    severity: 'warning',
    fr: {
      message: 'Le JDD n’est ni marin ni terrestre (« {{field}} »).',
      fix: 'Cochez « domaine terrestre », « domaine marin », ou les deux.',
    },
    en: { message: 'The JDD is neither marine nor terrestrial ("{{field}}").', fix: 'Tick "terrestrial domain", "marine domain", or both.' },
  },
  'bbox.range': {
    severity: 'error',
    fr: {
      message: '« {{field}} » sort des limites WGS 84 (ouest {{west}}, sud {{south}}, est {{east}}, nord {{north}}).',
      fix: 'Saisissez l’emprise en degrés décimaux WGS 84 : longitudes entre -180 et 180, latitudes entre -90 et 90 (pas de Lambert 93).',
    },
    en: {
      message: '"{{field}}" is outside WGS 84 bounds (west {{west}}, south {{south}}, east {{east}}, north {{north}}).',
      fix: 'Enter the extent in WGS 84 decimal degrees: longitudes from -180 to 180, latitudes from -90 to 90 (not Lambert 93).',
    },
  },
  'bbox.order': {
    severity: 'error',
    fr: { message: '« {{field}} » : la latitude sud ({{south}}) est au nord de la latitude nord ({{north}}).', fix: 'Échangez les latitudes sud et nord.' },
    en: { message: '"{{field}}": the south latitude ({{south}}) is north of the north latitude ({{north}}).', fix: 'Swap the south and north latitudes.' },
  },
  'bbox.antimeridian': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » : la longitude ouest ({{west}}) est à l’est de la longitude est ({{east}}) ; l’emprise traverserait l’antiméridien.',
      fix: 'Échangez les longitudes ouest et est, sauf si le territoire traverse vraiment l’antiméridien.',
    },
    en: {
      message: '"{{field}}": the west longitude ({{west}}) is east of the east longitude ({{east}}); the extent would cross the antimeridian.',
      fix: 'Swap the west and east longitudes, unless the territory really crosses the antimeridian.',
    },
  },
  'bbox.empty': {
    severity: 'warning',
    fr: { message: '« {{field}} » vaut 0 partout : c’est une emprise de remplissage.', fix: 'Calculez l’emprise à partir des observations du JDD, ou videz-la.' },
    en: { message: '"{{field}}" is 0 everywhere: a filler extent.', fix: 'Compute the extent from the JDD’s observations, or empty it.' },
  },
  'objectives.multiple': {
    severity: 'warning',
    fr: {
      message: '« {{field}} » : {{count}} objectifs ; GeoNature 2.17 n’en garde qu’un (le premier, {{first}}).',
      fix: 'Gardez l’objectif principal en premier, ou un seul si la cible est GeoNature 2.17.',
    },
    en: {
      message: '"{{field}}": {{count}} objectives; GeoNature 2.17 keeps only one (the first, {{first}}).',
      fix: 'Put the main objective first, or keep only one when the target is GeoNature 2.17.',
    },
  },
  'url.format': {
    severity: 'warning',
    fr: { message: '« {{field}} » : « {{value}} » n’est pas une adresse web.', fix: 'Saisissez une adresse complète commençant par https:// (ou http://).' },
    en: { message: '"{{field}}": "{{value}}" is not a web address.', fix: 'Enter a full address starting with https:// (or http://).' },
  },
  'list.duplicate': {
    severity: 'warning',
    fr: { message: '« {{field}} » : « {{value}} » figure deux fois.', fix: 'Supprimez le doublon.' },
    en: { message: '"{{field}}": "{{value}}" appears twice.', fix: 'Remove the duplicate.' },
  },
} as const satisfies Record<string, { severity: 'error' | 'warning'; fr: { message: string; fix: string }; en: { message: string; fix: string } }>;

/** The id of a validation rule. */
export type MetadataRuleId = keyof typeof RULES;

/**
 * Notes an import or export adds to its result: what it could not carry, what it changed, what
 * it assumed. Warnings by nature (a failure is an AppError), each a sentence in both languages.
 */
export const NOTES = {
  'export.descriptionPadded': {
    fr: 'La description faisait {{from}} caractères ; Google Dataset Search en demande au moins 50 : le libellé, le type, l’objectif, le territoire et le cadre du JDD y ont été ajoutés ({{to}} caractères).',
    en: 'The description had {{from}} characters; Google Dataset Search wants at least 50: the JDD’s label, type, objective, territory and framework were appended ({{to}} characters).',
  },
  'export.descriptionStillShort': {
    fr: 'Même complétée, la description ne fait que {{length}} caractères : Google Dataset Search en demande 50. Rédigez une vraie description du JDD.',
    en: 'Even completed, the description has only {{length}} characters: Google Dataset Search wants 50. Write a real description of the JDD.',
  },
  'export.descriptionTruncated': {
    fr: 'La description faisait {{from}} caractères ; Google Dataset Search en accepte au plus 5000 : elle a été coupée à {{to}} caractères, à la fin d’un mot.',
    en: 'The description had {{from}} characters; Google Dataset Search accepts at most 5000: it was cut to {{to}} characters, at the end of a word.',
  },
  'export.licenceNotGbif': {
    fr: 'GBIF n’accepte pas la licence {{licence}} (seulement CC0, CC-BY et CC-BY-NC) : l’EML la déclare quand même, mais l’IPT la refusera ; pour GBIF, choisissez {{suggested}}.',
    en: 'GBIF does not accept the licence {{licence}} (only CC0, CC-BY and CC-BY-NC): the EML states it anyway, but the IPT will refuse it; for GBIF, choose {{suggested}}.',
  },
  'export.noResourceDate': {
    fr: 'Le JDD n’a ni date de création ni date de révision : la date des métadonnées ({{date}}) est donnée comme date de publication.',
    en: 'The JDD has neither a creation nor a revision date: the metadata date ({{date}}) is given as the publication date.',
  },
  'export.noBbox': {
    fr: 'Le JDD n’a pas d’emprise : {{format}} demande une emprise géographique, calculez-la à partir des observations.',
    en: 'The JDD has no extent: {{format}} wants a geographic bounding box; compute it from the observations.',
  },
  'export.noContact': {
    fr: 'Aucun acteur n’a de nom ou d’organisme utilisable comme contact : {{format}} en demande un.',
    en: 'No actor has a name or organism usable as a contact: {{format}} needs one.',
  },
  'export.notInFormat': {
    fr: '{{format}} n’a pas d’élément pour {{fields}} : ces champs ne sont pas écrits.',
    en: '{{format}} has no element for {{fields}}: these fields are not written.',
  },
  'export.invalidDateSkipped': {
    fr: '« {{field}} » : « {{value}} » n’est pas une date existante ; elle n’est pas écrite.',
    en: '"{{field}}": "{{value}}" is not an existing date; it is not written.',
  },
  'export.personAsSurname': {
    fr: 'EML sépare prénom et nom ; les noms de personnes du SINP sont d’un seul tenant et sont écrits entiers dans surName.',
    en: 'EML splits given name and surname; SINP person names come in one piece and are written whole in surName.',
  },
  'import.nullText': {
    fr: '« {{field}} » valait le texte « null », lu comme une valeur vide.',
    en: '"{{field}}" held the text "null", read as an empty value.',
  },
  'import.dateUnreadable': {
    fr: '« {{field}} » : « {{value}} » n’est pas une date lisible ; la valeur n’a pas été reprise.',
    en: '"{{field}}": "{{value}}" is not a readable date; the value was not kept.',
  },
  'import.numberUnreadable': {
    fr: '« {{field}} » : « {{value}} » n’est pas un nombre ; l’emprise n’a pas été reprise.',
    en: '"{{field}}": "{{value}}" is not a number; the extent was not kept.',
  },
  'import.booleanUnreadable': {
    fr: '« {{field}} » : « {{value}} » n’est ni true ni false ; la valeur n’a pas été reprise.',
    en: '"{{field}}": "{{value}}" is neither true nor false; the value was not kept.',
  },
  'import.frameworkUriStripped': {
    fr: 'L’identifiant de CA « {{value}} » est une URI : seul son UUID a été gardé.',
    en: 'The CA identifier "{{value}}" is a URI: only its UUID was kept.',
  },
  'import.ignoredElement': {
    fr: 'L’élément {{element}} n’a pas d’équivalent dans le modèle et n’a pas été repris ({{count}} fois).',
    en: 'Element {{element}} has no counterpart in the model and was not kept ({{count}} times).',
  },
  'import.bboxUnion': {
    fr: 'Le fichier donne {{count}} emprises : le JDD reçoit le rectangle qui les englobe toutes.',
    en: 'The file gives {{count}} extents: the JDD gets the rectangle that encloses them all.',
  },
  'import.noUuid': {
    fr: 'Le fichier ne donne pas d’UUID ({{value}}) : le JDD n’en a pas, générez-en un avant de l’enregistrer.',
    en: 'The file gives no UUID ({{value}}): the JDD has none; generate one before saving it.',
  },
  'import.roleUnmapped': {
    fr: 'Le rôle « {{role}} » de {{name}} n’a pas d’équivalent SINP : l’acteur a été repris sans rôle.',
    en: 'The role "{{role}}" of {{name}} has no SINP counterpart: the actor was kept without a role.',
  },
  'import.nothingFound': {
    fr: 'Le fichier ne contient aucun {{what}}.',
    en: 'The file holds no {{what}}.',
  },
} as const satisfies Record<string, Bilingual>;

/** The id of an import/export note. */
export type MetadataNoteId = keyof typeof NOTES;

/** A note in a result: its id and parameters. JSON-safe. */
export interface MetadataNote {
  readonly id: MetadataNoteId;
  readonly params: MessageParams;
}

/**
 * Messages of the errors the metadata formats throw (AppError `details.key` =
 * `metadata.errors.<id>`), for the UI and the CLI.
 */
export const ERRORS = {
  notXml: {
    fr: 'Le fichier n’est pas un XML bien formé : {{reason}} (ligne {{line}}).',
    en: 'The file is not well-formed XML: {{reason}} (line {{line}}).',
  },
  notMtd: {
    fr: 'Le fichier n’est pas un export de l’application de métadonnées de l’INPN (MTD) : sa racine est {{root}}, et il ne contient ni CadreAcquisition ni JeuDeDonnees de l’espace de noms http://inpn.mnhn.fr/mtd.',
    en: 'The file is not an export of the INPN metadata application (MTD): its root is {{root}}, and it holds no CadreAcquisition or JeuDeDonnees of namespace http://inpn.mnhn.fr/mtd.',
  },
  notEml: {
    fr: 'Le fichier n’est pas un document EML : sa racine est {{root}} au lieu de eml:eml.',
    en: 'The file is not an EML document: its root is {{root}} instead of eml:eml.',
  },
  notIso: {
    fr: 'Le fichier ne contient pas de fiche ISO 19139 (gmd:MD_Metadata) : sa racine est {{root}}.',
    en: 'The file holds no ISO 19139 record (gmd:MD_Metadata): its root is {{root}}.',
  },
  badRecord: {
    fr: 'La fiche {{what}} à exporter n’a pas la forme attendue : {{issues}}',
    en: 'The {{what}} record to export does not have the expected shape: {{issues}}',
  },
  badContext: {
    fr: 'Options d’export invalides : {{issues}}',
    en: 'Invalid export options: {{issues}}',
  },
} as const satisfies Record<string, Bilingual>;

/** The id of a metadata format error. */
export type MetadataErrorId = keyof typeof ERRORS;

/** Field labels, by entity and by field path without list positions (`actors.email`). */
export const FIELD_LABELS = {
  framework: {
    uuid: { fr: 'UUID du CA (identifiantCadre)', en: 'CA UUID (identifiantCadre)' },
    name: { fr: 'Libellé du CA', en: 'CA name' },
    description: { fr: 'Description du CA', en: 'CA description' },
    isMetaFramework: { fr: 'Méta-cadre', en: 'Meta-framework' },
    parentUuid: { fr: 'Méta-cadre parent', en: 'Parent meta-framework' },
    territorialLevel: { fr: 'Niveau territorial', en: 'Territorial level' },
    financingType: { fr: 'Type de financement', en: 'Financing type' },
    objectives: { fr: 'Objectifs du CA', en: 'CA objectives' },
    territories: { fr: 'Territoires', en: 'Territories' },
    territoryDescription: { fr: 'Précision géographique', en: 'Geographic details' },
    keywords: { fr: 'Mots-clés', en: 'Keywords' },
    targetDescription: { fr: 'Description de la cible', en: 'Target description' },
    ecologicalTarget: { fr: 'Cible écologique ou géologique', en: 'Ecological or geological target' },
    voletsSinp: { fr: 'Volets SINP', en: 'SINP components' },
    publications: { fr: 'Publications', en: 'Publications' },
    'publications.reference': { fr: 'Référence de la publication', en: 'Publication reference' },
    'publications.url': { fr: 'Adresse de la publication', en: 'Publication URL' },
    actors: { fr: 'Acteurs du CA', en: 'CA actors' },
    'actors.role': { fr: 'Rôle de l’acteur', en: 'Actor role' },
    'actors.person': { fr: 'Nom de la personne', en: 'Person name' },
    'actors.email': { fr: 'Courriel de l’acteur', en: 'Actor email' },
    'actors.organism': { fr: 'Organisme de l’acteur', en: 'Actor organism' },
    'actors.organismUuid': { fr: 'UUID de l’organisme', en: 'Organism UUID' },
    startDate: { fr: 'Date de lancement', en: 'Start date' },
    endDate: { fr: 'Date de clôture', en: 'End date' },
    metadataCreated: { fr: 'Date de création de la fiche', en: 'Record creation date' },
    metadataUpdated: { fr: 'Date de mise à jour de la fiche', en: 'Record update date' },
    additionalAttributes: { fr: 'Attributs additionnels', en: 'Additional attributes' },
  },
  dataset: {
    uuid: { fr: 'UUID du JDD (identifiantJdd)', en: 'JDD UUID (identifiantJdd)' },
    frameworkUuid: { fr: 'Cadre d’acquisition du JDD', en: 'JDD’s acquisition framework' },
    name: { fr: 'Libellé du JDD', en: 'JDD name' },
    shortName: { fr: 'Libellé court', en: 'Short name' },
    description: { fr: 'Description du JDD', en: 'JDD description' },
    dataType: { fr: 'Type de données', en: 'Data type' },
    objectives: { fr: 'Objectifs du JDD', en: 'JDD objectives' },
    collectingMethod: { fr: 'Méthode de recueil', en: 'Collection method' },
    dataOrigin: { fr: 'Origine publique ou privée', en: 'Public or private origin' },
    sourceStatus: { fr: 'Statut de la source', en: 'Source status' },
    resourceType: { fr: 'Type de ressource', en: 'Resource type' },
    marineDomain: { fr: 'Domaine marin', en: 'Marine domain' },
    terrestrialDomain: { fr: 'Domaine terrestre', en: 'Terrestrial domain' },
    territories: { fr: 'Territoires', en: 'Territories' },
    territoryDescription: { fr: 'Précision du territoire', en: 'Territory details' },
    keywords: { fr: 'Mots-clés', en: 'Keywords' },
    protocols: { fr: 'Protocoles', en: 'Protocols' },
    'protocols.uuid': { fr: 'UUID du protocole', en: 'Protocol UUID' },
    'protocols.name': { fr: 'Libellé du protocole', en: 'Protocol name' },
    'protocols.description': { fr: 'Description du protocole', en: 'Protocol description' },
    'protocols.url': { fr: 'Adresse du protocole', en: 'Protocol URL' },
    'protocols.type': { fr: 'Type de protocole', en: 'Protocol type' },
    bbox: { fr: 'Emprise géographique', en: 'Bounding box' },
    actors: { fr: 'Acteurs du JDD', en: 'JDD actors' },
    'actors.role': { fr: 'Rôle de l’acteur', en: 'Actor role' },
    'actors.person': { fr: 'Nom de la personne', en: 'Person name' },
    'actors.email': { fr: 'Courriel de l’acteur', en: 'Actor email' },
    'actors.organism': { fr: 'Organisme de l’acteur', en: 'Actor organism' },
    'actors.organismUuid': { fr: 'UUID de l’organisme', en: 'Organism UUID' },
    metadataCreated: { fr: 'Date de création du JDD', en: 'JDD creation date' },
    metadataRevised: { fr: 'Date de révision du JDD', en: 'JDD revision date' },
    additionalAttributes: { fr: 'Attributs additionnels', en: 'Additional attributes' },
  },
} as const satisfies Record<'framework' | 'dataset', Record<string, Bilingual>>;

/** Names of the entities in messages ({{otherEntity}}). */
export const ENTITY_LABELS = {
  framework: { fr: 'le CA', en: 'CA' },
  dataset: { fr: 'le JDD', en: 'JDD' },
} as const satisfies Record<'framework' | 'dataset', Bilingual>;

/** Fills `{{name}}` placeholders; an unknown parameter stays visible rather than vanishing. */
export function interpolate(template: string, params: MessageParams): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : v === null ? '' : String(v);
  });
}

/**
 * The label of a field path, with list positions spelled out: `actors[2].email` →
 * "Acteurs du JDD n°3 › Courriel de l’acteur".
 */
export function fieldLabel(entity: 'framework' | 'dataset', path: string, lang: Lang): string {
  const labels: Readonly<Record<string, Bilingual>> = FIELD_LABELS[entity];
  const m = /^(\w+)\[(\d+)\](?:\.(\w+))?$/.exec(path);
  if (m) {
    const list = labels[m[1] ?? '']?.[lang] ?? m[1] ?? path;
    const pos = `${lang === 'fr' ? 'n°' : '#'}${Number(m[2]) + 1}`;
    if (!m[3]) return `${list} ${pos}`;
    const sub = labels[`${m[1]}.${m[3]}`]?.[lang] ?? m[3];
    return `${list} ${pos} › ${sub}`;
  }
  return labels[path]?.[lang] ?? path;
}

/**
 * Every text as flat i18next resources (`metadata.rules.required.message`,
 * `metadata.notes.export.descriptionPadded`, `metadata.errors.notXml`, `metadata.fields.dataset.name`…),
 * for the UI.
 */
export function metadataResources(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, r] of Object.entries(RULES)) {
    out[`metadata.rules.${id}.message`] = r[lang].message;
    out[`metadata.rules.${id}.fix`] = r[lang].fix;
  }
  for (const [id, n] of Object.entries(NOTES)) out[`metadata.notes.${id}`] = n[lang];
  for (const [id, e] of Object.entries(ERRORS)) out[`metadata.errors.${id}`] = e[lang];
  for (const entity of ['framework', 'dataset'] as const) {
    for (const [field, l] of Object.entries(FIELD_LABELS[entity] as Readonly<Record<string, Bilingual>>)) out[`metadata.fields.${entity}.${field}`] = l[lang];
  }
  return out;
}

/**
 * A note as a sentence. When its parameters name an `entity` and a `field` path (or `fields`,
 * comma-separated paths), fields are shown by their labels in `lang`; a `record` parameter (the UUID or name of the record concerned)
 * prefixes the sentence.
 */
export function formatNote(note: MetadataNote, lang: Lang): string {
  const { entity, field, fields, record } = note.params;
  let params = note.params;
  if (entity === 'framework' || entity === 'dataset') {
    if (typeof field === 'string') params = { ...params, field: fieldLabel(entity, field, lang) };
    if (typeof fields === 'string') params = { ...params, fields: fields.split(', ').map((f) => fieldLabel(entity, f, lang)).join(', ') };
  }
  const text = interpolate(NOTES[note.id][lang], params);
  return typeof record === 'string' && record !== '' ? `${record}${lang === 'fr' ? ' : ' : ': '}${text}` : text;
}
