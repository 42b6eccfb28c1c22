/**
 * How SINP actor roles (ROLE_ACTEUR) map to the roles of the other metadata standards.
 *
 * No standard has a funder role in the versions we write (ISO 19139's CI_RoleCode is the 2003
 * list; GBIF's EML agent roles have none), so funders go where each format records funding:
 * ISO `credit`, EML `project/funding`, schema.org `funder`. The other choices follow the ISO 2003
 * definitions: maître d'ouvrage (who commissions and owns the work) → owner; maître d'œuvre (who
 * carries it out) → principalInvestigator; fournisseur → resourceProvider; producteur →
 * originator; production database contact → custodian.
 */
import { ROLE } from '../../../shared/metadata/index.js';

/** ISO 19139 CI_RoleCode by ROLE_ACTEUR code (funders excluded: see above). */
export const ISO_ROLE: Readonly<Record<string, string>> = {
  [ROLE.MAIN_CONTACT]: 'pointOfContact',
  [ROLE.PROJECT_OWNER]: 'owner',
  [ROLE.PROJECT_MANAGER]: 'principalInvestigator',
  [ROLE.PROVIDER]: 'resourceProvider',
  [ROLE.PRODUCER]: 'originator',
  [ROLE.PRODUCTION_DB_CONTACT]: 'custodian',
  [ROLE.METADATA_CONTACT]: 'pointOfContact',
};

/** ROLE_ACTEUR code for an ISO role read from a foreign record (the closest SINP role). */
export const ROLE_FROM_ISO: Readonly<Record<string, string>> = {
  pointOfContact: ROLE.MAIN_CONTACT,
  owner: ROLE.PROJECT_OWNER,
  principalInvestigator: ROLE.PROJECT_MANAGER,
  resourceProvider: ROLE.PROVIDER,
  originator: ROLE.PRODUCER,
  author: ROLE.PRODUCER,
  custodian: ROLE.PRODUCTION_DB_CONTACT,
  distributor: ROLE.PROVIDER,
  publisher: ROLE.PROVIDER,
  processor: ROLE.PROJECT_MANAGER,
};

/** GBIF EML agent role (associatedParty/role) by ROLE_ACTEUR code (funders: project/funding). */
export const EML_ROLE: Readonly<Record<string, string>> = {
  [ROLE.MAIN_CONTACT]: 'pointOfContact',
  [ROLE.PROJECT_OWNER]: 'owner',
  [ROLE.PROJECT_MANAGER]: 'principalInvestigator',
  [ROLE.PROVIDER]: 'contentProvider',
  [ROLE.PRODUCER]: 'originator',
  [ROLE.PRODUCTION_DB_CONTACT]: 'custodianSteward',
  [ROLE.METADATA_CONTACT]: 'metadataProvider',
};

/** ROLE_ACTEUR code for an EML associatedParty role, by {@link roleKey} (case, spaces ignored). */
export const ROLE_FROM_EML: Readonly<Record<string, string>> = {
  pointofcontact: ROLE.MAIN_CONTACT,
  principleinvestigator: ROLE.PROJECT_MANAGER,
  owner: ROLE.PROJECT_OWNER,
  principalinvestigator: ROLE.PROJECT_MANAGER,
  contentprovider: ROLE.PROVIDER,
  originator: ROLE.PRODUCER,
  author: ROLE.PRODUCER,
  custodiansteward: ROLE.PRODUCTION_DB_CONTACT,
  metadataprovider: ROLE.METADATA_CONTACT,
  distributor: ROLE.PROVIDER,
  publisher: ROLE.PROVIDER,
  processor: ROLE.PROJECT_MANAGER,
  programmer: ROLE.PROJECT_MANAGER,
  curator: ROLE.PRODUCTION_DB_CONTACT,
  editor: ROLE.PROJECT_MANAGER,
};

/** A role as a lookup key: lower case, letters only ("Metadata Provider" → "metadataprovider"). */
export const roleKey = (role: string): string => role.toLowerCase().replace(/[^a-z]/g, '');
