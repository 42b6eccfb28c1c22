/**
 * The SINP metadata model: cadres d'acquisition (CA) and jeux de données (JDD), as zod schemas
 * with their inferred types, JSON-safe so they can cross the contract as they are.
 *
 * Names follow the SINP metadata standard (v1.3.10) as GeoNature implements it; each field's
 * comment gives its MTD XML tag and its gn_meta column (standards-reference.md §2.2,
 * geonature-reference.md §1). Nomenclature fields hold SINP codes, checked against a catalog by
 * the validation rules, not here: the schemas check shape only, so that a record read from a file
 * can always be held, shown and fixed, however wrong its content is. Absent values are `null`
 * (scalars) or `[]` (lists), never missing keys, so a record round-trips through JSON unchanged.
 */
import { z } from 'zod';

/** A SINP nomenclature code (cd_nomenclature): `'3'`, `'7.2'`, `'METROP'`, `'Pu'`. */
export const NomenclatureCode = z.string().min(1);

/** A calendar date, `YYYY-MM-DD` (validation checks that the day exists). */
export const MetaDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });

/**
 * An actor of a CA or JDD: a person, an organism, or both, with one role (ROLE_ACTEUR).
 *
 * MTD `ActeurType {nomPrenom, mail, roleActeur, organisme, idOrganisme}`; gn_meta
 * `cor_*_actor (id_role, id_organism, id_nomenclature_actor_role)`.
 */
export const MetadataActor = z
  .object({
    /** ROLE_ACTEUR code (`roleActeur`): 1 contact principal, 2 financeur … 8 contact métadonnées. */
    role: NomenclatureCode.nullable(),
    /** `nomPrenom`: the person, as written (often "NOM Prénom"). */
    person: z.string().nullable(),
    /** `mail`. */
    email: z.string().nullable(),
    /** `organisme`. */
    organism: z.string().nullable(),
    /** `idOrganisme`: the organism's UUID in the SINP organism referential, when known. */
    organismUuid: z.string().nullable(),
  })
  .strict();
export type MetadataActor = z.infer<typeof MetadataActor>;

/** A publication about a CA: MTD `referenceBiblio/Publication`; gn_meta `t_bibliographical_references`. */
export const Publication = z
  .object({
    /** `referencePublication` (publication_reference, NOT NULL). */
    reference: z.string(),
    /** `URLPublication`. */
    url: z.string().nullable(),
  })
  .strict();
export type Publication = z.infer<typeof Publication>;

/** A protocol of a JDD: MTD `protocoles/ProtocoleType`; gn_meta `sinp_datatype_protocols`. */
export const Protocol = z
  .object({
    /** unique_protocol_id (no MTD tag). */
    uuid: z.string().nullable(),
    /** `libelleProtocole` (protocol_name, NOT NULL). */
    name: z.string(),
    /** `descriptionProtocole`. */
    description: z.string().nullable(),
    /** `url`. */
    url: z.string().nullable(),
    /** TYPE_PROTOCOLE code (no MTD tag). */
    type: NomenclatureCode.nullable(),
  })
  .strict();
export type Protocol = z.infer<typeof Protocol>;

/** A WGS 84 bounding box in decimal degrees: MTD `empriseGeographique/BoundingBox/borne*`; gn_meta `bbox_*`. */
export const BoundingBox = z
  .object({
    west: z.number().finite(),
    south: z.number().finite(),
    east: z.number().finite(),
    north: z.number().finite(),
  })
  .strict();
export type BoundingBox = z.infer<typeof BoundingBox>;

/** An MTD `attributsAdditionnels/AttributAdditionnel` pair (ID_CREATEUR, ID_INSTANCE…), kept for round trips. */
export const AdditionalAttribute = z
  .object({
    name: z.string(),
    value: z.string(),
    definition: z.string().nullable(),
  })
  .strict();
export type AdditionalAttribute = z.infer<typeof AdditionalAttribute>;

/** A cadre d'acquisition (MTD `CadreAcquisition`; gn_meta `t_acquisition_frameworks` and its cor_* tables). */
export const AcquisitionFramework = z
  .object({
    /** `identifiantCadre` (unique_acquisition_framework_id). */
    uuid: z.string(),
    /** `libelle` (acquisition_framework_name, varchar 255). */
    name: z.string(),
    /** `description` (acquisition_framework_desc). */
    description: z.string(),
    /** `estMetaCadre` (is_parent): a méta-cadre groups other CA. */
    isMetaFramework: z.boolean(),
    /** `idMetaCadreParent` (acquisition_framework_parent_id): the méta-cadre this CA belongs to. */
    parentUuid: z.string().nullable(),
    /** `niveauTerritorial`: NIVEAU_TERRITORIAL code. */
    territorialLevel: NomenclatureCode.nullable(),
    /** `typeFinancement`: TYPE_FINANCEMENT code. */
    financingType: NomenclatureCode.nullable(),
    /** `objectif` (cor_acquisition_framework_objectif): CA_OBJECTIFS codes. */
    objectives: z.array(NomenclatureCode),
    /** `territoire` (cor_acquisition_framework_territory): TERRITOIRE codes. */
    territories: z.array(NomenclatureCode),
    /** `precisionGeographique` (territory_desc). */
    territoryDescription: z.string().nullable(),
    /** `motCle` (keywords, one text in GeoNature: see splitKeywords). */
    keywords: z.array(z.string()),
    /** `descriptionCible` (target_description). */
    targetDescription: z.string().nullable(),
    /** `cibleEcologiqueOuGeologique` (ecologic_or_geologic_target: cd_nom/cd_hab list). */
    ecologicalTarget: z.string().nullable(),
    /** `voletSINP` (cor_acquisition_framework_voletsinp): VOLET_SINP codes. */
    voletsSinp: z.array(NomenclatureCode),
    /** `referenceBiblio/Publication`. */
    publications: z.array(Publication),
    /** `acteurPrincipal` and `acteurAutre` (cor_acquisition_framework_actor). */
    actors: z.array(MetadataActor),
    /** `ReferenceTemporelle/dateLancement` (acquisition_framework_start_date, NOT NULL). */
    startDate: MetaDate.nullable(),
    /** `ReferenceTemporelle/dateCloture` (acquisition_framework_end_date). */
    endDate: MetaDate.nullable(),
    /** `dateCreationMtd`: when the metadata record was created. */
    metadataCreated: MetaDate.nullable(),
    /** `dateMiseAJourMtd`: when the metadata record was last updated. */
    metadataUpdated: MetaDate.nullable(),
    /** `attributsAdditionnels`, kept as read. */
    additionalAttributes: z.array(AdditionalAttribute),
  })
  .strict();
export type AcquisitionFramework = z.infer<typeof AcquisitionFramework>;

/** A jeu de données (MTD `JeuDeDonnees`; gn_meta `t_datasets` and its cor_* tables). */
export const Dataset = z
  .object({
    /** `identifiantJdd` (unique_dataset_id). */
    uuid: z.string(),
    /** `identifiantCadre` (id_acquisition_framework): the UUID of the JDD's CA. */
    frameworkUuid: z.string(),
    /** `libelle` (dataset_name). */
    name: z.string(),
    /** `libelleCourt` (dataset_shortname). */
    shortName: z.string(),
    /** `description` (dataset_desc). */
    description: z.string(),
    /** `typeDonnees`: DATA_TYP code. */
    dataType: NomenclatureCode.nullable(),
    /** `objectifJdd`: JDD_OBJECTIFS codes (one in GeoNature 2.17, several in cor_dataset_objectif later). */
    objectives: z.array(NomenclatureCode),
    /** METHO_RECUEIL code (id_nomenclature_collecting_method; no MTD tag). */
    collectingMethod: NomenclatureCode.nullable(),
    /** DS_PUBLIQUE code (id_nomenclature_data_origin; MTD attribute CODE_STATUT_DONNEES_SOURCE). */
    dataOrigin: NomenclatureCode.nullable(),
    /** STATUT_SOURCE code (id_nomenclature_source_status; no MTD tag). */
    sourceStatus: NomenclatureCode.nullable(),
    /** RESOURCE_TYP code (id_nomenclature_resource_type; no MTD tag). */
    resourceType: NomenclatureCode.nullable(),
    /** `domaineMarin` (marine_domain, NOT NULL). */
    marineDomain: z.boolean().nullable(),
    /** `domaineTerrestre` (terrestrial_domain, NOT NULL). */
    terrestrialDomain: z.boolean().nullable(),
    /** `territoire` (cor_dataset_territory): TERRITOIRE codes. */
    territories: z.array(NomenclatureCode),
    /** cor_dataset_territory.territory_desc (no MTD tag). */
    territoryDescription: z.string().nullable(),
    /** `motCle` (keywords). */
    keywords: z.array(z.string()),
    /** `protocoles/ProtocoleType` (cor_dataset_protocol). */
    protocols: z.array(Protocol),
    /** `empriseGeographique/BoundingBox` (bbox_west/east/south/north). */
    bbox: BoundingBox.nullable(),
    /** `pointContactJdd`, `pointContactPF`, `BaseProduction/contactBaseProduction` (cor_dataset_actor). */
    actors: z.array(MetadataActor),
    /** `dateCreation`: when the JDD record was created. */
    metadataCreated: MetaDate.nullable(),
    /** `dateRevision`: when the JDD record was last revised. */
    metadataRevised: MetaDate.nullable(),
    /** `attributsAdditionnels`, kept as read (CODE_STATUT_DONNEES_SOURCE goes to dataOrigin). */
    additionalAttributes: z.array(AdditionalAttribute),
  })
  .strict();
export type Dataset = z.infer<typeof Dataset>;

/** A set of CA and JDD validated or exchanged together (a workspace's, a file's). */
export const MetadataSet = z
  .object({
    frameworks: z.array(AcquisitionFramework),
    datasets: z.array(Dataset),
  })
  .strict();
export type MetadataSet = z.infer<typeof MetadataSet>;
