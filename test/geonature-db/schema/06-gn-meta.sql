-- 06: schema `gn_meta`: acquisition frameworks (CA), datasets (JDD) and their cor_* tables.
-- Reference §1 (tables 1.1–1.3; SINP metadata standard 1.3.10), §0.1 (meta dates trigger),
-- §0.3 (nomenclature defaults), §0.8 (cor_module_dataset). This is the 2.17.4 variant: it still has
-- t_datasets.id_nomenclature_dataset_objectif (§1.6: develop replaces it with cor_dataset_objectif).
-- Every "nomenc(TYPE)" column gets the NOT VALID CHECK
--   ref_nomenclatures.check_nomenclature_type_by_mnemonique(col, 'TYPE'),
-- which raises when an id of another type is written, plus an FK where the reference lists one.
-- Simplified: the views v_acquisition_frameworks_protocols / _territories are not created.

CREATE SCHEMA gn_meta;

-- §1.1 CA
CREATE TABLE gn_meta.t_acquisition_frameworks (
  id_acquisition_framework          serial       NOT NULL,
  unique_acquisition_framework_id   uuid         NOT NULL DEFAULT public.uuid_generate_v4(),
  acquisition_framework_name        varchar(255) NOT NULL,
  acquisition_framework_desc        text         NOT NULL,
  id_nomenclature_territorial_level integer      DEFAULT ref_nomenclatures.get_default_nomenclature_value('NIVEAU_TERRITORIAL'),
  territory_desc                    text,
  keywords                          text,
  id_nomenclature_financing_type    integer      DEFAULT ref_nomenclatures.get_default_nomenclature_value('TYPE_FINANCEMENT'),
  target_description                text,
  ecologic_or_geologic_target       text,
  acquisition_framework_parent_id   integer,
  is_parent                         boolean,
  opened                            boolean      DEFAULT true,
  id_digitizer                      integer,
  acquisition_framework_start_date  date         NOT NULL,
  acquisition_framework_end_date    date,
  meta_create_date                  timestamp    NOT NULL,
  meta_update_date                  timestamp,
  initial_closing_date              timestamp,
  additional_data                   jsonb        DEFAULT '{}'::jsonb,
  CONSTRAINT pk_t_acquisition_frameworks PRIMARY KEY (id_acquisition_framework),
  CONSTRAINT unique_acquisition_frameworks_uuid UNIQUE (unique_acquisition_framework_id),
  CONSTRAINT fk_t_acquisition_frameworks_id_digitizer FOREIGN KEY (id_digitizer)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE
);

-- No FK on these two in the DDL, only the type CHECK (§1.1).
ALTER TABLE gn_meta.t_acquisition_frameworks
  ADD CONSTRAINT check_t_acquisition_frameworks_territorial_level
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_territorial_level, 'NIVEAU_TERRITORIAL')) NOT VALID;
ALTER TABLE gn_meta.t_acquisition_frameworks
  ADD CONSTRAINT check_t_acquisition_financing_type
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_financing_type, 'TYPE_FINANCEMENT')) NOT VALID;

CREATE TRIGGER tri_meta_dates_change_t_acquisition_frameworks
  BEFORE INSERT OR UPDATE ON gn_meta.t_acquisition_frameworks
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- §1.2 JDD
CREATE TABLE gn_meta.t_datasets (
  id_dataset                        serial       NOT NULL,
  unique_dataset_id                 uuid         NOT NULL DEFAULT public.uuid_generate_v4(),
  id_acquisition_framework          integer      NOT NULL,
  dataset_name                      varchar(255) NOT NULL,
  dataset_shortname                 varchar(255) NOT NULL,
  dataset_desc                      text         NOT NULL,
  id_nomenclature_data_type         integer      NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('DATA_TYP'),
  keywords                          text,
  marine_domain                     boolean      NOT NULL,
  terrestrial_domain                boolean      NOT NULL,
  id_nomenclature_dataset_objectif  integer      NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('JDD_OBJECTIFS'),
  bbox_west                         real,
  bbox_east                         real,
  bbox_south                        real,
  bbox_north                        real,
  id_nomenclature_collecting_method integer      NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('METHO_RECUEIL'),
  id_nomenclature_data_origin       integer      NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('DS_PUBLIQUE'),
  id_nomenclature_source_status     integer      NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('STATUT_SOURCE'),
  id_nomenclature_resource_type     integer      NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('RESOURCE_TYP'),
  active                            boolean      NOT NULL DEFAULT true,
  validable                         boolean      DEFAULT true,
  id_digitizer                      integer,
  id_taxa_list                      integer,
  meta_create_date                  timestamp    NOT NULL,
  meta_update_date                  timestamp,
  additional_data                   jsonb        DEFAULT '{}'::jsonb,
  CONSTRAINT pk_t_datasets PRIMARY KEY (id_dataset),
  CONSTRAINT unique_dataset_uuid UNIQUE (unique_dataset_id),
  CONSTRAINT fk_t_datasets_t_acquisition_frameworks FOREIGN KEY (id_acquisition_framework)
    REFERENCES gn_meta.t_acquisition_frameworks (id_acquisition_framework) ON UPDATE CASCADE,
  CONSTRAINT fk_t_datasets_id_digitizer FOREIGN KEY (id_digitizer)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE,
  CONSTRAINT fk_t_datasets_data_type FOREIGN KEY (id_nomenclature_data_type)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_t_datasets_objectif FOREIGN KEY (id_nomenclature_dataset_objectif)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_t_datasets_collecting_method FOREIGN KEY (id_nomenclature_collecting_method)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_t_datasets_data_origin FOREIGN KEY (id_nomenclature_data_origin)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_t_datasets_source_status FOREIGN KEY (id_nomenclature_source_status)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_t_datasets_resource_type FOREIGN KEY (id_nomenclature_resource_type)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);

-- id_taxa_list refers to taxonomie.bib_listes, without an FK (§1.2).
CREATE INDEX i_t_datasets_id_acquisition_framework ON gn_meta.t_datasets (id_acquisition_framework);

ALTER TABLE gn_meta.t_datasets ADD CONSTRAINT check_t_datasets_data_type
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_data_type, 'DATA_TYP')) NOT VALID;
ALTER TABLE gn_meta.t_datasets ADD CONSTRAINT check_t_datasets_objectif
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_dataset_objectif, 'JDD_OBJECTIFS')) NOT VALID;
ALTER TABLE gn_meta.t_datasets ADD CONSTRAINT check_t_datasets_collecting_method
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_collecting_method, 'METHO_RECUEIL')) NOT VALID;
ALTER TABLE gn_meta.t_datasets ADD CONSTRAINT check_t_datasets_data_origin
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_data_origin, 'DS_PUBLIQUE')) NOT VALID;
ALTER TABLE gn_meta.t_datasets ADD CONSTRAINT check_t_datasets_source_status
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_source_status, 'STATUT_SOURCE')) NOT VALID;
ALTER TABLE gn_meta.t_datasets ADD CONSTRAINT check_t_datasets_resource_type
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_resource_type, 'RESOURCE_TYP')) NOT VALID;

CREATE TRIGGER tri_meta_dates_change_t_datasets
  BEFORE INSERT OR UPDATE ON gn_meta.t_datasets
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- ---------------------------------------------------------------------------------------------
-- §1.3 protocols and publications

CREATE TABLE gn_meta.sinp_datatype_protocols (
  id_protocol                  serial       NOT NULL,
  unique_protocol_id           uuid         NOT NULL DEFAULT public.uuid_generate_v4(),
  protocol_name                varchar(255) NOT NULL,
  protocol_desc                text,
  id_nomenclature_protocol_type integer     NOT NULL,
  protocol_url                 varchar(255),
  CONSTRAINT pk_sinp_datatype_protocols PRIMARY KEY (id_protocol),
  CONSTRAINT unique_sinp_datatype_protocols_uuid UNIQUE (unique_protocol_id)
);

ALTER TABLE gn_meta.sinp_datatype_protocols ADD CONSTRAINT check_sinp_datatype_protocol_type
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_protocol_type, 'TYPE_PROTOCOLE')) NOT VALID;

CREATE TABLE gn_meta.sinp_datatype_publications (
  id_publication        serial NOT NULL,
  unique_publication_id uuid   NOT NULL DEFAULT public.uuid_generate_v4(),
  publication_reference text   NOT NULL,
  publication_url       text,
  CONSTRAINT pk_sinp_datatype_publications PRIMARY KEY (id_publication),
  CONSTRAINT unique_sinp_datatype_publications_uuid UNIQUE (unique_publication_id)
);

-- ---------------------------------------------------------------------------------------------
-- §1.3 CA correlation tables

CREATE TABLE gn_meta.cor_acquisition_framework_actor (
  id_cafa                    serial  NOT NULL,
  id_acquisition_framework   integer NOT NULL,
  id_role                    integer,
  id_organism                integer,
  id_nomenclature_actor_role integer NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('ROLE_ACTEUR'),
  CONSTRAINT pk_cor_acquisition_framework_actor PRIMARY KEY (id_cafa),
  CONSTRAINT check_id_role_not_group CHECK (NOT gn_commons.role_is_group(id_role)),
  CONSTRAINT check_is_actor_in_cor_acquisition_framework_actor CHECK (id_role IS NOT NULL OR id_organism IS NOT NULL),
  CONSTRAINT unique_cor_af_actor_role
    UNIQUE (id_acquisition_framework, id_role, id_nomenclature_actor_role),
  CONSTRAINT unique_cor_af_actor_organism
    UNIQUE (id_acquisition_framework, id_organism, id_nomenclature_actor_role),
  CONSTRAINT fk_cor_acquisition_framework_actor_id_acquisition_framework FOREIGN KEY (id_acquisition_framework)
    REFERENCES gn_meta.t_acquisition_frameworks (id_acquisition_framework) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_acquisition_framework_actor_id_role FOREIGN KEY (id_role)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE,
  CONSTRAINT fk_cor_acquisition_framework_actor_id_organism FOREIGN KEY (id_organism)
    REFERENCES utilisateurs.bib_organismes (id_organisme) ON UPDATE CASCADE,
  CONSTRAINT fk_cor_acquisition_framework_actor_id_nomenclature_actor_role FOREIGN KEY (id_nomenclature_actor_role)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);

ALTER TABLE gn_meta.cor_acquisition_framework_actor ADD CONSTRAINT check_cor_acquisition_framework_actor
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_actor_role, 'ROLE_ACTEUR')) NOT VALID;

CREATE TABLE gn_meta.cor_acquisition_framework_objectif (
  id_acquisition_framework integer NOT NULL,
  id_nomenclature_objectif integer NOT NULL,
  CONSTRAINT pk_cor_acquisition_framework_objectif PRIMARY KEY (id_acquisition_framework, id_nomenclature_objectif),
  CONSTRAINT fk_cor_af_objectif_id_acquisition_framework FOREIGN KEY (id_acquisition_framework)
    REFERENCES gn_meta.t_acquisition_frameworks (id_acquisition_framework) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_af_objectif_id_nomenclature_objectif FOREIGN KEY (id_nomenclature_objectif)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);
ALTER TABLE gn_meta.cor_acquisition_framework_objectif ADD CONSTRAINT check_cor_acquisition_framework_objectif
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_objectif, 'CA_OBJECTIFS')) NOT VALID;

CREATE TABLE gn_meta.cor_acquisition_framework_territory (
  id_acquisition_framework  integer NOT NULL,
  id_nomenclature_territory integer NOT NULL,
  CONSTRAINT pk_cor_acquisition_framework_territory PRIMARY KEY (id_acquisition_framework, id_nomenclature_territory),
  CONSTRAINT fk_cor_af_territory_id_acquisition_framework FOREIGN KEY (id_acquisition_framework)
    REFERENCES gn_meta.t_acquisition_frameworks (id_acquisition_framework) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_af_territory_id_nomenclature_territory FOREIGN KEY (id_nomenclature_territory)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);
ALTER TABLE gn_meta.cor_acquisition_framework_territory ADD CONSTRAINT check_cor_acquisition_framework_territory
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_territory, 'TERRITOIRE')) NOT VALID;

CREATE TABLE gn_meta.cor_acquisition_framework_voletsinp (
  id_acquisition_framework  integer NOT NULL,
  id_nomenclature_voletsinp integer NOT NULL,
  CONSTRAINT pk_cor_acquisition_framework_voletsinp PRIMARY KEY (id_acquisition_framework, id_nomenclature_voletsinp),
  CONSTRAINT fk_cor_af_voletsinp_id_acquisition_framework FOREIGN KEY (id_acquisition_framework)
    REFERENCES gn_meta.t_acquisition_frameworks (id_acquisition_framework) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_af_voletsinp_id_nomenclature_voletsinp FOREIGN KEY (id_nomenclature_voletsinp)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);
ALTER TABLE gn_meta.cor_acquisition_framework_voletsinp ADD CONSTRAINT check_cor_acquisition_framework_voletsinp
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_voletsinp, 'VOLET_SINP')) NOT VALID;

CREATE TABLE gn_meta.cor_acquisition_framework_publication (
  id_acquisition_framework integer NOT NULL,
  id_publication           integer NOT NULL,
  CONSTRAINT pk_cor_acquisition_framework_publication PRIMARY KEY (id_acquisition_framework, id_publication),
  CONSTRAINT fk_cor_af_publication_id_acquisition_framework FOREIGN KEY (id_acquisition_framework)
    REFERENCES gn_meta.t_acquisition_frameworks (id_acquisition_framework) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_af_publication_id_publication FOREIGN KEY (id_publication)
    REFERENCES gn_meta.sinp_datatype_publications (id_publication) ON UPDATE CASCADE
);

CREATE TABLE gn_meta.t_bibliographical_references (
  id_bibliographic_reference bigserial     NOT NULL,
  id_acquisition_framework   integer       NOT NULL,
  publication_url            varchar,
  publication_reference      varchar       NOT NULL,
  CONSTRAINT t_bibliographical_references_pkey PRIMARY KEY (id_bibliographic_reference),
  CONSTRAINT t_bibliographical_references_id_acquisition_framework_fkey FOREIGN KEY (id_acquisition_framework)
    REFERENCES gn_meta.t_acquisition_frameworks (id_acquisition_framework) ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------
-- §1.3 JDD correlation tables

CREATE TABLE gn_meta.cor_dataset_actor (
  id_cda                     serial  NOT NULL,
  id_dataset                 integer NOT NULL,
  id_role                    integer,
  id_organism                integer,
  id_nomenclature_actor_role integer NOT NULL DEFAULT ref_nomenclatures.get_default_nomenclature_value('ROLE_ACTEUR'),
  CONSTRAINT pk_cor_dataset_actor PRIMARY KEY (id_cda),
  CONSTRAINT check_id_role_not_group CHECK (NOT gn_commons.role_is_group(id_role)),
  CONSTRAINT check_is_actor_in_cor_dataset_actor CHECK (id_role IS NOT NULL OR id_organism IS NOT NULL),
  CONSTRAINT unique_cor_dataset_actor_role
    UNIQUE (id_dataset, id_role, id_nomenclature_actor_role),
  CONSTRAINT unique_cor_dataset_actor_organism
    UNIQUE (id_dataset, id_organism, id_nomenclature_actor_role),
  CONSTRAINT fk_cor_dataset_actor_id_dataset FOREIGN KEY (id_dataset)
    REFERENCES gn_meta.t_datasets (id_dataset) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_dataset_actor_id_role FOREIGN KEY (id_role)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE,
  CONSTRAINT fk_dataset_actor_id_organism FOREIGN KEY (id_organism)
    REFERENCES utilisateurs.bib_organismes (id_organisme) ON UPDATE CASCADE,
  CONSTRAINT fk_cor_dataset_actor_id_nomenclature_actor_role FOREIGN KEY (id_nomenclature_actor_role)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);
ALTER TABLE gn_meta.cor_dataset_actor ADD CONSTRAINT check_cor_dataset_actor
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_actor_role, 'ROLE_ACTEUR')) NOT VALID;

CREATE TABLE gn_meta.cor_dataset_territory (
  id_dataset                integer NOT NULL,
  id_nomenclature_territory integer NOT NULL,
  territory_desc            text,
  CONSTRAINT pk_cor_dataset_territory PRIMARY KEY (id_dataset, id_nomenclature_territory),
  CONSTRAINT fk_cor_dataset_territory_id_dataset FOREIGN KEY (id_dataset)
    REFERENCES gn_meta.t_datasets (id_dataset) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_dataset_territory_id_nomenclature_territory FOREIGN KEY (id_nomenclature_territory)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);
ALTER TABLE gn_meta.cor_dataset_territory ADD CONSTRAINT check_cor_dataset_territory
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_territory, 'TERRITOIRE')) NOT VALID;

CREATE TABLE gn_meta.cor_dataset_protocol (
  id_dataset  integer NOT NULL,
  id_protocol integer NOT NULL,
  CONSTRAINT pk_cor_dataset_protocol PRIMARY KEY (id_dataset, id_protocol),
  CONSTRAINT fk_cor_dataset_protocol_id_dataset FOREIGN KEY (id_dataset)
    REFERENCES gn_meta.t_datasets (id_dataset) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_dataset_protocol_id_protocol FOREIGN KEY (id_protocol)
    REFERENCES gn_meta.sinp_datatype_protocols (id_protocol) ON UPDATE CASCADE
);

-- §1.3 / §0.8: a JDD shows up in a module only through this table.
CREATE TABLE gn_commons.cor_module_dataset (
  id_module  integer NOT NULL,
  id_dataset integer NOT NULL,
  CONSTRAINT pk_cor_module_dataset PRIMARY KEY (id_module, id_dataset),
  CONSTRAINT fk_cor_module_dataset_id_module FOREIGN KEY (id_module)
    REFERENCES gn_commons.t_modules (id_module) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_module_dataset_id_dataset FOREIGN KEY (id_dataset)
    REFERENCES gn_meta.t_datasets (id_dataset) ON UPDATE CASCADE ON DELETE CASCADE
);
