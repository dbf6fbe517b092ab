// A minifilter callback that throws or returns an illegal result must not strand its operation or stop
// a teardown: the filter manager ends the operation with STATUS_INTERNAL_ERROR (or finishes the
// teardown) and, with the verifier on, reports the break as a VerifierError ('minifilter-callback-failed')
// naming the filter, the callback and the operation. With the verifier off the status is the caller's
// report, and the error goes to the I/O manager's onDriverFailure (the agent logs it).

import { VerifierError, majorFunctionName, type IoManager } from '../io/index.js';

/** Which callback failed, for the report. */
export type FailedStep = 'pre-operation callback' | 'post-operation callback' | 'draining post-operation callback' | 'completePendedPreOperation';

/** The failure of an operation callback: names the filter, the callback and the operation. */
export function operationFailure(io: IoManager, filterName: string, step: FailedStep, major: number, problem: unknown): Error {
  return callbackFailure(io, filterName, `${step} for ${majorFunctionName(major)}`, problem);
}

/** The failure of any callback (`where`: "instanceTeardownStart", ...). */
export function callbackFailure(io: IoManager, filterName: string, where: string, problem: unknown): Error {
  const what = problem instanceof Error ? `threw ${problem.name}: ${problem.message}` : String(problem);
  const message = `minifilter '${filterName}', ${where}: ${what}`;
  if (!io.verifier) return new Error(message, { cause: problem });
  const error = new VerifierError('minifilter-callback-failed', message);
  (error as { cause?: unknown }).cause = problem;
  return error;
}

/**
 * Reports `error`: with the verifier off, to io.onDriverFailure; with it on, `toCaller` throws it to the caller that drove the work (dispatch's
 * caller, completePendedPreOperation's, detachInstance's); otherwise it is raised on a fresh microtask,
 * because throwing into the code that completed the IRP below (a file system) or into the cascade of a
 * device deletion would break that code's own bookkeeping.
 */
export function reportFailure(io: IoManager, error: Error | null, toCaller: boolean): void {
  if (error === null) return;
  if (!io.verifier) {
    io.onDriverFailure?.(error);
    return;
  }
  if (toCaller) throw error;
  queueMicrotask(() => {
    throw error;
  });
}
