/**
 * SINP metadata (CA and JDD): the model, the nomenclature catalog, the licences, the validation
 * rules and their French/English texts. Pure: importable from the engine, the CLI and the UI.
 */
export * from './schemas.js';
export * from './model.js';
export * from './nomenclature-types.js';
export * from './nomenclatures.js';
export { SINP_NOMENCLATURE_SOURCE } from './nomenclature-data.js';
export * from './licences.js';
export * from './messages.js';
export * from './validation.js';
export * from './export-context.js';
export * from './restructure.js';
