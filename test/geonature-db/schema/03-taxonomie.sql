-- 03: schema `taxonomie` (TaxHub): TAXREF and taxon lists.
-- Reference §7. Column list of taxref as in GeoNature docs/data_model/taxonomie/taxref.sql (2.17).
-- Simplified: the rank / status / habitat tables exist (so the FKs are real) but stay empty;
-- no bdc_statut, no t_medias, no attributes, no vm_taxref_tree / vm_regne / vm_group2_inpn
-- materialized views (check_is_regne / check_is_group2inpn read taxref directly instead).

CREATE SCHEMA taxonomie;

CREATE TABLE taxonomie.bib_taxref_rangs (
  id_rang  char(4)     NOT NULL,
  nom_rang varchar(50) NOT NULL,
  tri_rang integer,
  CONSTRAINT pk_bib_taxref_rangs PRIMARY KEY (id_rang)
);

CREATE TABLE taxonomie.bib_taxref_statuts (
  id_statut  char(1)     NOT NULL,
  nom_statut varchar(50) NOT NULL,
  CONSTRAINT pk_bib_taxref_statuts PRIMARY KEY (id_statut)
);

CREATE TABLE taxonomie.bib_taxref_habitats (
  id_habitat  integer     NOT NULL,
  nom_habitat varchar(50) NOT NULL,
  desc_habitat text,
  CONSTRAINT pk_bib_taxref_habitats PRIMARY KEY (id_habitat)
);

-- One row per TAXREF name; cd_ref = the valid name's cd_nom; cd_sup = parent in the tree walked by
-- find_all_taxons_children; cd_taxsup = parent used by the sensitivity rules (§3.1, §7).
CREATE TABLE taxonomie.taxref (
  cd_nom                integer       NOT NULL,
  id_statut             char(1),
  id_habitat            integer,
  id_rang               varchar(10),
  regne                 varchar(20),
  phylum                varchar(50),
  classe                varchar(50),
  ordre                 varchar(50),
  famille               varchar(50),
  sous_famille          varchar(50),
  tribu                 varchar(50),
  cd_taxsup             integer,
  cd_sup                integer,
  cd_ref                integer,
  lb_nom                varchar(250),
  lb_auteur             varchar(500),
  nom_complet           varchar(500),
  nom_complet_html      varchar(500),
  nom_valide            varchar(500),
  nom_vern              varchar(1000),
  nom_vern_eng          varchar(500),
  group1_inpn           varchar(50),
  group2_inpn           varchar(50),
  url                   text,
  group3_inpn           varchar(250),
  cd_ba                 integer,
  nomenclatural_comment varchar(500),
  CONSTRAINT pk_taxref PRIMARY KEY (cd_nom),
  CONSTRAINT fk_taxref_bib_taxref_habitats FOREIGN KEY (id_habitat)
    REFERENCES taxonomie.bib_taxref_habitats (id_habitat) ON UPDATE CASCADE,
  CONSTRAINT fk_taxref_bib_taxref_rangs FOREIGN KEY (id_rang)
    REFERENCES taxonomie.bib_taxref_rangs (id_rang) ON UPDATE CASCADE,
  CONSTRAINT taxref_id_statut_fkey FOREIGN KEY (id_statut)
    REFERENCES taxonomie.bib_taxref_statuts (id_statut) ON UPDATE CASCADE
);

CREATE INDEX i_taxref_cd_ref ON taxonomie.taxref (cd_ref);
CREATE INDEX i_taxref_cd_sup ON taxonomie.taxref (cd_sup);
CREATE INDEX i_fk_taxref_group1_inpn ON taxonomie.taxref (group1_inpn);
CREATE INDEX i_fk_taxref_group2_inpn ON taxonomie.taxref (group2_inpn);
CREATE INDEX i_taxref_group3_inpn ON taxonomie.taxref (group3_inpn);
CREATE INDEX i_fk_taxref_bib_taxref_rangs ON taxonomie.taxref (id_rang);
CREATE INDEX i_fk_taxref_nom_vern ON taxonomie.taxref (nom_vern);
CREATE INDEX i_taxref_hierarchy ON taxonomie.taxref (regne, phylum, classe, ordre, famille);

-- Which TAXREF version is loaded (§7).
CREATE TABLE taxonomie.t_meta_taxref (
  referencial_name varchar   NOT NULL,
  version          integer   NOT NULL,
  update_date      timestamp DEFAULT now(),
  CONSTRAINT t_meta_taxref_pkey PRIMARY KEY (referencial_name, version)
);

-- Taxon lists (TaxHub 2: lists point at cd_nom; bib_noms is gone).
CREATE TABLE taxonomie.bib_listes (
  id_liste    serial       NOT NULL,
  code_liste  varchar(50)  NOT NULL,
  nom_liste   varchar(255) NOT NULL,
  desc_liste  text,
  regne       varchar(20),
  group2_inpn varchar(255),
  CONSTRAINT pk_bib_listes PRIMARY KEY (id_liste),
  CONSTRAINT unique_bib_listes_code_liste UNIQUE (code_liste),
  CONSTRAINT unique_bib_listes_nom_liste UNIQUE (nom_liste)
);

CREATE TABLE taxonomie.cor_nom_liste (
  id_liste integer NOT NULL,
  cd_nom   integer NOT NULL,
  CONSTRAINT cor_nom_liste_pkey PRIMARY KEY (cd_nom, id_liste),
  CONSTRAINT unique_cor_nom_liste_id_liste_cd_nom UNIQUE (id_liste, cd_nom),
  CONSTRAINT cor_nom_listes_bib_listes_fkey FOREIGN KEY (id_liste)
    REFERENCES taxonomie.bib_listes (id_liste) ON UPDATE CASCADE,
  CONSTRAINT cor_nom_listes_taxref_fkey FOREIGN KEY (cd_nom)
    REFERENCES taxonomie.taxref (cd_nom) ON UPDATE CASCADE ON DELETE CASCADE
);

-- ---------------------------------------------------------------------------------------------
-- Functions (reference §7). IMMUTABLE like TaxHub's, although they read taxref.

CREATE FUNCTION taxonomie.find_cdref(id integer)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT t.cd_ref INTO result FROM taxonomie.taxref t WHERE t.cd_nom = id;
  RETURN result;
END;
$fn$;

-- Every descendant (cd_nom, cd_ref) of a taxon, walking cd_sup; the taxon itself is not returned.
CREATE FUNCTION taxonomie.find_all_taxons_children(id integer)
RETURNS TABLE (cd_nom integer, cd_ref integer)
LANGUAGE sql IMMUTABLE
AS $fn$
  WITH RECURSIVE descendants AS (
    SELECT t.cd_nom, t.cd_ref FROM taxonomie.taxref t WHERE t.cd_sup = id
    UNION ALL
    SELECT t.cd_nom, t.cd_ref FROM descendants d JOIN taxonomie.taxref t ON t.cd_sup = d.cd_nom
  )
  SELECT descendants.cd_nom, descendants.cd_ref FROM descendants;
$fn$;

CREATE FUNCTION taxonomie.find_all_taxons_children(ids integer[])
RETURNS TABLE (cd_nom integer, cd_ref integer)
LANGUAGE sql IMMUTABLE
AS $fn$
  WITH RECURSIVE descendants AS (
    SELECT t.cd_nom, t.cd_ref FROM taxonomie.taxref t WHERE t.cd_sup = ANY (ids)
    UNION ALL
    SELECT t.cd_nom, t.cd_ref FROM descendants d JOIN taxonomie.taxref t ON t.cd_sup = d.cd_nom
  )
  SELECT descendants.cd_nom, descendants.cd_ref FROM descendants;
$fn$;

-- Ancestors of a taxon (starting from its valid name), with their distance.
CREATE FUNCTION taxonomie.find_all_taxons_parents(mycdnom integer)
RETURNS TABLE (cd_nom integer, distance smallint)
LANGUAGE sql IMMUTABLE
AS $fn$
  WITH RECURSIVE parents AS (
    SELECT t.cd_nom, t.cd_sup, 0 AS nr
    FROM taxonomie.taxref t WHERE t.cd_nom = taxonomie.find_cdref(mycdnom)
    UNION ALL
    SELECT t.cd_nom, t.cd_sup, p.nr + 1
    FROM parents p JOIN taxonomie.taxref t ON t.cd_nom = p.cd_sup
  )
  SELECT parents.cd_nom, parents.nr::smallint FROM parents ORDER BY parents.nr;
$fn$;

CREATE FUNCTION taxonomie.find_regne(mycdnom integer)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $fn$ SELECT t.regne::text FROM taxonomie.taxref t WHERE t.cd_nom = mycdnom $fn$;

CREATE FUNCTION taxonomie.find_group2inpn(mycdnom integer)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $fn$ SELECT t.group2_inpn::text FROM taxonomie.taxref t WHERE t.cd_nom = mycdnom $fn$;

-- Used by the gn_synthese.defaults_nomenclatures_value CHECKs.
CREATE FUNCTION taxonomie.check_is_regne(myregne text)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $fn$ SELECT myregne IS NULL OR EXISTS (SELECT 1 FROM taxonomie.taxref t WHERE t.regne = myregne) $fn$;

CREATE FUNCTION taxonomie.check_is_group2inpn(mygroup text)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $fn$ SELECT mygroup IS NULL OR EXISTS (SELECT 1 FROM taxonomie.taxref t WHERE t.group2_inpn = mygroup) $fn$;
