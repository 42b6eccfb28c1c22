-- Passerelle test database — GeoNature-shaped, written from ../shared/docs/geonature-reference.md.
-- 00: what lives in `public`.
--
-- The builder creates the extensions before this file (postgis, and "uuid-ossp" when the server has it,
-- otherwise a public.uuid_generate_v4() wrapper around gen_random_uuid(), so that column defaults read
-- like GeoNature's: reference §1.1 "DEFAULT uuid_generate_v4()").

-- Reference §0.1: BEFORE INSERT OR UPDATE trigger function shared by most GeoNature tables
-- (PnX-SI/Utils-Flask-SQLAlchemy migration 3842a6d800a0). On INSERT it *replaces* whatever
-- meta_create_date the client sent; on UPDATE it stamps meta_update_date (and fills a missing
-- meta_create_date). NOW() is the transaction start time.
CREATE OR REPLACE FUNCTION public.fct_trg_meta_dates_change()
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

COMMENT ON FUNCTION public.fct_trg_meta_dates_change() IS
  'Passerelle test DB: overwrites meta_create_date on INSERT, stamps meta_update_date on UPDATE (geonature-reference §0.1).';
