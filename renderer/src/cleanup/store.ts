import { useCallback, useSyncExternalStore } from 'react';

/**
 * What the cleanup view keeps while it is not on screen: the app shows one view at a time, so
 * "show on the map" unmounts the view, and the user expects the wizard, the last check and its
 * open group to be there when they come back. A small external store keyed by name (and by
 * workspace where it matters), read with `useSyncExternalStore`.
 */
const values = new Map<string, unknown>();
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function read<T>(key: string, initial: T): T {
  return values.has(key) ? (values.get(key) as T) : initial;
}

/**
 * Like `useState`, but the value outlives the component (same key, same value). `initial` must be
 * a stable value (a constant, null): it is what the store answers for a key never set.
 */
export function usePersisted<T>(key: string, initial: T): [T, (next: T | ((prev: T) => T)) => void] {
  const value = useSyncExternalStore(
    subscribe,
    () => read(key, initial),
    () => read(key, initial),
  );
  const set = useCallback(
    (next: T | ((prev: T) => T)) => {
      const prev = read(key, initial);
      values.set(key, typeof next === 'function' ? (next as (p: T) => T)(prev) : next);
      for (const l of listeners) l();
    },
    [key, initial],
  );
  return [value, set];
}
