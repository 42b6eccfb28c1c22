-- 07: schema `gn_synthese`: the observations (synthese), their sources, area links and defaults.
-- Reference §2 (2.1 synthese with the current column set, 2.2 t_sources, 2.3 cor_area_synthese),
-- §0.4–0.7 (what the database does and does not compute on write). {{LOCAL_SRID}} is replaced by the
-- builder (default 2154): read it with Find_SRID('gn_synthese', 'synthese', 'the_geom_local').
--
-- What a client sees after an INSERT into synthese (all modelled below or in 08-gn-sensitivity.sql):
--  * meta_create_date is replaced by now() (row trigger, §0.1);
--  * id_nomenclature_sensitivity is computed (statement trigger, §3.2) by an UPDATE of the new rows,
--    and that UPDATE goes through the meta-dates trigger again: meta_update_date becomes now() too;
--  * cor_area_synthese gets one row per enabled area whose geom intersects the_geom_local (§2.3);
--  * the_geom_local and the_geom_point are NOT computed: the client writes them (§0.4);
--  * unique_id_sinp has no default (§0.5).
-- Simplified: cd_hab has no FK (no ref_habitats), id_import has no FK (no gn_imports); no views,
-- no import_json_row, no t_reports.

CREATE SCHEMA gn_synthese;

-- §2.1: defaults of the synthese nomenclature columns, per organism, kingdom and INPN group.
CREATE TABLE gn_synthese.defaults_nomenclatures_value (
  mnemonique_type varchar(50)  NOT NULL,
  id_organism     integer      NOT NULL DEFAULT 0,
  regne           varchar(20)  NOT NULL DEFAULT '0',
  group2_inpn     varchar(255) NOT NULL DEFAULT '0',
  id_nomenclature integer      NOT NULL,
  CONSTRAINT pk_gn_synthese_defaults_nomenclatures_value PRIMARY KEY (mnemonique_type, id_organism, regne, group2_inpn),
  CONSTRAINT fk_gn_synthese_defaults_nomenclatures_value_mnemonique_type FOREIGN KEY (mnemonique_type)
    REFERENCES ref_nomenclatures.bib_nomenclatures_types (mnemonique) ON UPDATE CASCADE,
  CONSTRAINT fk_gn_synthese_defaults_nomenclatures_value_id_organism FOREIGN KEY (id_organism)
    REFERENCES utilisateurs.bib_organismes (id_organisme) ON UPDATE CASCADE
);

ALTER TABLE gn_synthese.defaults_nomenclatures_value
  ADD CONSTRAINT check_gn_synthese_defaults_nomenclatures_value_is_nomenclature_
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature, mnemonique_type)) NOT VALID;
ALTER TABLE gn_synthese.defaults_nomenclatures_value
  ADD CONSTRAINT check_gn_synthese_defaults_nomenclatures_value_isgroup2inpn
  CHECK (taxonomie.check_is_group2inpn(group2_inpn::text) OR group2_inpn::text = '0') NOT VALID;
ALTER TABLE gn_synthese.defaults_nomenclatures_value
  ADD CONSTRAINT check_gn_synthese_defaults_nomenclatures_value_isregne
  CHECK (taxonomie.check_is_regne(regne::text) OR regne::text = '0') NOT VALID;

-- Most specific default wins: INPN group, then kingdom, then the organism's own over 'ALL'.
CREATE FUNCTION gn_synthese.get_default_nomenclature_value(
  myidtype varchar,
  myidorganism integer DEFAULT NULL,
  myregne varchar DEFAULT '0',
  mygroup2inpn varchar DEFAULT '0')
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT d.id_nomenclature INTO result
  FROM gn_synthese.defaults_nomenclatures_value d
  JOIN utilisateurs.bib_organismes o ON o.id_organisme = d.id_organism
  WHERE d.mnemonique_type = myidtype
    AND (d.id_organism = myidorganism OR o.nom_organisme = 'ALL')
    AND (d.regne = myregne OR d.regne = '0')
    AND (d.group2_inpn = mygroup2inpn OR d.group2_inpn = '0')
  ORDER BY d.group2_inpn DESC, d.regne DESC, (d.id_organism IS NOT DISTINCT FROM myidorganism) DESC
  LIMIT 1;
  RETURN result;
END;
$fn$;

-- §2.2: where rows come from. An external client creates its own row (unique name).
CREATE TABLE gn_synthese.t_sources (
  id_source              serial       NOT NULL,
  name_source            varchar(255) NOT NULL,
  desc_source            text,
  entity_source_pk_field varchar(255),
  url_source             varchar(255),
  meta_create_date       timestamp    DEFAULT now(),
  meta_update_date       timestamp    DEFAULT now(),
  id_module              integer,
  CONSTRAINT pk_t_sources PRIMARY KEY (id_source),
  CONSTRAINT unique_name_source UNIQUE (name_source),
  CONSTRAINT t_sources_id_module_fkey FOREIGN KEY (id_module) REFERENCES gn_commons.t_modules (id_module)
);

CREATE TRIGGER tri_meta_dates_t_sources
  BEFORE INSERT OR UPDATE ON gn_synthese.t_sources
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- §2.1: the observations.
CREATE TABLE gn_synthese.synthese (
  id_synthese                          serial        NOT NULL,
  unique_id_sinp                       uuid,
  unique_id_sinp_grp                   uuid,
  id_source                            integer       NOT NULL,
  id_module                            integer,
  entity_source_pk_value               varchar,
  id_dataset                           integer,
  id_nomenclature_geo_object_nature    integer       DEFAULT gn_synthese.get_default_nomenclature_value('NAT_OBJ_GEO'),
  id_nomenclature_grp_typ              integer       DEFAULT gn_synthese.get_default_nomenclature_value('TYP_GRP'),
  grp_method                           varchar(255),
  id_nomenclature_obs_technique        integer       DEFAULT gn_synthese.get_default_nomenclature_value('METH_OBS'),
  id_nomenclature_bio_status           integer       DEFAULT gn_synthese.get_default_nomenclature_value('STATUT_BIO'),
  id_nomenclature_bio_condition        integer       DEFAULT gn_synthese.get_default_nomenclature_value('ETA_BIO'),
  id_nomenclature_naturalness          integer       DEFAULT gn_synthese.get_default_nomenclature_value('NATURALITE'),
  id_nomenclature_exist_proof          integer       DEFAULT gn_synthese.get_default_nomenclature_value('PREUVE_EXIST'),
  id_nomenclature_valid_status         integer       DEFAULT gn_synthese.get_default_nomenclature_value('STATUT_VALID'),
  id_nomenclature_diffusion_level      integer,
  id_nomenclature_life_stage           integer       DEFAULT gn_synthese.get_default_nomenclature_value('STADE_VIE'),
  id_nomenclature_sex                  integer       DEFAULT gn_synthese.get_default_nomenclature_value('SEXE'),
  id_nomenclature_obj_count            integer       DEFAULT gn_synthese.get_default_nomenclature_value('OBJ_DENBR'),
  id_nomenclature_type_count           integer       DEFAULT gn_synthese.get_default_nomenclature_value('TYP_DENBR'),
  id_nomenclature_sensitivity          integer,
  id_nomenclature_observation_status   integer       DEFAULT gn_synthese.get_default_nomenclature_value('STATUT_OBS'),
  id_nomenclature_blurring             integer       DEFAULT gn_synthese.get_default_nomenclature_value('DEE_FLOU'),
  id_nomenclature_source_status        integer       DEFAULT gn_synthese.get_default_nomenclature_value('STATUT_SOURCE'),
  id_nomenclature_info_geo_type        integer       DEFAULT gn_synthese.get_default_nomenclature_value('TYP_INF_GEO'),
  id_nomenclature_behaviour            integer       DEFAULT gn_synthese.get_default_nomenclature_value('OCC_COMPORTEMENT'),
  id_nomenclature_biogeo_status        integer       DEFAULT gn_synthese.get_default_nomenclature_value('STAT_BIOGEO'),
  reference_biblio                     varchar(5000),
  count_min                            integer,
  count_max                            integer,
  cd_nom                               integer,
  cd_hab                               integer,
  nom_cite                             varchar(1000) NOT NULL,
  meta_v_taxref                        varchar(50)   DEFAULT gn_commons.get_default_parameter('taxref_version', NULL),
  sample_number_proof                  text,
  digital_proof                        text,
  non_digital_proof                    text,
  altitude_min                         integer,
  altitude_max                         integer,
  depth_min                            integer,
  depth_max                            integer,
  place_name                           varchar(500),
  the_geom_4326                        geometry(Geometry, 4326),
  the_geom_point                       geometry(Point, 4326),
  the_geom_local                       geometry(Geometry, {{LOCAL_SRID}}),
  "precision"                          integer,
  id_area_attachment                   integer,
  date_min                             timestamp     NOT NULL,
  date_max                             timestamp     NOT NULL,
  validator                            varchar(1000),
  validation_comment                   text,
  observers                            varchar(1000),
  determiner                           varchar(1000),
  id_digitiser                         integer,
  id_nomenclature_determination_method integer       DEFAULT gn_synthese.get_default_nomenclature_value('METH_DETERMIN'),
  comment_context                      text,
  comment_description                  text,
  additional_data                      jsonb,
  meta_validation_date                 timestamp,
  meta_create_date                     timestamp     DEFAULT now(),
  meta_update_date                     timestamp     DEFAULT now(),
  last_action                          char(1),
  id_import                            integer,
  CONSTRAINT pk_synthese PRIMARY KEY (id_synthese),
  CONSTRAINT unique_id_sinp_unique UNIQUE (unique_id_sinp),
  CONSTRAINT check_synthese_altitude_max CHECK (altitude_max >= altitude_min),
  CONSTRAINT check_synthese_count_max CHECK (count_max >= count_min),
  CONSTRAINT check_synthese_date_max CHECK (date_max >= date_min),
  CONSTRAINT check_synthese_depth_max CHECK (depth_max >= depth_min),
  CONSTRAINT enforce_dims_the_geom_4326 CHECK (ST_NDims(the_geom_4326) = 2),
  CONSTRAINT enforce_dims_the_geom_local CHECK (ST_NDims(the_geom_local) = 2),
  CONSTRAINT enforce_dims_the_geom_point CHECK (ST_NDims(the_geom_point) = 2),
  CONSTRAINT enforce_geotype_the_geom_point CHECK (GeometryType(the_geom_point) = 'POINT' OR the_geom_point IS NULL),
  CONSTRAINT enforce_srid_the_geom_4326 CHECK (ST_SRID(the_geom_4326) = 4326),
  CONSTRAINT enforce_srid_the_geom_local CHECK (ST_SRID(the_geom_local) = {{LOCAL_SRID}}),
  CONSTRAINT enforce_srid_the_geom_point CHECK (ST_SRID(the_geom_point) = 4326),
  CONSTRAINT fk_synthese_id_source FOREIGN KEY (id_source)
    REFERENCES gn_synthese.t_sources (id_source) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_module FOREIGN KEY (id_module)
    REFERENCES gn_commons.t_modules (id_module) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_dataset FOREIGN KEY (id_dataset)
    REFERENCES gn_meta.t_datasets (id_dataset) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_cd_nom FOREIGN KEY (cd_nom)
    REFERENCES taxonomie.taxref (cd_nom) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_area_attachment FOREIGN KEY (id_area_attachment)
    REFERENCES ref_geo.l_areas (id_area) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_digitiser FOREIGN KEY (id_digitiser)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_geo_object_nature FOREIGN KEY (id_nomenclature_geo_object_nature)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_id_nomenclature_grp_typ FOREIGN KEY (id_nomenclature_grp_typ)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_obs_technique FOREIGN KEY (id_nomenclature_obs_technique)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_bio_status FOREIGN KEY (id_nomenclature_bio_status)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_bio_condition FOREIGN KEY (id_nomenclature_bio_condition)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_naturalness FOREIGN KEY (id_nomenclature_naturalness)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_exist_proof FOREIGN KEY (id_nomenclature_exist_proof)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_valid_status FOREIGN KEY (id_nomenclature_valid_status)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_diffusion_level FOREIGN KEY (id_nomenclature_diffusion_level)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_life_stage FOREIGN KEY (id_nomenclature_life_stage)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_sex FOREIGN KEY (id_nomenclature_sex)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_obj_count FOREIGN KEY (id_nomenclature_obj_count)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_type_count FOREIGN KEY (id_nomenclature_type_count)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_sensitivity FOREIGN KEY (id_nomenclature_sensitivity)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_observation_status FOREIGN KEY (id_nomenclature_observation_status)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_blurring FOREIGN KEY (id_nomenclature_blurring)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_source_status FOREIGN KEY (id_nomenclature_source_status)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_info_geo_type FOREIGN KEY (id_nomenclature_info_geo_type)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_behaviour FOREIGN KEY (id_nomenclature_behaviour)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_biogeo_status FOREIGN KEY (id_nomenclature_biogeo_status)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE,
  CONSTRAINT fk_synthese_id_nomenclature_determination_method FOREIGN KEY (id_nomenclature_determination_method)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);

-- Nomenclature type CHECKs (NOT VALID, as in GeoNature).
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_geo_object_nature
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_geo_object_nature, 'NAT_OBJ_GEO')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_typ_grp
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_grp_typ, 'TYP_GRP')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_obs_meth
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_obs_technique, 'METH_OBS')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_bio_status
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_bio_status, 'STATUT_BIO')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_bio_condition
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_bio_condition, 'ETA_BIO')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_naturalness
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_naturalness, 'NATURALITE')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_exist_proof
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_exist_proof, 'PREUVE_EXIST')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_valid_status
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_valid_status, 'STATUT_VALID')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_diffusion_level
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_diffusion_level, 'NIV_PRECIS')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_life_stage
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_life_stage, 'STADE_VIE')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_sex
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_sex, 'SEXE')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_obj_count
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_obj_count, 'OBJ_DENBR')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_type_count
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_type_count, 'TYP_DENBR')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_sensitivity
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_sensitivity, 'SENSIBILITE')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_observation_status
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_observation_status, 'STATUT_OBS')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_blurring
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_blurring, 'DEE_FLOU')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_source_status
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_source_status, 'STATUT_SOURCE')) NOT VALID;
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_biogeo_status
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_biogeo_status, 'STAT_BIOGEO')) NOT VALID;
-- TYP_INF_GEO '2' (Rattachement) requires an attachment area (§2.1).
ALTER TABLE gn_synthese.synthese ADD CONSTRAINT check_synthese_info_geo_type_id_area_attachment
  CHECK (NOT (ref_nomenclatures.get_cd_nomenclature(id_nomenclature_info_geo_type)::text = '2'
              AND id_area_attachment IS NULL)) NOT VALID;

CREATE INDEX i_synthese_altitude_max ON gn_synthese.synthese (altitude_max);
CREATE INDEX i_synthese_altitude_min ON gn_synthese.synthese (altitude_min);
CREATE INDEX i_synthese_cd_nom ON gn_synthese.synthese (cd_nom);
CREATE INDEX i_synthese_date_max ON gn_synthese.synthese (date_max DESC);
CREATE INDEX i_synthese_date_min ON gn_synthese.synthese (date_min DESC);
CREATE INDEX i_synthese_id_dataset ON gn_synthese.synthese (id_dataset);
CREATE INDEX i_synthese_t_sources ON gn_synthese.synthese (id_source);
CREATE INDEX i_synthese_the_geom_4326 ON gn_synthese.synthese USING gist (the_geom_4326);
CREATE INDEX i_synthese_the_geom_local ON gn_synthese.synthese USING gist (the_geom_local);
CREATE INDEX i_synthese_the_geom_point ON gn_synthese.synthese USING gist (the_geom_point);
CREATE INDEX synthese_id_import_idx ON gn_synthese.synthese (id_import);
CREATE INDEX synthese_observers_idx ON gn_synthese.synthese (observers);

CREATE TRIGGER tri_meta_dates_change_synthese
  BEFORE INSERT OR UPDATE ON gn_synthese.synthese
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- ---------------------------------------------------------------------------------------------
-- §2.3 cor_area_synthese: observation <-> area, maintained by triggers in both directions.

CREATE TABLE gn_synthese.cor_area_synthese (
  id_synthese integer NOT NULL,
  id_area     integer NOT NULL,
  CONSTRAINT pk_cor_area_synthese PRIMARY KEY (id_synthese, id_area),
  CONSTRAINT fk_cor_area_synthese_id_synthese FOREIGN KEY (id_synthese)
    REFERENCES gn_synthese.synthese (id_synthese) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_area_synthese_id_area FOREIGN KEY (id_area)
    REFERENCES ref_geo.l_areas (id_area) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE INDEX i_cor_area_synthese_id_area ON gn_synthese.cor_area_synthese (id_area);

-- Enabled areas intersecting the_geom_local; an area that only touches a non-point geometry is
-- left out (a point on a border belongs to both sides).
CREATE FUNCTION gn_synthese.fct_trig_insert_in_cor_area_synthese_on_each_statement()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  INSERT INTO gn_synthese.cor_area_synthese (id_synthese, id_area)
  SELECT n.id_synthese, a.id_area
  FROM new_rows n
  JOIN ref_geo.l_areas a ON ST_Intersects(n.the_geom_local, a.geom)
  WHERE a.enable
    AND (ST_GeometryType(n.the_geom_local) = 'ST_Point' OR NOT ST_Touches(n.the_geom_local, a.geom));
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER tri_insert_cor_area_synthese
  AFTER INSERT ON gn_synthese.synthese
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION gn_synthese.fct_trig_insert_in_cor_area_synthese_on_each_statement();

CREATE FUNCTION gn_synthese.fct_trig_update_in_cor_area_synthese()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  DELETE FROM gn_synthese.cor_area_synthese WHERE id_synthese = NEW.id_synthese;
  INSERT INTO gn_synthese.cor_area_synthese (id_synthese, id_area)
  SELECT NEW.id_synthese, a.id_area
  FROM ref_geo.l_areas a
  WHERE a.enable
    AND ST_Intersects(NEW.the_geom_local, a.geom)
    AND (ST_GeometryType(NEW.the_geom_local) = 'ST_Point' OR NOT ST_Touches(NEW.the_geom_local, a.geom));
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER tri_update_cor_area_synthese
  AFTER UPDATE OF the_geom_local, the_geom_4326 ON gn_synthese.synthese
  FOR EACH ROW EXECUTE FUNCTION gn_synthese.fct_trig_update_in_cor_area_synthese();

-- New or changed areas are intersected with every observation.
CREATE FUNCTION gn_synthese.fct_trig_l_areas_insert_cor_area_synthese_on_each_statement()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  INSERT INTO gn_synthese.cor_area_synthese (id_area, id_synthese)
  SELECT a.id_area, s.id_synthese
  FROM new_areas a
  JOIN gn_synthese.synthese s ON ST_Intersects(s.the_geom_local, a.geom)
  WHERE a.enable
    AND (ST_GeometryType(s.the_geom_local) = 'ST_Point' OR NOT ST_Touches(s.the_geom_local, a.geom));
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER tri_insert_cor_area_synthese
  AFTER INSERT ON ref_geo.l_areas
  REFERENCING NEW TABLE AS new_areas
  FOR EACH STATEMENT EXECUTE FUNCTION gn_synthese.fct_trig_l_areas_insert_cor_area_synthese_on_each_statement();

CREATE FUNCTION gn_synthese.fct_trig_l_areas_update_cor_area_synthese_on_each_statement()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  DELETE FROM gn_synthese.cor_area_synthese c USING new_areas a WHERE c.id_area = a.id_area;
  INSERT INTO gn_synthese.cor_area_synthese (id_area, id_synthese)
  SELECT a.id_area, s.id_synthese
  FROM new_areas a
  JOIN gn_synthese.synthese s ON ST_Intersects(s.the_geom_local, a.geom)
  WHERE a.enable
    AND (ST_GeometryType(s.the_geom_local) = 'ST_Point' OR NOT ST_Touches(s.the_geom_local, a.geom));
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER tri_update_cor_area_synthese
  AFTER UPDATE ON ref_geo.l_areas
  REFERENCING NEW TABLE AS new_areas
  FOR EACH STATEMENT EXECUTE FUNCTION gn_synthese.fct_trig_l_areas_update_cor_area_synthese_on_each_statement();

-- ---------------------------------------------------------------------------------------------
-- §0.7 observers: inserting into cor_observer_synthese rewrites synthese.observers.

CREATE TABLE gn_synthese.cor_observer_synthese (
  id_synthese integer NOT NULL,
  id_role     integer NOT NULL,
  CONSTRAINT pk_cor_observer_synthese PRIMARY KEY (id_synthese, id_role),
  CONSTRAINT fk_gn_synthese_id_synthese FOREIGN KEY (id_synthese)
    REFERENCES gn_synthese.synthese (id_synthese) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_gn_synthese_id_role FOREIGN KEY (id_role)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE
);

CREATE FUNCTION gn_synthese.fct_tri_maj_observers_txt()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
DECLARE
  target integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.id_synthese ELSE NEW.id_synthese END;
BEGIN
  UPDATE gn_synthese.synthese
  SET observers = (
    SELECT string_agg(r.nom_role || ' ' || r.prenom_role, ', ')
    FROM utilisateurs.t_roles r
    JOIN gn_synthese.cor_observer_synthese c ON c.id_role = r.id_role
    WHERE c.id_synthese = target)
  WHERE id_synthese = target;
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER trg_maj_synthese_observers_txt
  AFTER INSERT OR UPDATE OR DELETE ON gn_synthese.cor_observer_synthese
  FOR EACH ROW EXECUTE FUNCTION gn_synthese.fct_tri_maj_observers_txt();

-- ---------------------------------------------------------------------------------------------
-- §2.1 deletions are logged (incremental sync, gn2pg; issue #789, PR #1835).

CREATE TABLE gn_synthese.t_log_synthese (
  id_synthese           integer   NOT NULL,
  last_action           char(1)   NOT NULL,
  meta_last_action_date timestamp DEFAULT now(),
  CONSTRAINT t_log_synthese_pkey PRIMARY KEY (id_synthese)
);

CREATE FUNCTION gn_synthese.fct_tri_log_delete_on_synthese()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  INSERT INTO gn_synthese.t_log_synthese (id_synthese, last_action, meta_last_action_date)
  SELECT o.id_synthese, 'D', now() FROM old_table o
  ON CONFLICT (id_synthese) DO UPDATE SET last_action = 'D', meta_last_action_date = now();
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER tri_log_delete_synthese
  AFTER DELETE ON gn_synthese.synthese
  REFERENCING OLD TABLE AS old_table
  FOR EACH STATEMENT EXECUTE FUNCTION gn_synthese.fct_tri_log_delete_on_synthese();
