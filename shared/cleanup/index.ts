/**
 * Pure cleanup rules (issue 8): fields and presets of a mapping, the checks, encoding repair,
 * dates, WKT and coordinate heuristics, nomenclature and taxon matching, the GeoNature export
 * layout. No Node, no DOM: the UI may use them for its own previews.
 */
export * from './checks.js';
export * from './coords.js';
export * from './dates.js';
export * from './duplicates.js';
export * from './fields.js';
export * from './geometry.js';
export * from './geonature-export.js';
export * from './mojibake.js';
export * from './nomenclatures.js';
export * from './normalize.js';
export * from './presets.js';
export * from './taxonomy.js';
export * from './messages.js';
