import type { ApiError, ErrorCode, ErrorParams } from '../../shared/contract/index.js';

/**
 * The one exception type the engine throws on purpose.
 *
 * It carries a contract error code, an English message that says what and where, and
 * the i18n key and parameters the UI uses to say the same in French or English. The
 * dispatcher turns it into an error value; anything else becomes INTERNAL.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly key: string;
  readonly params: ErrorParams | undefined;
  readonly where: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { key?: string; params?: ErrorParams; where?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.key = opts.key ?? `errors.${code}`;
    this.params = opts.params;
    this.where = opts.where;
  }

  toApiError(): ApiError {
    const details: NonNullable<ApiError['details']> = { key: this.key };
    if (this.params) details.params = this.params;
    if (this.where) details.where = this.where;
    return { code: this.code, message: this.message, details };
  }
}

/** True when `e` is our own error with the given code (for tests and retries). */
export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}

/**
 * Converts anything thrown into an error value.
 *
 * The only place (with the dispatcher) where exceptions become values. Unknown errors
 * keep their message for the log but are reported as INTERNAL.
 */
export function toApiError(e: unknown): ApiError {
  if (e instanceof AppError) return e.toApiError();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: `Internal error: ${message}`, details: { key: 'errors.INTERNAL', params: { message } } };
}

/** Rebuilds an AppError from an error value (e.g. one received from a job process). */
export function fromApiError(error: ApiError): AppError {
  return new AppError(error.code, error.message, {
    key: error.details?.key ?? `errors.${error.code}`,
    ...(error.details?.params ? { params: error.details.params } : {}),
    ...(error.details?.where ? { where: error.details.where } : {}),
  });
}

/** The error every job throws when it notices it was cancelled. */
export function cancelled(what: string): AppError {
  return new AppError('CANCELLED', `Cancelled: ${what}`, { key: 'errors.CANCELLED', params: { what } });
}
