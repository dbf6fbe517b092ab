// What a minifilter declares: its registration table of {operation -> pre, post} and its instance
// callbacks, with the legal return values of each (as FLT_REGISTRATION in fltKernel.h).

import type { NTSTATUS } from '../io/index.js';
import type { FltCallbackData } from './callback-data.js';
import type { FltPostopStatus, FltPreopStatus } from './flt-constants.js';
import type { FltInstance } from './instance.js';
import type { FltVolume } from './volume-frame.js';

/** The objects an operation concerns, handed to each callback. */
export interface FltRelatedObjects {
  readonly instance: FltInstance;
  readonly volume: FltVolume;
}

/**
 * Pre-operation callback. Returns SUCCESS_WITH_CALLBACK (post will be called), SUCCESS_NO_CALLBACK,
 * COMPLETE (the callback set data.ioStatus; lower instances and the file system never see the
 * operation), PENDING (resume later with FilterManager.completePendedPreOperation), or SYNCHRONIZE.
 * A completion context for the post-callback may be returned alongside the status.
 */
export type PreOperationCallback = (
  data: FltCallbackData,
  objects: FltRelatedObjects,
) => FltPreopStatus | { status: FltPreopStatus; context: unknown };

/**
 * Post-operation callback. Returns FINISHED_PROCESSING, or MORE_PROCESSING_REQUIRED to hold the
 * operation until FilterManager.completePendedPostOperation. When `flags` has
 * FLTFL_POST_OPERATION_DRAINING the instance is being torn down: clean up and return FINISHED.
 */
export type PostOperationCallback = (
  data: FltCallbackData,
  objects: FltRelatedObjects,
  completionContext: unknown,
  flags: number,
) => FltPostopStatus;

export interface FltOperationRegistration {
  pre?: PreOperationCallback;
  post?: PostOperationCallback;
}

export interface FltRegistration {
  name: string;
  /** Decimal string, compared numerically; the higher the altitude, the earlier the pre-callback. */
  altitude: string;
  /** IRP_MJ_* -> callbacks. Operations absent here bypass the filter entirely. */
  operations: Partial<Record<number, FltOperationRegistration>>;
  /** Called when an instance could attach to a volume: STATUS_SUCCESS, or STATUS_FLT_DO_NOT_ATTACH. */
  instanceSetup?: (objects: FltRelatedObjects) => NTSTATUS;
  /** Asked before a manual detach: STATUS_SUCCESS, or STATUS_FLT_DO_NOT_DETACH to refuse. */
  instanceQueryTeardown?: (objects: FltRelatedObjects) => NTSTATUS;
  /** Teardown begins: complete or cancel every operation the filter has pended on this instance. */
  instanceTeardownStart?: (objects: FltRelatedObjects, reason: number) => void;
  /** Teardown is over: no callback of this instance runs again. */
  instanceTeardownComplete?: (objects: FltRelatedObjects, reason: number) => void;
  /** Releases what a context holds when its last reference goes. */
  contextCleanup?: (context: unknown, kind: 'instance' | 'stream') => void;
}
