import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The Content-Security-Policy of the UI, shared with the Electron app's protocol handler.
 * No inline script, no remote origin: everything comes from the app itself. The app adds
 * app://tiles, where its vector tiles come from.
 */
export function contentSecurityPolicy(extraConnect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Mantine and OpenLayers set element styles at runtime.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${extraConnect.map((c) => ' ' + c).join('')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The web host's policy: API, events and tiles are all same-origin. */
export const CSP = contentSecurityPolicy();

/** Constant-time token comparison (a timing side channel would leak the token byte by byte). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks Host and Origin against the addresses we serve on.
 *
 * The Host check defeats DNS rebinding (evil.example resolving to 127.0.0.1); the Origin
 * check refuses calls made by another site's page in the user's browser.
 */
export function sameOriginRequest(req: IncomingMessage, port: number): { ok: true } | { ok: false; reason: string } {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const host = req.headers.host;
  if (!host || !allowedHosts.has(host)) return { ok: false, reason: `unexpected Host header ${host ?? '(none)'}` };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, ''))) {
    return { ok: false, reason: `unexpected Origin ${origin}` };
  }
  return { ok: true };
}

/** The token from `Authorization: Bearer …`, or from `?token=` (EventSource and tile URLs cannot set headers). */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return url.searchParams.get('token');
}
