let sequence = 0;

/** A job id for progress events and cancel: unique in this window, readable in the log. */
export function newJobId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A key that changes at each call, for "do it again" requests (a new fit of the map…). */
export function freshKey(prefix: string): string {
  sequence += 1;
  return `${prefix}:${sequence}`;
}
