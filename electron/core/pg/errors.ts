import { AppError } from '../errors.js';

/**
 * Turns a pg/network error into an AppError a geomatician can act on.
 *
 * SQLSTATE classes: 28xxx authentication, 3D000 unknown database, 42501 privileges.
 */
export function pgError(e: unknown, target: string): AppError {
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  const msg = err.message ?? String(e);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || /timeout/i.test(msg)) {
    return new AppError('UNREACHABLE', `PostgreSQL at ${target} cannot be reached (${code || msg})`, {
      key: 'errors.PG_UNREACHABLE',
      params: { target, reason: code || msg },
      cause: e,
    });
  }
  if (code.startsWith('28')) {
    return new AppError('AUTH_FAILED', `PostgreSQL at ${target} refused the credentials (${msg})`, {
      key: 'errors.PG_AUTH_FAILED',
      params: { target },
      cause: e,
    });
  }
  if (code === '3D000') {
    return new AppError('NOT_FOUND', `The database does not exist at ${target} (${msg})`, {
      key: 'errors.PG_NO_DATABASE',
      params: { target },
      cause: e,
    });
  }
  return new AppError('INTERNAL', `PostgreSQL error at ${target}: ${msg}`, { key: 'errors.PG_OTHER', params: { target, message: msg }, cause: e });
}
