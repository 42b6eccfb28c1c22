import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The files the user opened or chose in this session.
 *
 * The web host and the app read or write only these (and what the app ships, such as
 * the demo): a page that somehow reached the API could not make the engine read
 * ~/.ssh/id_rsa. Paths are compared after resolving symbolic links.
 */
export class FileGrants {
  private readonly granted = new Set<string>();

  constructor(initial: readonly string[] = []) {
    for (const p of initial) this.grant(p);
  }

  private static canonical(path: string): string {
    const abs = resolve(path);
    try {
      return realpathSync(abs);
    } catch {
      return abs; // a file about to be created: keep its absolute form
    }
  }

  grant(path: string): void {
    this.granted.add(FileGrants.canonical(path));
  }

  allows(path: string): boolean {
    return this.granted.has(FileGrants.canonical(path));
  }
}

/** A policy that allows everything: the CLI, where the user typed every path. */
export const ALLOW_ALL = {
  grant(): void {},
  allows(): boolean {
    return true;
  },
};

export type PathGuard = Pick<FileGrants, 'grant' | 'allows'>;
