-- 05: schema `gn_commons`: modules, parameters and shared helper functions.
-- Reference §0.8 (cor_module_dataset makes a JDD visible in a module; created in 06-gn-meta.sql
-- because it references gn_meta.t_datasets), §1.3 (role_is_group), §2.1 (meta_v_taxref defaults to
-- get_default_parameter('taxref_version')). Columns as in docs/data_model/gn_commons/*.sql (2.17).
-- Simplified: no medias, validations, history, places, additional fields, mobile apps.

CREATE SCHEMA gn_commons;

CREATE TABLE gn_commons.t_modules (
  id_module           serial       NOT NULL,
  module_code         varchar(50)  NOT NULL,
  module_label        varchar(255) NOT NULL,
  module_picto        varchar(255),
  module_desc         text,
  module_group        varchar(50),
  module_path         varchar(255),
  module_external_url varchar(255),
  module_target       varchar(10),
  module_comment      text,
  active_frontend     boolean      NOT NULL,
  active_backend      boolean      NOT NULL,
  module_doc_url      varchar(255),
  module_order        integer,
  type                varchar(255) NOT NULL DEFAULT 'base',
  meta_create_date    timestamp    DEFAULT now(),
  meta_update_date    timestamp    DEFAULT now(),
  ng_module           varchar(500),
  CONSTRAINT pk_t_modules PRIMARY KEY (id_module),
  CONSTRAINT unique_t_modules_module_code UNIQUE (module_code),
  CONSTRAINT unique_t_modules_module_path UNIQUE (module_path),
  CONSTRAINT check_urls_not_null CHECK (module_path IS NOT NULL OR module_external_url IS NOT NULL)
);

CREATE TRIGGER tri_meta_dates_change_t_modules
  BEFORE INSERT OR UPDATE ON gn_commons.t_modules
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- Install parameters, optionally per organism. Since migration ca052245c6ec there is no
-- 'local_srid' parameter any more: the local SRID is only in the geometry column types (§0.4, §0.9).
CREATE TABLE gn_commons.t_parameters (
  id_parameter          serial       NOT NULL,
  id_organism           integer,
  parameter_name        varchar(100) NOT NULL,
  parameter_desc        text,
  parameter_value       text         NOT NULL,
  parameter_extra_value varchar(255),
  CONSTRAINT pk_t_parameters PRIMARY KEY (id_parameter),
  CONSTRAINT unique_t_parameters_id_organism_parameter_name UNIQUE (id_organism, parameter_name),
  CONSTRAINT fk_t_parameters_bib_organismes FOREIGN KEY (id_organism)
    REFERENCES utilisateurs.bib_organismes (id_organisme) ON UPDATE CASCADE
);

CREATE UNIQUE INDEX i_unique_t_parameters_parameter_name_with_id_organism_null
  ON gn_commons.t_parameters (parameter_name) WHERE id_organism IS NULL;

-- Value of a parameter for an organism; any organism's when myidorganisme is NULL.
CREATE FUNCTION gn_commons.get_default_parameter(myparamname text, myidorganisme integer DEFAULT 0)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result text;
BEGIN
  SELECT p.parameter_value INTO result
  FROM gn_commons.t_parameters p
  WHERE p.parameter_name = myparamname
    AND (myidorganisme IS NULL OR p.id_organism = myidorganisme)
  ORDER BY p.id_parameter
  LIMIT 1;
  RETURN result;
END;
$fn$;

-- True when the role is a group (NULL for NULL or an unknown role, which a CHECK accepts).
CREATE FUNCTION gn_commons.role_is_group(myidrole integer)
RETURNS boolean
LANGUAGE plpgsql
AS $fn$
DECLARE
  result boolean;
BEGIN
  SELECT r.groupe INTO result FROM utilisateurs.t_roles r WHERE r.id_role = myidrole;
  RETURN result;
END;
$fn$;

CREATE FUNCTION gn_commons.get_id_module_bycode(mymodule text)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT m.id_module INTO result FROM gn_commons.t_modules m WHERE m.module_code ILIKE mymodule;
  RETURN result;
END;
$fn$;
