/**
 * SINP sensitivity as pure rules (issue 6): the rule model, the evaluation of an
 * observation (taxon with synonyms and descendants, territory, period of the year, duration,
 * biological status and behaviour), overrides, the combination with NIV_PRECIS, the
 * propagation of a sensitive observation's blurring to its site and relevé, and the Darwin
 * Core generalisation terms. No Node, DOM or Electron: the UI may use it too.
 */
export * from './calendar.js';
export * from './compile.js';
export * from './evaluate.js';
export * from './generalization.js';
export * from './geonature-rules.js';
export * from './levels.js';
export * from './local-rules.js';
export * from './overrides.js';
export * from './propagation.js';
export * from './rule.js';
export * from './taxonomy.js';
export * from './territory.js';
