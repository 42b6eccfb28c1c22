-- gn_sensitivity.cor_sensitivity_area_type (reference §4.1, data of GeoNature
-- backend/geonature/migrations/data/core/sensitivity.sql): area type that blurs each sensitivity
-- level. Level 4 has no row (no diffusion); level 0 is not blurred. Needs the SINP nomenclatures.
INSERT INTO gn_sensitivity.cor_sensitivity_area_type (id_nomenclature_sensitivity, id_area_type) VALUES
  (ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '1'), ref_geo.get_id_area_type('COM')),
  (ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '2'), ref_geo.get_id_area_type('M10')),
  (ref_nomenclatures.get_id_nomenclature('SENSIBILITE', '3'), ref_geo.get_id_area_type('DEP'));
