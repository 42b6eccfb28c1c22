-- Reference rows a GeoNature install has before any data: organisms, roles, modules, parameters.
-- Loaded before the SINP nomenclatures, whose defaults are attached to the organism 'ALL'.
-- Values after UsersHub's sample data (PnX-SI/UsersHub, GPL-3.0) and GeoNature's fixture
-- (tests__sample_data.sql refers to organisms 1 and -1 and roles 2 and 3). No passwords.

-- 'ALL' is id 0 in UsersHub (usershub.sql): "Représente tous les organismes".
INSERT INTO utilisateurs.bib_organismes (id_organisme, uuid_organisme, nom_organisme, adresse_organisme, cp_organisme, ville_organisme) VALUES
  (0,  'fd3c2619-0505-4a75-97e7-8cc37d096247', 'ALL', 'Représente tous les organismes', NULL, NULL),
  (1,  'c8a2b7e1-4f3d-4a9b-8e6c-2d1f0a5b7c31', 'Parc National des Ecrins', 'Domaine de Charance', '05000', 'GAP'),
  (-1, '0b6e9d42-7a1c-4e58-b3f0-9c2d8e4a6f15', 'Autre', NULL, NULL, NULL);
SELECT setval('utilisateurs.bib_organismes_id_organisme_seq', (SELECT max(id_organisme) FROM utilisateurs.bib_organismes));

INSERT INTO utilisateurs.t_roles (groupe, id_role, identifiant, nom_role, prenom_role, desc_role, id_organisme, remarques) VALUES
  (false, 1, 'admin',       'Administrateur', 'test',  NULL, 1,    'utilisateur test'),
  (false, 2, 'agent',       'Agent',          'test',  NULL, 1,    'utilisateur test'),
  (false, 3, 'partenaire',  'Partenaire',     'test',  NULL, -1,   'utilisateur test'),
  (false, 4, 'pierre.paul', 'Paul',           'Pierre', NULL, 1,   'utilisateur test'),
  (false, 5, 'validateur',  'Validateur',     'test',  NULL, 1,    'utilisateur test'),
  (true,  7, NULL,          'Grp_en_poste',   NULL,    'Tous les agents en poste dans la structure', NULL, NULL),
  (true,  9, NULL,          'Grp_admin',      NULL,    'Tous les administrateurs', NULL, NULL);
SELECT setval('utilisateurs.t_roles_id_role_seq', (SELECT max(id_role) FROM utilisateurs.t_roles));

INSERT INTO utilisateurs.cor_roles (id_role_groupe, id_role_utilisateur) VALUES
  (7, 1), (9, 1), (7, 2), (7, 4), (7, 5);

INSERT INTO gn_commons.t_modules (module_code, module_label, module_path, module_desc, active_frontend, active_backend) VALUES
  ('GEONATURE', 'GeoNature',       'geonature', 'Module parent de tous les modules sur lequel on peut associer un CRUVED.', false, false),
  ('ADMIN',     'Admin',           'admin',     'Backoffice de GeoNature', true, true),
  ('METADATA',  'Métadonnées',     'metadata',  'Module de gestion des métadonnées', true, true),
  ('SYNTHESE',  'Synthèse',        'synthese',  'Application synthese des observations faune et flore', true, true),
  ('OCCTAX',    'Occtax',          'occtax',    'Module de saisie d''occurrences de taxons', true, true);

INSERT INTO gn_commons.t_parameters (id_organism, parameter_name, parameter_desc, parameter_value) VALUES
  (0, 'taxref_version', 'Version du référentiel taxonomique', 'Taxref V9.0');
