// Instance teardown, as the filter manager runs it for a manual detach, a filter unload or a volume
// dismount: no new operation reaches the instance; InstanceTeardownStart asks the filter to complete or
// cancel what it has pended; outstanding post-callbacks are called at once with the draining flag; the
// filter manager then waits until no operation is pended in or held by the instance's callbacks (each
// one that ends may have started another post-callback, drained in turn); only then do its contexts go
// and InstanceTeardownComplete run, after which no callback of the instance runs again.
// A callback that throws does not stop the teardown: the first failure is returned for the caller to report.

import type { IoManager } from '../io/index.js';
import { callbackFailure } from './callback-failure.js';
import { InstanceState, type FltInstance } from './instance.js';

/**
 * Tears `instance` down, or joins the teardown already in progress (then resolves with null). Finishes
 * synchronously when nothing is pended in or held by the instance.
 */
export function tearDownInstance(io: IoManager, instance: FltInstance, reason: number): Promise<Error | null> {
  if (instance.teardown !== null) return instance.teardown.then(() => null);
  const failures: Error[] = [];
  instance.state = InstanceState.TearingDown;
  instance.volume.rebuild();
  guard(io, instance, 'instanceTeardownStart', failures, () => instance.filter.registration.instanceTeardownStart?.(instance.objects, reason));
  let done: Promise<Error | null>;
  if (drainIfIdle(io, instance, failures)) {
    finish(io, instance, reason, failures);
    done = Promise.resolve(failures[0] ?? null);
  } else {
    done = finishWhenIdle(io, instance, reason, failures);
  }
  instance.teardown = done.then(() => undefined);
  return done;
}

async function finishWhenIdle(io: IoManager, instance: FltInstance, reason: number, failures: Error[]): Promise<Error | null> {
  try {
    do {
      await instance.waitIdle();
    } while (!drainIfIdle(io, instance, failures));
  } finally {
    finish(io, instance, reason, failures);
  }
  return failures[0] ?? null;
}

/** Drains the post-callbacks owed to `instance`; true when nothing is pended in or held by it any more. */
function drainIfIdle(io: IoManager, instance: FltInstance, failures: Error[]): boolean {
  for (const operation of instance.volume.inflight()) {
    for (const entry of operation.owedTo(instance)) {
      const failure = operation.drain(entry);
      if (failure !== null) failures.push(failure);
    }
  }
  return !instance.busy;
}

function finish(io: IoManager, instance: FltInstance, reason: number, failures: Error[]): void {
  if (instance.state === InstanceState.Detached) return;
  guard(io, instance, 'contextCleanup', failures, () => instance.releaseAllContexts());
  guard(io, instance, 'instanceTeardownComplete', failures, () => instance.filter.registration.instanceTeardownComplete?.(instance.objects, reason));
  instance.state = InstanceState.Detached;
  instance.filter.instances.delete(instance);
  instance.volume.remove(instance);
}

function guard(io: IoManager, instance: FltInstance, where: string, failures: Error[], call: () => void): void {
  try {
    call();
  } catch (error) {
    failures.push(callbackFailure(io, instance.name, where, error));
  }
}
