// One implementation of the file-system logic for synchronous and asynchronous backends. Multi-step
// operations are generators that `yield* wait(backendCall())`: `drive` feeds plain values straight back
// (a synchronous backend runs the whole operation inside the dispatch routine) and only suspends on a
// promise (an asynchronous backend). Errors, thrown or rejected, reach the generator's own try/catch.

/** A backend answer: the value itself, or a promise of it. */
export type MaybeAsync<T> = T | Promise<T>;

export type Operation<T> = Generator<unknown, T, unknown>;

/** Yields one backend answer and returns its value, typed. */
export function* wait<T>(value: MaybeAsync<T>): Generator<unknown, T, unknown> {
  return (yield value) as T;
}

/** Runs `operation` to its end: synchronously while its steps are, as a promise from the first pending step. */
export function drive<T>(operation: Operation<T>): MaybeAsync<T> {
  return advance(operation, operation.next());
}

function advance<T>(operation: Operation<T>, step: IteratorResult<unknown, T>): MaybeAsync<T> {
  while (!step.done) {
    const value = step.value;
    if (value instanceof Promise) {
      return value.then(
        (resolved) => advance(operation, operation.next(resolved)),
        (error: unknown) => advance(operation, operation.throw(error)),
      );
    }
    step = operation.next(value);
  }
  return step.value;
}

/** `next(value)`, now when `value` is plain, once it resolves when it is a promise. */
export function after<T, R>(value: MaybeAsync<T>, next: (value: T) => R): MaybeAsync<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
