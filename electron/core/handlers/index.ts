import type { Handlers } from '../dispatch.js';
import type { HandlerDeps } from './deps.js';
import { appHandlers } from './app.js';
import { workspaceHandlers } from './workspace.js';
import { jobHandlers } from './job.js';
import { mapHandlers } from './map.js';
import { desktopHandlers } from './desktop.js';
import { gpkgHandlers } from './gpkg.js';
import { geonatureHandlers } from './geonature.js';
import { metadataHandlers } from './metadata.js';
import { cleanupHandlers } from './cleanup.js';
import { sensitivityHandlers } from './sensitivity.js';
import { bundleHandlers } from './bundle.js';
import { publishHandlers } from './publish.js';

/** All handlers, by contract method. TypeScript checks that none is missing. */
export function createHandlers(deps: HandlerDeps, overrides: Partial<Handlers> = {}): Handlers {
  const all: Handlers = {
    ...appHandlers(deps),
    ...workspaceHandlers(deps),
    ...mapHandlers(deps),
    ...jobHandlers(deps),
    ...desktopHandlers(),
    ...gpkgHandlers(deps),
    ...geonatureHandlers(deps),
    ...metadataHandlers(deps),
    ...cleanupHandlers(deps),
    ...sensitivityHandlers(deps),
    ...bundleHandlers(deps),
    ...publishHandlers(deps),
  };
  // A face may replace a handler it implements better (the app's native file dialog).
  return { ...all, ...overrides };
}
