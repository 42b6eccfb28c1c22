-- 08: schema `gn_sensitivity`: sensitivity rules, and the synthese triggers that apply them.
-- Reference §3 (3.1 tables and the t_sensitivity_rules_cd_ref materialized view, 3.2 the exact
-- algorithm of get_id_nomenclature_sensitivity, its callers), §4.1 (cor_sensitivity_area_type:
-- which area type blurs which sensitivity level). The tables have no primary keys upstream either.
-- The criteria object passed on INSERT holds STATUT_BIO and OCC_COMPORTEMENT, as in §3.2.

CREATE SCHEMA gn_sensitivity;

CREATE TABLE gn_sensitivity.t_sensitivity_rules (
  id_sensitivity              serial        NOT NULL,
  cd_nom                      integer       NOT NULL,
  nom_cite                    varchar(1000),
  id_nomenclature_sensitivity integer       NOT NULL,
  sensitivity_duration        integer       NOT NULL,
  sensitivity_territory       varchar(1000),
  id_territory                varchar(50),
  date_min                    date,
  date_max                    date,
  source                      varchar(250),
  active                      boolean       DEFAULT true,
  comments                    varchar(500),
  meta_create_date            timestamp     DEFAULT now(),
  meta_update_date            timestamp,
  CONSTRAINT t_sensitivity_rules_pkey PRIMARY KEY (id_sensitivity),
  CONSTRAINT fk_t_sensitivity_rules_cd_nom FOREIGN KEY (cd_nom)
    REFERENCES taxonomie.taxref (cd_nom) ON UPDATE CASCADE,
  CONSTRAINT fk_t_sensitivity_rules_id_nomenclature_sensitivity FOREIGN KEY (id_nomenclature_sensitivity)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);

COMMENT ON COLUMN gn_sensitivity.t_sensitivity_rules.sensitivity_duration IS
  'Years the rule applies after the observation; importers use 10000 when the referential leaves it blank (§3.1).';

ALTER TABLE gn_sensitivity.t_sensitivity_rules ADD CONSTRAINT check_t_sensitivity_rules_niv_precis
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature_sensitivity, 'SENSIBILITE')) NOT VALID;

CREATE TRIGGER tri_meta_dates_change_t_sensitivity_rules
  BEFORE INSERT OR UPDATE ON gn_sensitivity.t_sensitivity_rules
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- A rule with areas applies only where one of them intersects the observation.
CREATE TABLE gn_sensitivity.cor_sensitivity_area (
  id_sensitivity integer,
  id_area        integer,
  CONSTRAINT fk_cor_sensitivity_area_id_sensitivity_fkey FOREIGN KEY (id_sensitivity)
    REFERENCES gn_sensitivity.t_sensitivity_rules (id_sensitivity) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT fk_cor_sensitivity_area_id_area_fkey FOREIGN KEY (id_area)
    REFERENCES ref_geo.l_areas (id_area)
);
CREATE INDEX cor_sensitivity_area_id_sensitivity_idx ON gn_sensitivity.cor_sensitivity_area (id_sensitivity);

-- A rule with criteria applies only to observations whose STATUT_BIO or OCC_COMPORTEMENT is listed.
CREATE TABLE gn_sensitivity.cor_sensitivity_criteria (
  id_sensitivity       integer,
  id_criteria          integer,
  id_type_nomenclature integer,
  CONSTRAINT criteria_id_sensitivity_fkey FOREIGN KEY (id_sensitivity)
    REFERENCES gn_sensitivity.t_sensitivity_rules (id_sensitivity) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT criteria_id_criteria_fkey FOREIGN KEY (id_criteria)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature),
  CONSTRAINT criteria_id_type_nomenclature_fkey FOREIGN KEY (id_type_nomenclature)
    REFERENCES ref_nomenclatures.bib_nomenclatures_types (id_type)
);
CREATE INDEX cor_sensitivity_criteria_id_sensitivity_idx ON gn_sensitivity.cor_sensitivity_criteria (id_sensitivity);

-- §4.1: area type used to blur each sensitivity level (1 COM, 2 M10, 3 DEP; 4 has none).
CREATE TABLE gn_sensitivity.cor_sensitivity_area_type (
  id_nomenclature_sensitivity integer,
  id_area_type                integer,
  CONSTRAINT cor_sensitivity_area_type_id_nomenclature_sensitivity_fkey FOREIGN KEY (id_nomenclature_sensitivity)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature),
  CONSTRAINT cor_sensitivity_area_type_id_area_type_fkey FOREIGN KEY (id_area_type)
    REFERENCES ref_geo.bib_areas_types (id_type)
);

-- §3.1: active rules expanded to every descendant (walking taxref.cd_taxsup), keyed by cd_ref.
-- Created WITH NO DATA like upstream: it must be refreshed before use (the builder does).
CREATE MATERIALIZED VIEW gn_sensitivity.t_sensitivity_rules_cd_ref AS
WITH RECURSIVE r AS (
  SELECT t.cd_ref, s.id_sensitivity, s.cd_nom, s.nom_cite, s.id_nomenclature_sensitivity,
         s.sensitivity_duration, s.sensitivity_territory, s.id_territory,
         COALESCE(s.date_min, DATE '1900-01-01') AS date_min,
         COALESCE(s.date_max, DATE '1900-12-31') AS date_max,
         s.active, s.comments, s.meta_create_date, s.meta_update_date
  FROM gn_sensitivity.t_sensitivity_rules s
  JOIN taxonomie.taxref t ON t.cd_nom = s.cd_nom
  WHERE s.active = true
  UNION ALL
  SELECT t.cd_ref, r.id_sensitivity, t.cd_nom, r.nom_cite, r.id_nomenclature_sensitivity,
         r.sensitivity_duration, r.sensitivity_territory, r.id_territory,
         r.date_min, r.date_max, r.active, r.comments, r.meta_create_date, r.meta_update_date
  FROM taxonomie.taxref t
  JOIN r ON t.cd_taxsup = r.cd_ref
)
SELECT * FROM r
WITH NO DATA;

-- §3.2, same semantics: exact cd_ref; area rules match by ST_Intersects on l_areas.geom (enable is
-- ignored); period compared as 'MMDD' strings (wrap-around periods never match); the observation
-- year must be >= current year - duration; criteria match any listed id; strictest code wins;
-- '0' when nothing matches. IMMUTABLE although it reads tables, like upstream.
CREATE FUNCTION gn_sensitivity.get_id_nomenclature_sensitivity(
  my_date_obs date, my_cd_ref integer, my_geom geometry, my_criterias jsonb)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT r.id_nomenclature_sensitivity INTO result
  FROM gn_sensitivity.t_sensitivity_rules_cd_ref r
  JOIN ref_nomenclatures.t_nomenclatures n ON n.id_nomenclature = r.id_nomenclature_sensitivity
  LEFT JOIN gn_sensitivity.cor_sensitivity_area csa ON csa.id_sensitivity = r.id_sensitivity
  LEFT JOIN ref_geo.l_areas a ON a.id_area = csa.id_area
  LEFT JOIN gn_sensitivity.cor_sensitivity_criteria c ON c.id_sensitivity = r.id_sensitivity
  WHERE r.cd_ref = my_cd_ref
    AND (a.geom IS NULL OR ST_Intersects(my_geom, a.geom))
    AND to_char(my_date_obs, 'MMDD') BETWEEN to_char(r.date_min, 'MMDD') AND to_char(r.date_max, 'MMDD')
    AND (date_part('year', CURRENT_TIMESTAMP) - r.sensitivity_duration) <= date_part('year', my_date_obs)
    AND (c.id_criteria IS NULL OR c.id_criteria IN (SELECT value::integer FROM jsonb_each_text(my_criterias)))
  ORDER BY n.cd_nomenclature DESC
  LIMIT 1;
  IF result IS NULL THEN
    result := ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '0');
  END IF;
  RETURN result;
END;
$fn$;

-- §3.2: diffusion level from sensitivity when none is given (no longer used by the triggers).
CREATE FUNCTION gn_sensitivity.calculate_cd_diffusion_level(cd_nomenclature_diffusion_level varchar, cd_nomenclature_sensitivity varchar)
RETURNS varchar
LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT COALESCE(cd_nomenclature_diffusion_level,
    CASE cd_nomenclature_sensitivity WHEN '0' THEN '5' WHEN '1' THEN '1' WHEN '2' THEN '2'
                                     WHEN '3' THEN '3' WHEN '4' THEN '4' END)
$fn$;

-- ---------------------------------------------------------------------------------------------
-- Callers on gn_synthese.synthese (§2.1 trigger list, §3.2).

CREATE FUNCTION gn_synthese.fct_tri_calculate_sensitivity_on_each_statement()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  UPDATE gn_synthese.synthese s
  SET id_nomenclature_sensitivity = c.id_nomenclature_sensitivity
  FROM (
    SELECT n.id_synthese,
           gn_sensitivity.get_id_nomenclature_sensitivity(
             n.date_min::date,
             taxonomie.find_cdref(n.cd_nom),
             n.the_geom_local,
             jsonb_build_object('STATUT_BIO', n.id_nomenclature_bio_status,
                                'OCC_COMPORTEMENT', n.id_nomenclature_behaviour)) AS id_nomenclature_sensitivity
    FROM new_rows n
  ) c
  WHERE c.id_synthese = s.id_synthese;
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER tri_insert_calculate_sensitivity
  AFTER INSERT ON gn_synthese.synthese
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION gn_synthese.fct_tri_calculate_sensitivity_on_each_statement();

CREATE FUNCTION gn_synthese.fct_tri_update_sensitivity_on_each_row()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  NEW.id_nomenclature_sensitivity := gn_sensitivity.get_id_nomenclature_sensitivity(
    NEW.date_min::date,
    taxonomie.find_cdref(NEW.cd_nom),
    NEW.the_geom_local,
    jsonb_build_object('STATUT_BIO', NEW.id_nomenclature_bio_status,
                       'OCC_COMPORTEMENT', NEW.id_nomenclature_behaviour));
  RETURN NEW;
END;
$fn$;

CREATE TRIGGER tri_update_calculate_sensitivity
  BEFORE UPDATE OF date_min, date_max, cd_nom, the_geom_local, id_nomenclature_bio_status, id_nomenclature_behaviour
  ON gn_synthese.synthese
  FOR EACH ROW EXECUTE FUNCTION gn_synthese.fct_tri_update_sensitivity_on_each_row();

-- `geonature sensitivity update-synthese`: recompute where it may change; returns rows changed.
CREATE FUNCTION gn_synthese.update_sensitivity()
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
  changed integer;
  level0 integer := ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '0');
BEGIN
  WITH computed AS (
    SELECT s.id_synthese, s.id_nomenclature_sensitivity AS old_value,
           gn_sensitivity.get_id_nomenclature_sensitivity(
             s.date_min::date, taxonomie.find_cdref(s.cd_nom), s.the_geom_local,
             jsonb_build_object('STATUT_BIO', s.id_nomenclature_bio_status,
                                'OCC_COMPORTEMENT', s.id_nomenclature_behaviour)) AS new_value
    FROM gn_synthese.synthese s
    WHERE s.id_nomenclature_sensitivity IS NULL
       OR s.id_nomenclature_sensitivity <> level0
       OR taxonomie.find_cdref(s.cd_nom) IN (SELECT r.cd_ref FROM gn_sensitivity.t_sensitivity_rules_cd_ref r)
  )
  UPDATE gn_synthese.synthese s
  SET id_nomenclature_sensitivity = c.new_value
  FROM computed c
  WHERE c.id_synthese = s.id_synthese AND c.old_value IS DISTINCT FROM c.new_value;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END;
$fn$;
