import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

/** app://renderer/… is the UI, app://tiles/… are vector tiles. */
export const RENDERER_ORIGIN = 'app://renderer';

export type AppRoute =
  | { kind: 'file'; file: string; type: string }
  | { kind: 'tile'; sourceId: string; layer: string; z: number; x: number; y: number }
  | { kind: 'not-found'; reason: string };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Maps an app:// URL to what the protocol handler must serve, refusing anything that
 * would leave the renderer folder. Free of `electron`, so tested under Node.
 */
export function routeAppUrl(rawUrl: string, rendererDir: string): AppRoute {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'not-found', reason: 'malformed URL' };
  }
  if (url.protocol !== 'app:') return { kind: 'not-found', reason: 'not app:' };
  if (url.host === 'tiles') {
    const m = /^\/([0-9a-f]{16})\/(.+)\/(\d+)\/(\d+)\/(\d+)\.pbf$/.exec(url.pathname);
    if (!m) return { kind: 'not-found', reason: 'bad tile path' };
    return { kind: 'tile', sourceId: m[1] as string, layer: decodeURIComponent(m[2] as string), z: Number(m[3]), x: Number(m[4]), y: Number(m[5]) };
  }
  if (url.host !== 'renderer') return { kind: 'not-found', reason: `unknown host ${url.host}` };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'not-found', reason: 'bad encoding' };
  }
  const rel = normalize(path).replace(/^([/\\])+/, '') || 'index.html';
  const file = join(rendererDir, rel);
  if (!file.startsWith(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep)) return { kind: 'not-found', reason: 'outside the UI folder' };
  if (!existsSync(file) || !statSync(file).isFile()) {
    // Client-side routes fall back to the app shell.
    const index = join(rendererDir, 'index.html');
    return existsSync(index) ? { kind: 'file', file: index, type: TYPES['.html'] as string } : { kind: 'not-found', reason: 'UI not built' };
  }
  return { kind: 'file', file, type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
}
