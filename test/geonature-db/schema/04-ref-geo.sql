-- 04: schema `ref_geo` (PnX-SI/RefGeo): area types, areas (communes, départements, grid cells…).
-- Reference §5 and §0.9: the local SRID is an install parameter. {{LOCAL_SRID}} is replaced by the
-- builder with a validated integer (default 2154, Lambert-93); clients must read it with
-- Find_SRID('ref_geo', 'l_areas', 'geom'), never assume it.
-- Simplified: no linears, points, DEM, cor_areas; the cor_area_synthese triggers on l_areas are in
-- 07-gn-synthese.sql (their functions live in gn_synthese).

CREATE SCHEMA ref_geo;

CREATE TABLE ref_geo.bib_areas_types (
  id_type        serial       NOT NULL,
  type_name      varchar(200) NOT NULL,
  type_code      varchar(25)  NOT NULL,
  type_desc      text,
  ref_name       varchar(200),
  ref_version    integer,
  num_version    varchar(50),
  size_hierarchy integer,
  CONSTRAINT pk_bib_areas_types PRIMARY KEY (id_type),
  CONSTRAINT unique_bib_areas_types_type_code UNIQUE (type_code)
);

COMMENT ON COLUMN ref_geo.bib_areas_types.size_hierarchy IS
  'Mean diameter in metres of an area of this type: the hierarchy used to blur observations (reference §4.2).';

CREATE TABLE ref_geo.l_areas (
  id_area          serial       NOT NULL,
  id_type          integer      NOT NULL,
  area_name        varchar(250),
  area_code        varchar(25),
  geom             geometry(MultiPolygon, {{LOCAL_SRID}}),
  centroid         geometry(Point, {{LOCAL_SRID}}),
  source           varchar(250),
  comment          text,
  enable           boolean      NOT NULL DEFAULT true,
  additional_data  jsonb,
  meta_create_date timestamp,
  meta_update_date timestamp,
  geom_4326        geometry(MultiPolygon, 4326),
  description      text,
  CONSTRAINT pk_l_areas PRIMARY KEY (id_area),
  CONSTRAINT unique_id_type_area_code UNIQUE (id_type, area_code),
  CONSTRAINT fk_l_areas_id_type FOREIGN KEY (id_type)
    REFERENCES ref_geo.bib_areas_types (id_type) ON UPDATE CASCADE
);

CREATE INDEX index_l_areas_geom ON ref_geo.l_areas USING gist (geom);
CREATE INDEX idx_l_areas_geom_4326 ON ref_geo.l_areas USING gist (geom_4326);
CREATE INDEX index_l_areas_centroid ON ref_geo.l_areas USING gist (centroid);

CREATE TRIGGER tri_meta_dates_change_l_areas
  BEFORE INSERT OR UPDATE ON ref_geo.l_areas
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- Keeps geom (local SRID) and geom_4326 in sync when only one of them is written (§5).
-- Note: upstream's INSERT branch never sets its local_srid variable, so an INSERT that gives only
-- geom_4326 gets a NULL geom there; this version reads the SRID on both branches. The builder
-- writes both columns, so the data does not depend on the difference.
CREATE FUNCTION ref_geo.fct_tri_transform_geom()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
DECLARE
  local_srid integer := Find_SRID('ref_geo', 'l_areas', 'geom');
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.geom IS NULL AND NEW.geom_4326 IS NOT NULL THEN
      NEW.geom := ST_Transform(NEW.geom_4326, local_srid);
    ELSIF NEW.geom IS NOT NULL AND NEW.geom_4326 IS NULL THEN
      NEW.geom_4326 := ST_Transform(NEW.geom, 4326);
    END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    IF NEW.geom_4326 IS NOT NULL AND (
         (OLD.geom IS NOT DISTINCT FROM NEW.geom AND OLD.geom_4326 IS DISTINCT FROM NEW.geom_4326)
         OR (NEW.geom IS NULL AND OLD.geom IS NOT NULL)) THEN
      NEW.geom := ST_Transform(NEW.geom_4326, local_srid);
    ELSIF NEW.geom IS NOT NULL AND (
         (OLD.geom_4326 IS NOT DISTINCT FROM NEW.geom_4326 AND OLD.geom IS DISTINCT FROM NEW.geom)
         OR (NEW.geom_4326 IS NULL AND OLD.geom_4326 IS NOT NULL)) THEN
      NEW.geom_4326 := ST_Transform(NEW.geom, 4326);
    END IF;
  END IF;
  RETURN NEW;
END;
$fn$;

CREATE TRIGGER tri_transform_geom_insert
  BEFORE INSERT ON ref_geo.l_areas
  FOR EACH ROW EXECUTE FUNCTION ref_geo.fct_tri_transform_geom();
CREATE TRIGGER tri_transform_geom_update
  BEFORE UPDATE ON ref_geo.l_areas
  FOR EACH ROW EXECUTE FUNCTION ref_geo.fct_tri_transform_geom();

-- Communes: INSEE attributes of a COM area.
CREATE TABLE ref_geo.li_municipalities (
  id_municipality        varchar(25)  NOT NULL,
  id_area                integer      NOT NULL,
  status                 varchar(50),
  insee_com              varchar(5),
  nom_com                varchar(50),
  insee_arr              varchar(2),
  nom_dep                varchar(30),
  insee_dep              varchar(3),
  nom_reg                varchar(35),
  insee_reg              varchar(2),
  code_epci              varchar(9),
  plani_precision        double precision,
  siren_code             varchar(10),
  canton                 varchar(200),
  population             integer,
  multican               varchar(3),
  cc_nom                 varchar(250),
  cc_siren               bigint,
  cc_nature              varchar(5),
  cc_date_creation       varchar(10),
  cc_date_effet          varchar(10),
  insee_commune_nouvelle varchar(5),
  meta_create_date       timestamp,
  meta_update_date       timestamp,
  CONSTRAINT pk_li_municipalities PRIMARY KEY (id_municipality),
  CONSTRAINT fk_li_municipalities_id_area FOREIGN KEY (id_area)
    REFERENCES ref_geo.l_areas (id_area) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE INDEX index_li_municipalities_id_area ON ref_geo.li_municipalities (id_area);

CREATE TRIGGER tri_meta_dates_change_li_municipalities
  BEFORE INSERT OR UPDATE ON ref_geo.li_municipalities
  FOR EACH ROW EXECUTE FUNCTION public.fct_trg_meta_dates_change();

-- Grid cells: id_grid is the INPN cell code (e.g. 10kmL93E094N643), cx/cy the Lambert-93 bounds.
CREATE TABLE ref_geo.li_grids (
  id_grid varchar(50) NOT NULL,
  id_area integer     NOT NULL,
  cxmin   integer,
  cxmax   integer,
  cymin   integer,
  cymax   integer,
  CONSTRAINT pk_li_grids PRIMARY KEY (id_grid),
  CONSTRAINT fk_li_grids_id_area FOREIGN KEY (id_area)
    REFERENCES ref_geo.l_areas (id_area) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE INDEX index_li_grids_id_area ON ref_geo.li_grids (id_area);

-- ---------------------------------------------------------------------------------------------
-- Functions (reference §5).

CREATE FUNCTION ref_geo.get_id_area_type(mytype varchar)
RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $fn$
DECLARE
  result integer;
BEGIN
  SELECT t.id_type INTO result FROM ref_geo.bib_areas_types t WHERE t.type_code = mytype;
  RETURN result;
END;
$fn$;

-- Enabled areas (of one type, or all) that a geometry of any SRID intersects.
CREATE FUNCTION ref_geo.fct_get_area_intersection(mygeom geometry, myidtype integer DEFAULT NULL)
RETURNS TABLE (id_area integer, id_type integer, area_code varchar, area_name varchar)
LANGUAGE plpgsql
AS $fn$
DECLARE
  local_srid integer := Find_SRID('ref_geo', 'l_areas', 'geom');
BEGIN
  RETURN QUERY
  SELECT a.id_area, a.id_type, a.area_code, a.area_name
  FROM ref_geo.l_areas a
  WHERE ST_Intersects(ST_Transform(mygeom, local_srid), a.geom)
    AND (myidtype IS NULL OR a.id_type = myidtype)
    AND a.enable;
END;
$fn$;
