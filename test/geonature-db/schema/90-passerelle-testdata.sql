-- 90: schema `passerelle_testdata` — NOT part of GeoNature. Provenance of this test database, so
-- that tests can account for what the upstream files said but the current schema cannot hold.
-- A client under test must not need it (and a real server never has it).

CREATE SCHEMA passerelle_testdata;
COMMENT ON SCHEMA passerelle_testdata IS 'Passerelle test database bookkeeping; absent from real GeoNature servers.';

-- Build parameters and source files (name, sha256 prefix).
CREATE TABLE passerelle_testdata.about (
  key   text NOT NULL PRIMARY KEY,
  value text NOT NULL
);

-- One row per observation of jdd_synthese_dev.sql: the 2018 columns that were dropped or
-- overwritten on load. deleted = true for the 9 rows the dump flags as deleted (still loaded).
CREATE TABLE passerelle_testdata.synthese_dump_2018 (
  unique_id_sinp        uuid      NOT NULL PRIMARY KEY,
  id_synthese_2018      integer   NOT NULL,
  deleted               boolean   NOT NULL,
  id_municipality       varchar(25),
  nomenclature_ids_2018 jsonb     NOT NULL,
  determination_method  text,
  meta_create_date_2018 timestamp,
  meta_update_date_2018 timestamp
);

-- Where each taxonomie.taxref row comes from: these are not TAXREF rows but test rows built from
-- TaxHub's 2018 bib_noms and the observations' nom_cite.
CREATE TABLE passerelle_testdata.taxref_origin (
  cd_nom integer NOT NULL PRIMARY KEY,
  origin text    NOT NULL
);
