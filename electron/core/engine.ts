import type { AppInfo } from '../../shared/contract/index.js';
import { createDispatcher, type Dispatch, type Handlers } from './dispatch.js';
import { createHandlers } from './handlers/index.js';
import type { JobRunner } from './jobs/runner.js';
import { createLogger, type Logger } from './log.js';
import { demoWorkspacePath, passerelleHome } from './paths.js';
import { SourceRegistry } from './tiles/sources.js';

export type Host = AppInfo['runtime']['host'];

export interface EngineOptions {
  host: Host;
  runner: JobRunner;
  env?: NodeJS.ProcessEnv;
  /** Electron's version when running inside the app. */
  electronVersion?: string | null;
  /** Echo log lines on stderr (the CLI's --verbose). */
  echoLog?: boolean;
  /** Handlers a face implements itself (the app's native file dialog). */
  overrides?: Partial<Handlers>;
}

/** Everything a face needs from the engine. */
export interface Engine {
  readonly dispatch: Dispatch;
  readonly handlers: Handlers;
  readonly log: Logger;
  readonly home: string;
  readonly demoPath: string;
  readonly runner: JobRunner;
  /** Opened files the map may draw, by opaque id (for tile URLs). */
  readonly sources: SourceRegistry;
  close(): Promise<void>;
}

/** Builds the engine: logger, handlers and the dispatcher, around a job runner. */
export function createEngine(opts: EngineOptions): Engine {
  const env = opts.env ?? process.env;
  const home = passerelleHome(env);
  const log = createLogger(home, { rotate: true, echo: opts.echoLog ?? false });
  const demoPath = demoWorkspacePath(env);
  const sources = new SourceRegistry();
  const handlers = createHandlers({
    host: opts.host,
    env,
    home,
    log,
    runner: opts.runner,
    demoPath,
    sources,
    electronVersion: opts.electronVersion ?? null,
  }, opts.overrides);
  log.info('engine started', { host: opts.host, pid: process.pid });
  return {
    dispatch: createDispatcher(handlers, log),
    handlers,
    log,
    home,
    demoPath,
    runner: opts.runner,
    sources,
    close: async () => {
      await opts.runner.close();
      sources.closeAll();
    },
  };
}
