import type { Handlers } from '../dispatch.js';
import type { HandlerDeps } from './deps.js';
import { appHandlers } from './app.js';
import { workspaceHandlers } from './workspace.js';
import { jobHandlers } from './job.js';
import { mapHandlers } from './map.js';

/** All handlers, by contract method. TypeScript checks that none is missing. */
export function createHandlers(deps: HandlerDeps): Handlers {
  return {
    ...appHandlers(deps),
    ...workspaceHandlers(deps),
    ...mapHandlers(deps),
    ...jobHandlers(deps),
  };
}
