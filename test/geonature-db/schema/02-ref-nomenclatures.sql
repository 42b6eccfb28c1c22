-- 02: schema `ref_nomenclatures` (PnX-SI/Nomenclature-api-module): SINP nomenclature types and values.
-- Reference §6 (tables, functions), §0.2 (ids differ per install: resolve by type mnemonique + code).
--
-- label_default is NOT NULL, as in a running install. The SINP data file
-- (nomenclatures_inpn_data.sql) inserts label_fr only, copies it into label_default and then sets
-- NOT NULL itself: the builder lifts the constraint just for that file, which puts it back.

CREATE SCHEMA ref_nomenclatures;

CREATE TABLE ref_nomenclatures.bib_nomenclatures_types (
  id_type            serial       NOT NULL,
  mnemonique         varchar(255),
  label_default      varchar(255) NOT NULL,
  definition_default text,
  label_fr           varchar(255) NOT NULL,
  definition_fr      text,
  label_en           varchar(255),
  definition_en      text,
  label_es           varchar(255),
  definition_es      text,
  label_de           varchar(255),
  definition_de      text,
  label_it           varchar(255),
  definition_it      text,
  source             varchar(50),
  statut             varchar(20),
  meta_create_date   timestamp    DEFAULT now(),
  meta_update_date   timestamp    DEFAULT now(),
  CONSTRAINT pk_bib_nomenclatures_types PRIMARY KEY (id_type),
  CONSTRAINT unique_bib_nomenclatures_types_mnemonique UNIQUE (mnemonique)
);

CREATE TRIGGER tri_meta_dates_change_bib_nomenclatures_types
  BEFORE INSERT OR UPDATE ON ref_nomenclatures.bib_nomenclatures_types
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- One nomenclature value; (id_type, cd_nomenclature) is the install-independent key (§0.2).
CREATE TABLE ref_nomenclatures.t_nomenclatures (
  id_nomenclature    serial       NOT NULL,
  id_type            integer      NOT NULL,
  cd_nomenclature    varchar(255) NOT NULL,
  mnemonique         varchar(255),
  label_default      varchar(255) NOT NULL,
  definition_default text,
  label_fr           varchar(255) NOT NULL,
  definition_fr      text,
  label_en           varchar(255),
  definition_en      text,
  label_es           varchar(255),
  definition_es      text,
  label_de           varchar(255),
  definition_de      text,
  label_it           varchar(255),
  definition_it      text,
  source             varchar(50),
  statut             varchar(20),
  id_broader         integer,
  hierarchy          varchar(255),
  meta_create_date   timestamp    DEFAULT now(),
  meta_update_date   timestamp,
  active             boolean      NOT NULL DEFAULT true,
  CONSTRAINT pk_t_nomenclatures PRIMARY KEY (id_nomenclature),
  CONSTRAINT unique_id_type_cd_nomenclature UNIQUE (id_type, cd_nomenclature),
  CONSTRAINT fk_t_nomenclatures_id_type FOREIGN KEY (id_type)
    REFERENCES ref_nomenclatures.bib_nomenclatures_types (id_type) ON UPDATE CASCADE,
  CONSTRAINT fk_t_nomenclatures_id_broader FOREIGN KEY (id_broader)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature)
);

CREATE INDEX index_t_nomenclatures_bib_nomenclatures_types_fkey ON ref_nomenclatures.t_nomenclatures (id_type);

CREATE TRIGGER tri_meta_dates_change_t_nomenclatures
  BEFORE INSERT OR UPDATE ON ref_nomenclatures.t_nomenclatures
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- Which values apply to which kingdom / INPN group (filled from nomenclatures_taxonomie_data.sql).
CREATE TABLE ref_nomenclatures.cor_taxref_nomenclature (
  id_nomenclature  integer      NOT NULL,
  regne            varchar(255) NOT NULL,
  group2_inpn      varchar(255) NOT NULL,
  meta_create_date timestamp    DEFAULT now(),
  meta_update_date timestamp,
  CONSTRAINT pk_cor_taxref_nomenclature PRIMARY KEY (id_nomenclature, regne, group2_inpn),
  CONSTRAINT fk_cor_taxref_nomenclature_id_nomenclature FOREIGN KEY (id_nomenclature)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);

-- ---------------------------------------------------------------------------------------------
-- Functions (reference §6). GeoNature declares the lookups IMMUTABLE although they read tables;
-- kept so, because a client can observe it (the planner may fold a constant call once per plan).

-- id_type of a type mnemonique ('SENSIBILITE' -> 16 in the shipped data).
CREATE FUNCTION ref_nomenclatures.get_id_nomenclature_type(mytype varchar)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT t.id_type INTO result
  FROM ref_nomenclatures.bib_nomenclatures_types t
  WHERE t.mnemonique = mytype;
  RETURN result;
END;
$fn$;

-- THE way to get an id: by type mnemonique and SINP code (§0.2). NULL when unknown.
CREATE FUNCTION ref_nomenclatures.get_id_nomenclature(mytype varchar, mycdnomenclature varchar)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT n.id_nomenclature INTO result
  FROM ref_nomenclatures.t_nomenclatures n
  WHERE n.id_type = ref_nomenclatures.get_id_nomenclature_type(mytype)
    AND n.cd_nomenclature = mycdnomenclature;
  RETURN result;
END;
$fn$;

CREATE FUNCTION ref_nomenclatures.get_cd_nomenclature(myidnomenclature integer)
RETURNS varchar
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result varchar;
BEGIN
  SELECT n.cd_nomenclature INTO result
  FROM ref_nomenclatures.t_nomenclatures n
  WHERE n.id_nomenclature = myidnomenclature;
  RETURN result;
END;
$fn$;

-- Label in a language ('fr', 'en', …, or 'default'); the column name is built from a whitelist.
CREATE FUNCTION ref_nomenclatures.get_nomenclature_label(myidnomenclature integer DEFAULT NULL, mylanguage varchar DEFAULT 'fr')
RETURNS varchar
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result varchar;
BEGIN
  IF myidnomenclature IS NULL THEN
    RETURN NULL;
  END IF;
  IF mylanguage NOT IN ('default', 'fr', 'en', 'es', 'de', 'it') THEN
    RAISE EXCEPTION 'Unknown nomenclature label language: %', mylanguage;
  END IF;
  EXECUTE format('SELECT %I FROM ref_nomenclatures.t_nomenclatures WHERE id_nomenclature = $1', 'label_' || mylanguage)
    INTO result USING myidnomenclature;
  RETURN result;
END;
$fn$;

CREATE FUNCTION ref_nomenclatures.get_nomenclature_label_by_cdnom_mnemonique(mytype varchar, mycdnomenclature varchar)
RETURNS varchar
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result varchar;
BEGIN
  SELECT n.label_default INTO result
  FROM ref_nomenclatures.t_nomenclatures n
  WHERE n.cd_nomenclature = mycdnomenclature
    AND n.id_type = ref_nomenclatures.get_id_nomenclature_type(mytype);
  RETURN result;
END;
$fn$;

-- Used by every NOT VALID type CHECK of the other schemas ("nomenc(TYPE)" in the reference):
-- true for NULL or an id of the right type, otherwise it RAISES (it never returns false).
CREATE FUNCTION ref_nomenclatures.check_nomenclature_type_by_mnemonique(id integer, mytype varchar)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
AS $fn$
BEGIN
  IF id IS NULL OR EXISTS (
    SELECT 1 FROM ref_nomenclatures.t_nomenclatures n
    WHERE n.id_nomenclature = id
      AND n.id_type = ref_nomenclatures.get_id_nomenclature_type(mytype)
  ) THEN
    RETURN true;
  END IF;
  RAISE EXCEPTION 'Error : id_nomenclature --> (%) and nomenclature --> (%) type didn''t match. Use id_nomenclature in corresponding type (mnemonique field). See ref_nomenclatures.t_nomenclatures.id_type.', id, mytype;
END;
$fn$;

-- Same check, by SINP code.
CREATE FUNCTION ref_nomenclatures.check_nomenclature_type_by_cd_nomenclature(mycdnomenclature varchar, mytype varchar)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
AS $fn$
BEGIN
  IF mycdnomenclature IS NULL OR ref_nomenclatures.get_id_nomenclature(mytype, mycdnomenclature) IS NOT NULL THEN
    RETURN true;
  END IF;
  RAISE EXCEPTION 'Error : cd_nomenclature --> % and nomenclature type --> % didn''t match.', mycdnomenclature, mytype;
END;
$fn$;

-- Values of a type that apply to a kingdom and/or INPN group (cor_taxref_nomenclature).
CREATE FUNCTION ref_nomenclatures.get_filtered_nomenclature(mytype varchar, myregne varchar, mygroup varchar)
RETURNS SETOF integer
LANGUAGE sql IMMUTABLE
AS $fn$
  SELECT DISTINCT c.id_nomenclature
  FROM ref_nomenclatures.cor_taxref_nomenclature c
  JOIN ref_nomenclatures.t_nomenclatures n ON n.id_nomenclature = c.id_nomenclature
  WHERE n.id_type = ref_nomenclatures.get_id_nomenclature_type(mytype)
    AND (myregne IS NULL OR c.regne = myregne)
    AND (mygroup IS NULL OR c.group2_inpn = mygroup);
$fn$;

-- Default values per type and organism, used as column defaults by gn_meta (reference §0.3).
CREATE TABLE ref_nomenclatures.defaults_nomenclatures_value (
  mnemonique_type varchar(255) NOT NULL,
  id_organism     integer      NOT NULL,
  id_nomenclature integer      NOT NULL,
  CONSTRAINT pk_defaults_nomenclatures_value PRIMARY KEY (mnemonique_type, id_organism),
  CONSTRAINT fk_defaults_nomenclatures_value_mnemonique_type FOREIGN KEY (mnemonique_type)
    REFERENCES ref_nomenclatures.bib_nomenclatures_types (mnemonique) ON UPDATE CASCADE,
  CONSTRAINT fk_defaults_nomenclatures_value_id_organism FOREIGN KEY (id_organism)
    REFERENCES utilisateurs.bib_organismes (id_organisme) ON UPDATE CASCADE,
  CONSTRAINT fk_defaults_nomenclatures_value_id_nomenclature FOREIGN KEY (id_nomenclature)
    REFERENCES ref_nomenclatures.t_nomenclatures (id_nomenclature) ON UPDATE CASCADE
);

ALTER TABLE ref_nomenclatures.defaults_nomenclatures_value
  ADD CONSTRAINT check_defaults_nomenclatures_value_is_nomenclature_in_type
  CHECK (ref_nomenclatures.check_nomenclature_type_by_mnemonique(id_nomenclature, mnemonique_type)) NOT VALID;

-- The organism's own default first, else the one of organism 'ALL'; NULL when none.
CREATE FUNCTION ref_nomenclatures.get_default_nomenclature_value(mytype varchar, myidorganism integer DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT d.id_nomenclature INTO result
  FROM ref_nomenclatures.defaults_nomenclatures_value d
  JOIN utilisateurs.bib_organismes o ON o.id_organisme = d.id_organism
  WHERE d.mnemonique_type = mytype
    AND (d.id_organism = myidorganism OR o.nom_organisme = 'ALL')
  ORDER BY (d.id_organism IS NOT DISTINCT FROM myidorganism) DESC
  LIMIT 1;
  RETURN result;
END;
$fn$;
