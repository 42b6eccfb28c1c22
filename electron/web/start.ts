import { join } from 'node:path';
import { createEngine, type Engine } from '../core/engine.js';
import { ProcessPoolRunner } from '../core/jobs/process-pool-runner.js';
import { appRoot } from '../core/paths.js';
import { createWebHost, type WebHost } from './server.js';

/** Where `vite build` puts the renderer. */
export function rendererDir(): string {
  return process.env.PASSERELLE_RENDERER_DIR ?? join(appRoot(), 'dist', 'renderer');
}

/** Starts the engine (with its job processes) and the web host; `close` stops both. */
export async function startWebHost(opts: { port: number; warm?: boolean; token?: string; env?: NodeJS.ProcessEnv }): Promise<WebHost & { engine: Engine }> {
  const runner = new ProcessPoolRunner();
  if (opts.warm !== false) runner.warm();
  const engine = createEngine({ host: 'web', runner, ...(opts.env ? { env: opts.env } : {}) });
  const host = await createWebHost({ engine, port: opts.port, staticDir: rendererDir(), ...(opts.token ? { token: opts.token } : {}) });
  return {
    ...host,
    engine,
    close: async () => {
      await host.close();
      await engine.close();
    },
  };
}
