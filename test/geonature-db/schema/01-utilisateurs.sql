-- 01: schema `utilisateurs` (UsersHub): organisms and roles, the actors of CA/JDD.
-- Reference: §1.3 (actors point to utilisateurs.t_roles / utilisateurs.bib_organismes), §6
-- (get_default_nomenclature_value falls back on the organism named 'ALL'). Column list as in
-- GeoNature docs/data_model/utilisateurs/{t_roles,bib_organismes}.sql (2.17).
-- Simplified: no applications, profiles, lists, providers or tokens (this product does not log in
-- through UsersHub).

CREATE SCHEMA utilisateurs;

-- UsersHub keeps its own copy of the meta-dates trigger function for this schema.
CREATE FUNCTION utilisateurs.fct_trg_meta_dates_change()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.meta_create_date := now();
  ELSIF TG_OP = 'UPDATE' THEN
    NEW.meta_update_date := now();
    IF NEW.meta_create_date IS NULL THEN
      NEW.meta_create_date := now();
    END IF;
  END IF;
  RETURN NEW;
END;
$fn$;

-- t_roles stamps date_insert / date_update instead of meta_* dates.
CREATE FUNCTION utilisateurs.modify_date_insert()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  NEW.date_insert := now();
  NEW.date_update := now();
  RETURN NEW;
END;
$fn$;

CREATE FUNCTION utilisateurs.modify_date_update()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  NEW.date_update := now();
  RETURN NEW;
END;
$fn$;

-- Organisms. 'ALL' (id 0 in UsersHub) stands for every organism: nomenclature defaults are
-- attached to it (reference §6, §2.1).
CREATE TABLE utilisateurs.bib_organismes (
  id_organisme      serial        NOT NULL,
  uuid_organisme    uuid          NOT NULL DEFAULT public.uuid_generate_v4(),
  nom_organisme     varchar(500)  NOT NULL,
  adresse_organisme varchar(128),
  cp_organisme      varchar(5),
  ville_organisme   varchar(100),
  tel_organisme     varchar(14),
  fax_organisme     varchar(14),
  email_organisme   varchar(100),
  url_organisme     varchar(255),
  url_logo          varchar(255),
  id_parent         integer,
  additional_data   jsonb         DEFAULT '{}'::jsonb,
  meta_create_date  timestamp     DEFAULT now(),
  meta_update_date  timestamp     DEFAULT now(),
  CONSTRAINT pk_bib_organismes PRIMARY KEY (id_organisme),
  CONSTRAINT bib_organismes_un UNIQUE (uuid_organisme),
  CONSTRAINT fk_bib_organismes_id_parent FOREIGN KEY (id_parent)
    REFERENCES utilisateurs.bib_organismes (id_organisme) ON UPDATE CASCADE
);

CREATE TRIGGER tri_meta_dates_change_organisms
  BEFORE INSERT OR UPDATE ON utilisateurs.bib_organismes
  FOR EACH ROW EXECUTE FUNCTION utilisateurs.fct_trg_meta_dates_change();

-- Roles: users and groups (groupe = true). Groups may not be CA/JDD actors (reference §1.3,
-- CHECK NOT gn_commons.role_is_group(id_role)).
CREATE TABLE utilisateurs.t_roles (
  groupe       boolean      NOT NULL DEFAULT false,
  id_role      serial       NOT NULL,
  uuid_role    uuid         NOT NULL DEFAULT public.uuid_generate_v4(),
  identifiant  varchar(100),
  nom_role     varchar(50),
  prenom_role  varchar(50),
  desc_role    text,
  pass         varchar(100),
  pass_plus    text,
  email        varchar(250),
  id_organisme integer,
  remarques    text,
  active       boolean      DEFAULT true,
  champs_addi  jsonb,
  date_insert  timestamp,
  date_update  timestamp,
  CONSTRAINT pk_t_roles PRIMARY KEY (id_role),
  CONSTRAINT t_roles_uuid_un UNIQUE (uuid_role),
  CONSTRAINT t_roles_id_organisme_fkey FOREIGN KEY (id_organisme)
    REFERENCES utilisateurs.bib_organismes (id_organisme) ON UPDATE CASCADE
);

CREATE INDEX i_utilisateurs_active ON utilisateurs.t_roles (active);
CREATE INDEX i_utilisateurs_groupe ON utilisateurs.t_roles (groupe);
CREATE INDEX i_utilisateurs_nom_prenom ON utilisateurs.t_roles (nom_role, prenom_role);

CREATE TRIGGER tri_modify_date_insert_t_roles
  BEFORE INSERT ON utilisateurs.t_roles
  FOR EACH ROW EXECUTE FUNCTION utilisateurs.modify_date_insert();
CREATE TRIGGER tri_modify_date_update_t_roles
  BEFORE UPDATE ON utilisateurs.t_roles
  FOR EACH ROW EXECUTE FUNCTION utilisateurs.modify_date_update();

-- Group membership (a user in a group).
CREATE TABLE utilisateurs.cor_roles (
  id_role_groupe      integer NOT NULL,
  id_role_utilisateur integer NOT NULL,
  CONSTRAINT cor_roles_pkey PRIMARY KEY (id_role_groupe, id_role_utilisateur),
  CONSTRAINT cor_roles_id_role_groupe_fkey FOREIGN KEY (id_role_groupe)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT cor_roles_id_role_utilisateur_fkey FOREIGN KEY (id_role_utilisateur)
    REFERENCES utilisateurs.t_roles (id_role) ON UPDATE CASCADE ON DELETE CASCADE
);
