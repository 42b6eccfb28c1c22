import type { AppInfo } from '../../../shared/contract/index.js';
import type { JobRunner } from '../jobs/runner.js';
import type { Logger } from '../log.js';
import type { SourceRegistry } from '../tiles/sources.js';

/** What handlers are built from (no module-level state: everything is passed in). */
export interface HandlerDeps {
  host: AppInfo['runtime']['host'];
  env: NodeJS.ProcessEnv;
  home: string;
  log: Logger;
  runner: JobRunner;
  demoPath: string;
  sources: SourceRegistry;
  electronVersion: string | null;
}
