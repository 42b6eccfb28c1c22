/**
 * French and English texts of the GeoPackage validator's findings and of the conversion warnings
 * (i18next syntax, `{{param}}`).
 *
 * A finding has `key` = `gpkg.rule.<id>` (`more` for the summary of a rule's extra rows) and the
 * `params` the engine filled its English message with: every template here uses only those
 * params, the same ones in both languages (a unit test checks it). `table` and `fid` are always
 * passed. A conversion warning has `key` = `gpkg.convert.<id>` and always the param `layer`.
 *
 * Pure data: the UI loads it as i18next resources (`gpkg.rule.<id>.message`, `.fix`,
 * `gpkg.convert.<id>`).
 */

/** The texts of one validator rule. */
export interface GpkgRuleText {
  readonly message: string;
  readonly fix: string;
}

export const gpkgRuleMessagesFr: Record<string, GpkgRuleText> = {
  'file-extension': {
    message: 'Le fichier s’appelle « {{name}} » : un GeoPackage devrait porter l’extension .gpkg, et certains logiciels ne proposent que les fichiers qui l’ont.',
    fix: 'Renommez le fichier avec l’extension .gpkg.',
  },
  'application-id': {
    message: 'L’application_id de l’en-tête SQLite vaut {{applicationId}} et non « GPKG » : les logiciels risquent de ne pas reconnaître le fichier comme un GeoPackage.',
    fix: 'Exécutez PRAGMA application_id = 1196444487 (GPKG), ou réexportez le fichier avec GDAL ou QGIS.',
  },
  'user-version': {
    message: 'user_version vaut {{userVersion}}, ce qui ne correspond à aucune version de GeoPackage (1.2 = 10200, 1.3 = 10300, 1.4 = 10400).',
    fix: 'Exécutez PRAGMA user_version = 10300 (ou la version que suit le fichier).',
  },
  integrity: {
    message: 'SQLite signale des dommages dans le fichier : {{detail}}',
    fix: 'Restaurez une sauvegarde, ou exportez ce qui reste lisible dans un nouveau GeoPackage (passerelle gpkg convert).',
  },
  'foreign-keys': {
    message: 'La ligne {{rowid}} de « {{table}} » fait référence à une ligne de « {{parent}} » qui n’existe pas.',
    fix: 'Ajoutez la ligne manquante dans « {{parent}} », ou corrigez ou supprimez la ligne qui y fait référence.',
  },
  'srs-table': {
    message: 'La table gpkg_spatial_ref_sys est absente : aucune couche n’a de système de coordonnées connu.',
    fix: 'Réexportez les données avec GDAL ou QGIS, qui créent les tables du GeoPackage.',
  },
  'srs-required-rows': {
    message: 'Il manque à gpkg_spatial_ref_sys des lignes exigées par la norme : {{missing}}.',
    fix: 'Insérez les lignes des srs_id -1 (cartésien non défini), 0 (géographique non défini) et 4326 (WGS 84).',
  },
  'srs-undefined': {
    message: 'La couche « {{table}} » utilise le système de coordonnées non défini {{srsId}} : elle ne peut être ni placée sur une carte, ni reprojetée.',
    fix: 'Attribuez-lui son vrai SCR (par exemple EPSG:2154, Lambert-93) avec l’algorithme QGIS « Attribuer une projection » ou ogr2ogr -a_srs.',
  },
  'contents-table': {
    message: 'La table gpkg_contents est absente : les logiciels ne voient aucune couche dans ce fichier.',
    fix: 'Réexportez les données avec GDAL ou QGIS, ou recréez gpkg_contents et déclarez-y chaque couche.',
  },
  'contents-missing-table': {
    message: 'gpkg_contents déclare la couche « {{table}} », mais aucune table ni vue ne porte ce nom.',
    fix: 'Supprimez la ligne « {{table}} » de gpkg_contents (et de gpkg_geometry_columns), ou restaurez la table.',
  },
  'contents-srs': {
    message: 'La couche « {{table}} » fait référence au srs_id {{srsId}}, que gpkg_spatial_ref_sys ne définit pas.',
    fix: 'Ajoutez ce système de coordonnées à gpkg_spatial_ref_sys, ou corrigez le srs_id.',
  },
  'contents-last-change': {
    message: 'La couche « {{table}} » a pour last_change « {{value}} », qui n’est pas un horodatage ISO 8601 en UTC (AAAA-MM-JJTHH:MM:SS.SSSZ).',
    fix: "Mettez last_change à strftime('%Y-%m-%dT%H:%M:%fZ','now').",
  },
  'geometry-columns-table': {
    message: 'La table gpkg_geometry_columns est absente alors que le fichier contient des couches vectorielles : leurs géométries sont introuvables.',
    fix: 'Réexportez les données avec GDAL ou QGIS.',
  },
  'geometry-columns-missing': {
    message: 'La couche vectorielle « {{table}} » n’a pas de ligne dans gpkg_geometry_columns : les logiciels ne savent pas quelle colonne contient ses géométries.',
    fix: 'Insérez une ligne pour « {{table}} » dans gpkg_geometry_columns.',
  },
  'geometry-columns-column': {
    message: 'Selon gpkg_geometry_columns, les géométries de « {{table}} » sont dans la colonne « {{column}} », que la table n’a pas.',
    fix: 'Corrigez column_name dans gpkg_geometry_columns.',
  },
  'geometry-type-name': {
    message: 'La couche « {{table}} » déclare le type de géométrie « {{value}} » : la norme attend un nom de son annexe E, écrit en majuscules (POINT, LINESTRING, MULTIPOLYGON…). Les logiciels stricts refusent la couche.',
    fix: 'Dans gpkg_geometry_columns, donnez à geometry_type_name le nom du type en majuscules (GEOMETRY si la couche mélange les types).',
  },
  'geometry-columns-srs': {
    message: 'La colonne de géométrie de « {{table}} » fait référence au srs_id {{srsId}}, que gpkg_spatial_ref_sys ne définit pas.',
    fix: 'Ajoutez ce système de coordonnées à gpkg_spatial_ref_sys, ou corrigez le srs_id.',
  },
  'geometry-columns-zm': {
    message: 'La colonne de géométrie de « {{table}} » a z = {{z}} et m = {{m}} ; chacun doit valoir 0 (jamais), 1 (toujours) ou 2 (facultatif).',
    fix: 'Corrigez z et m dans gpkg_geometry_columns.',
  },
  'primary-key': {
    message: 'La table « {{table}} » n’a pas de colonne INTEGER PRIMARY KEY : ses lignes n’ont pas d’identifiant stable (fid), et beaucoup de logiciels la refusent.',
    fix: 'Recréez « {{table}} » avec une colonne « fid » INTEGER PRIMARY KEY AUTOINCREMENT (ogr2ogr le fait à l’export).',
  },
  'column-type': {
    message: 'Le champ « {{column}} » de « {{table}} » est déclaré « {{type}} » : ce n’est pas un type de données GeoPackage, ou sa largeur est démesurée ; GDAL et les autres logiciels devinent alors son type ou signalent des erreurs.',
    fix: 'Déclarez-le avec un type GeoPackage : BOOLEAN, INTEGER, REAL, TEXT (sans largeur), BLOB, DATE ou DATETIME (une réexportation avec ogr2ogr le fait).',
  },
  'layer-empty': {
    message: 'La couche « {{table}} » ne contient aucune ligne.',
    fix: 'Supprimez la couche si elle n’est pas censée être vide.',
  },
  'geometry-blob': {
    message: 'La géométrie de l’entité {{fid}} de « {{table}} » est illisible : {{detail}}.',
    fix: 'Redessinez ou supprimez l’entité ; si beaucoup d’entités sont touchées, le fichier a été écrit par un outil défaillant : réexportez-le.',
  },
  'geometry-type': {
    message: 'L’entité {{fid}} de « {{table}} » est de type {{actual}}, alors que la couche est déclarée en {{declared}}.',
    fix: 'Convertissez l’entité en {{declared}}, ou déclarez la couche en GEOMETRY (ou dans le type multiple correspondant).',
  },
  'geometry-dimension': {
    message: 'La géométrie de l’entité {{fid}} de « {{table}} » ne respecte pas ce que la couche déclare pour la dimension {{dim}} : elle a des valeurs {{dim}} que la couche interdit, ou n’a pas celles que la couche exige.',
    fix: 'Ajoutez ou retirez les valeurs {{dim}} des géométries pour suivre la déclaration de la couche (ogr2ogr -dim), ou rendez-les facultatives ({{dim}} = 2) dans gpkg_geometry_columns.',
  },
  'geometry-srs': {
    message: 'L’entité {{fid}} de « {{table}} » déclare ses coordonnées dans le srs_id {{actual}}, alors que celui de la couche est {{declared}}.',
    fix: 'Réexportez la couche avec ogr2ogr, qui réécrit l’en-tête de chaque géométrie.',
  },
  'geometry-null': {
    message: 'L’entité {{fid}} de « {{table}} » n’a pas de géométrie (NULL) : elle n’apparaîtra pas sur la carte.',
    fix: 'Dessinez l’entité, ou déplacez les lignes sans géométrie dans une table attributaire.',
  },
  'geometry-empty': {
    message: 'L’entité {{fid}} de « {{table}} » a une géométrie vide ({{type}} EMPTY) : elle n’a pas de position.',
    fix: 'Dessinez l’entité, ou supprimez-la.',
  },
  'geometry-invalid': {
    message: 'L’entité {{fid}} de « {{table}} » n’est pas une géométrie {{type}} valide (auto-intersection, anneau mal formé…) : les surfaces et les superpositions (intersection, union…) calculées dessus sont fausses.',
    fix: 'Réparez-la (QGIS : boîte à outils de traitements › Réparer les géométries, ou ogr2ogr -makevalid).',
  },
  'geometry-not-simple': {
    message: 'L’entité {{fid}} de « {{table}} » ({{type}}) se recoupe elle-même.',
    fix: 'Vérifiez la numérisation de la ligne ; si ce n’est pas voulu, coupez-la là où elle se recoupe.',
  },
  'ring-orientation': {
    message: 'L’entité {{fid}} de « {{table}} » a un anneau extérieur orienté dans le sens horaire (ou un trou dans le sens antihoraire) : certains outils la dessinent ou la mesurent alors mal.',
    fix: 'Réexportez avec ogr2ogr (GDAL ≥ 3.7 oriente les anneaux extérieurs dans le sens antihoraire), ou corrigez l’orientation dans QGIS.',
  },
  'curve-type': {
    message: 'La couche « {{table}} » contient des géométries courbes ({{type}}) : le Shapefile, le GeoJSON, les exports PostGIS vers GeoNature et beaucoup d’outils web ne savent pas les lire ; Passerelle les linéarise à l’affichage et à l’export.',
    fix: 'Si des segments droits suffisent, convertissez la couche (ogr2ogr -nlt CONVERT_TO_LINEAR).',
  },
  'curve-extension': {
    message: 'La couche « {{table}} » utilise des géométries {{type}}, mais gpkg_extensions n’enregistre pas l’extension gpkg_geom_{{type}}.',
    fix: 'Insérez la ligne dans gpkg_extensions (table « {{table}} », extension gpkg_geom_{{type}}, scope read-write).',
  },
  'rtree-missing': {
    message: 'La couche « {{table}} » n’a pas d’index spatial (rtree) : l’affichage et les requêtes par emprise doivent lire toutes les entités.',
    fix: 'Créez l’index (QGIS : Propriétés de la couche › Source › Créer un index spatial, ou ogrinfo -sql "SELECT CreateSpatialIndex(...)").',
  },
  'rtree-triggers': {
    message: 'Il manque à l’index spatial de « {{table}} » des déclencheurs (triggers) : {{missing}}. Les modifications de la couche ne le mettront plus à jour.',
    fix: 'Supprimez puis recréez l’index spatial.',
  },
  'rtree-inconsistent': {
    message: 'L’index spatial de « {{table}} » ne correspond plus à ses géométries (entités absentes ou en trop, emprises fausses) : des entités peuvent manquer sur la carte et dans les requêtes par emprise.',
    fix: 'Supprimez puis recréez l’index spatial.',
  },
  'rtree-orphan': {
    message: 'L’index spatial « {{name}} » n’appartient à aucune couche déclarée : c’est un reste d’une couche supprimée ou non déclarée.',
    fix: 'DROP TABLE "{{name}}" (il ne fait qu’occuper de la place), ou déclarez sa couche.',
  },
  'table-unregistered': {
    message: 'La table « {{table}} » n’est pas déclarée dans gpkg_contents : QGIS et GDAL ne l’affichent pas comme une couche.',
    fix: 'Déclarez « {{table}} » dans gpkg_contents (en features ou en attributes), ou supprimez-la.',
  },
  'view-unregistered': {
    message: 'La vue « {{table}} » n’est pas déclarée dans gpkg_contents : elle est invisible pour les SIG et peut cesser de fonctionner quand ses tables changent.',
    fix: 'Déclarez « {{table}} » dans gpkg_contents, ou supprimez-la.',
  },
  'ogr-count': {
    message: 'Selon gpkg_ogr_contents, « {{table}} » compte {{cached}} entités, mais elle en a {{actual}} : GDAL et QGIS afficheront un nombre faux.',
    fix: "UPDATE gpkg_ogr_contents SET feature_count = NULL WHERE table_name = '{{table}}' (GDAL recompte).",
  },
  identifier: {
    message: 'Le nom « {{name}} » n’est pas un identifiant SQL portable (trop long, commence par un chiffre, contient des majuscules, des espaces, des accents ou de la ponctuation, ou est un mot réservé) : en SQL, et une fois chargé dans PostgreSQL (GeoNature), il devra toujours être mis entre guillemets.',
    fix: 'Préférez des noms en minuscules, faits de lettres sans accent, de chiffres et de tirets bas, commençant par une lettre, de 63 caractères au plus.',
  },
  'geometry-column-name': {
    message: 'Les couches ne nomment pas leur colonne de géométrie de la même façon ({{names}}) : les scripts et les jointures doivent traiter chaque cas.',
    fix: 'Utilisez le même nom (par exemple « geom ») dans toutes les couches.',
  },
  'tiles-matrix-set': {
    message: 'La couche de tuiles « {{table}} » n’a pas de ligne dans gpkg_tile_matrix_set : ses tuiles ne peuvent pas être placées.',
    fix: 'Réexportez les tuiles avec GDAL (gdal_translate -of GPKG).',
  },
  more: {
    message: '… et {{more}} autre(s) entité(s) de « {{table}} » présentant le même problème ({{rule}}).',
    fix: 'La même correction que pour les entités listées ci-dessus.',
  },
};

export const gpkgRuleMessagesEn: Record<string, GpkgRuleText> = {
  'file-extension': {
    message: 'The file is named "{{name}}": a GeoPackage should end in .gpkg, and some tools only offer files with that extension.',
    fix: 'Rename the file with the .gpkg extension.',
  },
  'application-id': {
    message: 'The SQLite header’s application_id is {{applicationId}}, not "GPKG": readers may not recognise the file as a GeoPackage.',
    fix: 'Run PRAGMA application_id = 1196444487 (GPKG), or re-export the file with GDAL or QGIS.',
  },
  'user-version': {
    message: 'user_version is {{userVersion}}, which names no GeoPackage version (1.2 = 10200, 1.3 = 10300, 1.4 = 10400).',
    fix: 'Run PRAGMA user_version = 10300 (or the version the file follows).',
  },
  integrity: {
    message: 'SQLite reports damage in the file: {{detail}}',
    fix: 'Restore a backup, or export what can still be read to a new GeoPackage (passerelle gpkg convert).',
  },
  'foreign-keys': {
    message: 'Row {{rowid}} of "{{table}}" refers to a row of "{{parent}}" that does not exist.',
    fix: 'Add the missing row to "{{parent}}", or correct or delete the referring row.',
  },
  'srs-table': {
    message: 'The table gpkg_spatial_ref_sys is missing: no layer has a known coordinate system.',
    fix: 'Re-export the data with GDAL or QGIS, which create the GeoPackage tables.',
  },
  'srs-required-rows': {
    message: 'gpkg_spatial_ref_sys lacks rows the standard requires: {{missing}}.',
    fix: 'Insert the rows for srs_id -1 (undefined Cartesian), 0 (undefined geographic) and 4326 (WGS 84).',
  },
  'srs-undefined': {
    message: 'Layer "{{table}}" uses the undefined coordinate system {{srsId}}: it can neither be placed on a map nor reprojected.',
    fix: 'Assign its real CRS (e.g. EPSG:2154, Lambert-93) with the QGIS algorithm "Assign projection" or ogr2ogr -a_srs.',
  },
  'contents-table': {
    message: 'The table gpkg_contents is missing: readers see no layer in this file.',
    fix: 'Re-export the data with GDAL or QGIS, or recreate gpkg_contents and register each layer.',
  },
  'contents-missing-table': {
    message: 'gpkg_contents lists layer "{{table}}", but no table or view has that name.',
    fix: 'Delete the row "{{table}}" from gpkg_contents (and gpkg_geometry_columns), or restore the table.',
  },
  'contents-srs': {
    message: 'Layer "{{table}}" refers to srs_id {{srsId}}, which gpkg_spatial_ref_sys does not define.',
    fix: 'Add the coordinate system to gpkg_spatial_ref_sys, or correct the srs_id.',
  },
  'contents-last-change': {
    message: 'Layer "{{table}}" has last_change "{{value}}", not an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:MM:SS.SSSZ).',
    fix: "Set last_change to strftime('%Y-%m-%dT%H:%M:%fZ','now').",
  },
  'geometry-columns-table': {
    message: 'The table gpkg_geometry_columns is missing while the file has feature layers: their geometries cannot be found.',
    fix: 'Re-export the data with GDAL or QGIS.',
  },
  'geometry-columns-missing': {
    message: 'Feature layer "{{table}}" has no row in gpkg_geometry_columns: readers do not know which column holds its geometries.',
    fix: 'Insert a gpkg_geometry_columns row for "{{table}}".',
  },
  'geometry-columns-column': {
    message: 'gpkg_geometry_columns says the geometries of "{{table}}" are in column "{{column}}", which the table does not have.',
    fix: 'Correct column_name in gpkg_geometry_columns.',
  },
  'geometry-type-name': {
    message: 'Layer "{{table}}" declares its geometry type as "{{value}}": the standard wants a name from its Annex E, in upper case (POINT, LINESTRING, MULTIPOLYGON…). Strict readers refuse the layer.',
    fix: 'In gpkg_geometry_columns, set geometry_type_name to the type’s name in upper case (GEOMETRY if the layer mixes types).',
  },
  'geometry-columns-srs': {
    message: 'The geometry column of "{{table}}" refers to srs_id {{srsId}}, which gpkg_spatial_ref_sys does not define.',
    fix: 'Add the coordinate system to gpkg_spatial_ref_sys, or correct the srs_id.',
  },
  'geometry-columns-zm': {
    message: 'The geometry column of "{{table}}" has z = {{z}} and m = {{m}}; each must be 0 (none), 1 (always) or 2 (optional).',
    fix: 'Correct z and m in gpkg_geometry_columns.',
  },
  'primary-key': {
    message: 'Table "{{table}}" has no INTEGER PRIMARY KEY column: its rows have no stable identifier (fid), and many readers refuse it.',
    fix: 'Recreate "{{table}}" with a column "fid" INTEGER PRIMARY KEY AUTOINCREMENT (ogr2ogr does this on export).',
  },
  'column-type': {
    message: 'Field "{{column}}" of "{{table}}" is declared "{{type}}": not a GeoPackage data type, or an oversized width; GDAL and other readers then guess its type or report errors.',
    fix: 'Declare it with a GeoPackage type: BOOLEAN, INTEGER, REAL, TEXT (without a width), BLOB, DATE or DATETIME (re-exporting with ogr2ogr does it).',
  },
  'layer-empty': {
    message: 'Layer "{{table}}" has no rows.',
    fix: 'Remove the layer if it is not meant to be empty.',
  },
  'geometry-blob': {
    message: 'The geometry of feature {{fid}} in "{{table}}" cannot be read: {{detail}}.',
    fix: 'Redraw or delete the feature; if many are affected, the file was written by a faulty tool: re-export it.',
  },
  'geometry-type': {
    message: 'Feature {{fid}} of "{{table}}" is a {{actual}}, but the layer is declared {{declared}}.',
    fix: 'Convert the feature to {{declared}}, or declare the layer as GEOMETRY (or the matching multi-type).',
  },
  'geometry-dimension': {
    message: 'The geometry of feature {{fid}} of "{{table}}" does not follow what the layer declares for {{dim}}: it has {{dim}} values the layer prohibits, or lacks the ones the layer requires.',
    fix: 'Add or drop the geometries’ {{dim}} values to follow the layer’s declaration (ogr2ogr -dim), or make them optional ({{dim}} = 2) in gpkg_geometry_columns.',
  },
  'geometry-srs': {
    message: 'Feature {{fid}} of "{{table}}" says its coordinates are in srs_id {{actual}}, but the layer is in {{declared}}.',
    fix: 'Re-export the layer with ogr2ogr, which rewrites every geometry header.',
  },
  'geometry-null': {
    message: 'Feature {{fid}} of "{{table}}" has no geometry (NULL): it will not show on a map.',
    fix: 'Draw the feature, or move geometry-less rows to an attributes table.',
  },
  'geometry-empty': {
    message: 'Feature {{fid}} of "{{table}}" has an empty geometry ({{type}} EMPTY): it has no position.',
    fix: 'Draw the feature, or delete it.',
  },
  'geometry-invalid': {
    message: 'Feature {{fid}} of "{{table}}" is not a valid {{type}} (self-intersection, bad ring…): areas and overlays (intersection, union…) computed on it are wrong.',
    fix: 'Repair it (QGIS: Processing Toolbox › Fix Geometries, or ogr2ogr -makevalid).',
  },
  'geometry-not-simple': {
    message: 'Feature {{fid}} of "{{table}}" ({{type}}) crosses itself.',
    fix: 'Check the digitising of the line; if that is not intended, split it where it crosses itself.',
  },
  'ring-orientation': {
    message: 'Feature {{fid}} of "{{table}}" has an exterior ring turning clockwise (or a hole counter-clockwise): some tools then draw or measure it wrongly.',
    fix: 'Re-export with ogr2ogr (GDAL ≥ 3.7 writes counter-clockwise exterior rings), or fix the orientation in QGIS.',
  },
  'curve-type': {
    message: 'Layer "{{table}}" holds curve geometries ({{type}}): Shapefile, GeoJSON, PostGIS exports to GeoNature and many web tools cannot read them; Passerelle linearises them on display and export.',
    fix: 'If straight segments are enough, convert the layer (ogr2ogr -nlt CONVERT_TO_LINEAR).',
  },
  'curve-extension': {
    message: 'Layer "{{table}}" uses {{type}} geometries, but gpkg_extensions does not register the extension gpkg_geom_{{type}}.',
    fix: 'Insert the gpkg_extensions row (table "{{table}}", extension gpkg_geom_{{type}}, scope read-write).',
  },
  'rtree-missing': {
    message: 'Layer "{{table}}" has no spatial index (rtree): maps and box queries must read every feature.',
    fix: 'Create the index (QGIS: Layer Properties › Source › Create Spatial Index, or ogrinfo -sql "SELECT CreateSpatialIndex(...)").',
  },
  'rtree-triggers': {
    message: 'The spatial index of "{{table}}" lacks triggers: {{missing}}. Edits to the layer will no longer update it.',
    fix: 'Drop and recreate the spatial index.',
  },
  'rtree-inconsistent': {
    message: 'The spatial index of "{{table}}" no longer matches its geometries (features missing or extra, wrong boxes): features may be missing from maps and box queries.',
    fix: 'Drop and recreate the spatial index.',
  },
  'rtree-orphan': {
    message: 'The spatial index "{{name}}" belongs to no registered layer: it is left over from a deleted or unregistered layer.',
    fix: 'DROP TABLE "{{name}}" (it only takes space), or register its layer.',
  },
  'table-unregistered': {
    message: 'Table "{{table}}" is not listed in gpkg_contents: QGIS and GDAL will not show it as a layer.',
    fix: 'Register "{{table}}" in gpkg_contents (as features or attributes), or drop it.',
  },
  'view-unregistered': {
    message: 'View "{{table}}" is not listed in gpkg_contents: it is invisible to GIS tools and may break when its tables change.',
    fix: 'Register "{{table}}" in gpkg_contents, or drop it.',
  },
  'ogr-count': {
    message: 'gpkg_ogr_contents says "{{table}}" has {{cached}} features, but it has {{actual}}: GDAL and QGIS will show a wrong count.',
    fix: "UPDATE gpkg_ogr_contents SET feature_count = NULL WHERE table_name = '{{table}}' (GDAL recounts).",
  },
  identifier: {
    message: 'The name "{{name}}" is not a portable SQL identifier (too long, starts with a digit, has upper-case letters, spaces, accents or punctuation, or is a reserved word): in SQL, and once loaded into PostgreSQL (GeoNature), it must always be quoted.',
    fix: 'Prefer lower-case names of unaccented letters, digits and underscores, starting with a letter, at most 63 characters.',
  },
  'geometry-column-name': {
    message: 'Layers name their geometry column differently ({{names}}): scripts and joins must handle each case.',
    fix: 'Use one name (e.g. "geom") for every layer.',
  },
  'tiles-matrix-set': {
    message: 'Tile layer "{{table}}" has no row in gpkg_tile_matrix_set: its tiles cannot be placed.',
    fix: 'Re-export the tiles with GDAL (gdal_translate -of GPKG).',
  },
  more: {
    message: '…and {{more}} more feature(s) of "{{table}}" with the same problem ({{rule}}).',
    fix: 'The same fix as for the features listed above.',
  },
};

/** Conversion warnings (`gpkg.convert.<id>`), by id. */
export const gpkgConvertWarningsFr: Record<string, string> = {
  'skipped-attributes': 'La couche « {{layer}} » est une table sans géométrie : Passerelle n’écrit que des couches géographiques, elle n’a donc pas été convertie.',
  'skipped-layer': 'La couche « {{layer}} » ({{dataType}}) n’est pas une couche vectorielle : elle n’a pas été convertie.',
  'curves-linearised': 'La couche « {{layer}} » contient des courbes ({{type}}) : le format de sortie n’en a pas, elles ont été découpées en segments droits.',
  'm-dropped': 'La couche « {{layer}} » a des valeurs M : le format de sortie ne peut pas les stocker, elles ont été supprimées.',
  'reprojected-wgs84': 'Le format de sortie est toujours en WGS 84 (longitude/latitude) : la couche « {{layer}} » a été reprojetée.',
  'datetime-to-date': 'Le Shapefile enregistre les dates sans l’heure : l’heure des champs {{fields}} a été perdue.',
  'field-renamed': 'Le champ « {{from}} » a été renommé « {{to}} » : le format de sortie limite les noms de champs (10 caractères pour le Shapefile).',
};

export const gpkgConvertWarningsEn: Record<string, string> = {
  'skipped-attributes': 'Layer "{{layer}}" has no geometry: Passerelle writes feature layers only, so it was not converted.',
  'skipped-layer': 'Layer "{{layer}}" ({{dataType}}) is not a feature layer: it was not converted.',
  'curves-linearised': 'Layer "{{layer}}" has curves ({{type}}): the output format has none, so they were cut into straight segments.',
  'm-dropped': 'Layer "{{layer}}" has M values: the output format cannot store them, so they were dropped.',
  'reprojected-wgs84': 'The output format is always in WGS 84 longitude/latitude: layer "{{layer}}" was reprojected.',
  'datetime-to-date': 'Shapefile stores dates without time: the time of the fields {{fields}} was lost.',
  'field-renamed': 'Field "{{from}}" was renamed "{{to}}": the output format limits field names (10 characters for Shapefile).',
};
