// Loading data for a view: the value, the error in flight order (a slow old answer never overwrites a
// newer one), and reload.

import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';

export interface Loaded<T> {
  value: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Replaces the value locally (after a live update or a change the view made itself). */
  update(change: (value: T | undefined) => T | undefined): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ value: T | undefined; error: unknown; loading: boolean }>({ value: undefined, error: null, loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => mine === generation.current && setState({ value, error: null, loading: false }),
      (error: unknown) => mine === generation.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, deps);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  // An update that changes nothing (a stream message about something else) must not re-render.
  const update = useCallback((change: (value: T | undefined) => T | undefined) => setState((s) => {
    const value = change(s.value);
    return Object.is(value, s.value) ? s : { ...s, value };
  }), []);
  return { ...state, reload: run, update };
}

/** An action a button starts: busy while it runs, its error kept for display until the next run. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await latest.current(...args);
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clearError: () => setError(null) };
}
