import type { z } from 'zod';
import { appMethods } from './methods/app.js';
import { gpkgMethods } from './methods/gpkg.js';
import { geonatureMethods } from './methods/geonature.js';
import { dialogMethods } from './methods/dialog.js';
import { secretsMethods } from './methods/secrets.js';
import { jobMethods } from './methods/job.js';
import { mapMethods } from './methods/map.js';
import { workspaceMethods } from './methods/workspace.js';
import { metadataMethods } from './methods/metadata.js';
import { cleanupMethods } from './methods/cleanup.js';
import { sensitivityMethods } from './methods/sensitivity.js';
import { bundleMethods } from './methods/bundle.js';
import { publishMethods } from './methods/publish.js';
import type { MethodSpec } from './methods/define.js';

export type { MethodSpec, PathPolicy } from './methods/define.js';

/**
 * The table of every method the engine offers, named `domain.verb`, one file per domain
 * under `methods/`.
 *
 * This is the only way the UI reaches the engine, whatever the transport (Electron IPC,
 * HTTP, in-process). Inputs and outputs are validated at runtime against these schemas.
 */
export const methods = {
  ...appMethods,
  ...workspaceMethods,
  ...mapMethods,
  ...jobMethods,
  ...dialogMethods,
  ...secretsMethods,
  ...gpkgMethods,
  ...geonatureMethods,
  ...metadataMethods,
  ...cleanupMethods,
  ...sensitivityMethods,
  ...bundleMethods,
  ...publishMethods,
} as const satisfies Record<string, MethodSpec>;

export type Methods = typeof methods;
export type Method = keyof Methods;
/** What a caller passes (defaults not yet applied). */
export type In<M extends Method> = z.input<Methods[M]['input']>;
/** What a handler receives (validated, defaults applied). */
export type Parsed<M extends Method> = z.output<Methods[M]['input']>;
export type Out<M extends Method> = z.output<Methods[M]['output']>;

export const METHOD_NAMES = Object.keys(methods) as Method[];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(methods, name);
}
