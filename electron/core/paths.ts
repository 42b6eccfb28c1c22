import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Name of the user data folder, the same one Electron's `app.getPath('userData')` gives. */
export const APP_FOLDER = 'Passerelle';

/**
 * The platform's user data folder, as Electron computes it for this app.
 *
 * Linux: $XDG_CONFIG_HOME/Passerelle or ~/.config/Passerelle; macOS: ~/Library/Application
 * Support/Passerelle; Windows: %APPDATA%\Passerelle.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER);
  }
}

/**
 * PASSERELLE_HOME: logs, connection profiles (never secrets), presets, saved mappings, and
 * the writable copies of the demo workspace.
 */
export function passerelleHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.PASSERELLE_HOME ? resolve(env.PASSERELLE_HOME) : defaultUserDataDir(env);
  mkdirSync(home, { recursive: true });
  return home;
}

/** The folder that holds package.json: the app root, from sources or from dist/. */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'passerelle') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    dir = dirname(dir);
  }
  throw new Error('Cannot find the Passerelle app root (package.json)');
}

/**
 * The folder of files shipped with the app (the demo workspace).
 *
 * PASSERELLE_RESOURCES overrides it; the packaged Electron app sets it to its
 * `resources` folder.
 */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PASSERELLE_RESOURCES ? resolve(env.PASSERELLE_RESOURCES) : join(appRoot(), 'resources');
}

/** The bundled demo workspace (real Écrins observations). It is opened read-only, always. */
export function demoWorkspacePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resourcesDir(env), 'demo', 'ecrins-demo.gpkg');
}

/** The app's version, from package.json. */
export function appVersion(): string {
  return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
