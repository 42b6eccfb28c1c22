/**
 * The typed contract between the UI (or any client) and the engine.
 *
 * One table of methods (`methods.ts`), the events (`events.ts`), errors as values
 * (`errors.ts`) and a typed client over any transport (`client.ts`).
 */
export * from './errors.js';
export * from './methods.js';
export * from './events.js';
export * from './client.js';
export * from './ipc.js';
export * from './schemas/common.js';
export * from './schemas/app.js';
export * from './schemas/workspace.js';
export * from './schemas/map.js';
export * from './schemas/gpkg.js';
export * from './schemas/geonature.js';
export * from './schemas/metadata.js';
export * from './schemas/cleanup.js';
export * from './schemas/sensitivity.js';
export * from './schemas/bundle.js';
export * from './schemas/publish.js';
