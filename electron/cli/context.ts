import type { Command } from 'commander';
import type { ExitCode, In, Method, Result } from '../../shared/contract/index.js';
import type { Engine } from '../core/engine.js';
import type { OutputOptions } from './output.js';

/** Options every command accepts (declared on the program). */
export interface GlobalOpts {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** What a command group gets to register its commands. */
export interface CliContext {
  readonly program: Command;
  /** The engine, created on first use (so `--help` stays instant). */
  engine(): Engine;
  /** Calls a contract method in-process, with progress on stderr. */
  call<M extends Method>(method: M, input: In<M>): Promise<Result<unknown>>;
  output(): OutputOptions;
  /** Sets the process exit code of this run. */
  exit(code: ExitCode): void;
  /** Resolves `-w` / PASSERELLE_WORKSPACE: "demo" is the bundled demo (never modified). */
  workspacePath(value: string): string;
  /** Stops handling Ctrl-C as "cancel the job" (long-running servers handle it themselves). */
  releaseSigint(): void;
}
