import type { Handlers } from '../dispatch.js';
import { tailLog } from '../log.js';
import { appVersion } from '../paths.js';
import { probeDatabase } from '../pg/probe.js';
import { libraryVersions } from '../versions.js';
import type { HandlerDeps } from './deps.js';

export function appHandlers(deps: HandlerDeps): Pick<Handlers, 'app.info' | 'app.log'> {
  return {
    'app.info': async () => ({
      app: { name: 'Passerelle', version: appVersion() },
      runtime: {
        node: process.versions.node,
        electron: deps.electronVersion,
        platform: `${process.platform}-${process.arch}`,
        host: deps.host,
      },
      libraries: libraryVersions(),
      database: await probeDatabase(deps.env),
      paths: { home: deps.home, logFile: deps.log.file, demoWorkspace: deps.demoPath },
    }),
    'app.log': async ({ lines }) => ({ path: deps.log.file, lines: tailLog(deps.log.file, lines) }),
  };
}
