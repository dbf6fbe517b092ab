// One operation's trip through a volume's minifilter instances: pre-callbacks from the highest altitude
// down, then the file system, then post-callbacks back up. Pre-callbacks may complete or pend the
// operation; post-callbacks may hold it. The filter manager's own device follows the IRP rules of
// FSI ch. 12: whenever a callback may hold the IRP it marks it pending and returns STATUS_PENDING.
// A callback that throws or returns an illegal result ends the operation with STATUS_INTERNAL_ERROR
// (never a stranded IRP); with the verifier on the failure is thrown to the call driving the operation
// (dispatch, completePendedPre/PostOperation) when it returns, else raised on its own (callback-failure.ts).

import {
  IRP_MJ_CREATE, IoCallDriver, IoCompleteRequest, IoCopyCurrentIrpStackLocationToNext, IoMarkIrpPending,
  CREATE_OPENED, IoSetCompletionRoutine, IoSkipCurrentIrpStackLocation, STATUS_INTERNAL_ERROR,
  STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING, STATUS_SUCCESS, STATUS_VOLUME_DISMOUNTED, type DeviceObject,
  type FileObject, type IoManager, type Irp, type NTSTATUS,
} from '../io/index.js';
import { FltCallbackData } from './callback-data.js';
import { operationFailure, reportFailure, type FailedStep } from './callback-failure.js';
import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED,
  FLT_PREOP_COMPLETE, FLT_PREOP_DISALLOW_FASTIO, FLT_PREOP_PENDING, FLT_PREOP_SUCCESS_NO_CALLBACK,
  FLT_PREOP_SUCCESS_WITH_CALLBACK, FLT_PREOP_SYNCHRONIZE, type FltPreopStatus,
} from './flt-constants.js';
import { InstanceState, type FltInstance } from './instance.js';
import type { PostOperationCallback } from './registration.js';
import type { FltVolume } from './volume-frame.js';

export interface PostEntry {
  readonly instance: FltInstance;
  readonly post: PostOperationCallback;
  readonly context: unknown;
  readonly operation: Operation;
  /** Called early, with FLTFL_POST_OPERATION_DRAINING, because the instance was torn down. */
  drained: boolean;
  /** Its post-callback returned MORE_PROCESSING_REQUIRED and has not been resumed. */
  held: boolean;
  /** Its post-callback has run to the end (or was drained, or its instance is gone). */
  done: boolean;
}

/** What an operation needs from the filter manager. */
export interface OperationHost {
  readonly io: IoManager;
  /** FltCancelFileOpen: undoes an open below `instance`. */
  cancelFileOpen(instance: FltInstance, fileObject: FileObject): Promise<void>;
}

const enum PreOutcome {
  Continue,
  Completed,
  Pended,
}

export function operationOf(data: FltCallbackData): Operation {
  const operation = data.operation;
  if (!(operation instanceof Operation)) throw new Error('callback data does not belong to an operation in progress');
  return operation;
}

export class Operation {
  readonly data: FltCallbackData;
  private readonly posts: PostEntry[] = [];
  private nextPost = -1;
  private pendedAt = -1;
  private inPreCallback = false;
  /** The dispatch routine has marked the IRP pending and returned (or will return) STATUS_PENDING. */
  private pended = false;
  /** The IRP has been sent to the file system below. */
  private forwarded = false;
  /** Calls in progress whose caller can be handed a failure (dispatch, completePended*Operation). */
  private driving = 0;
  /** A callback's failure not reported yet; the operation ends with STATUS_INTERNAL_ERROR. */
  private failure: Error | null = null;
  previousInflight: Operation | null = null;
  nextInflight: Operation | null = null;
  /** Runs after the last post-callback (the filter manager's own bookkeeping, e.g. stream teardown). */
  onPostsDone: (() => void) | null = null;

  constructor(
    readonly volume: FltVolume,
    readonly irp: Irp,
    readonly major: number,
    private readonly instances: readonly FltInstance[],
    private readonly host: OperationHost,
  ) {
    this.data = new FltCallbackData(irp, this);
  }

  /** The filter manager's dispatch for this operation; returns what its dispatch routine returns. */
  dispatch(): NTSTATUS {
    return this.drive(() => {
      const outcome = this.runPre(0);
      if (outcome === PreOutcome.Pended) {
        this.markPending();
        return STATUS_PENDING;
      }
      if (outcome === PreOutcome.Completed) return this.completeFromPre();
      return this.forward();
    });
  }

  /** FltCompletePendedPreOperation: resume after the instance that pended. */
  resumePre(status: FltPreopStatus, context: unknown): void {
    if (this.inPreCallback) throw new Error('completePendedPreOperation called inside the pre-callback that pended; return the status instead');
    const index = this.pendedAt;
    if (index < 0) throw new Error('completePendedPreOperation on an operation that is not pended');
    this.drive(() => {
      const instance = this.instances[index]!;
      this.pendedAt = -1;
      instance.pendedPreOperations--;
      const outcome = this.applyPreStatus(instance, status, context, 'completePendedPreOperation');
      instance.notifyProgress();
      const next = outcome === PreOutcome.Continue ? this.runPre(index + 1) : outcome;
      if (next === PreOutcome.Pended) return;
      if (next === PreOutcome.Completed) this.completeFromPre();
      else this.forward();
    });
  }

  /** FltCompletePendedPostOperation: the held post-callback is done; continue upward and complete. */
  resumePost(): void {
    const held = this.posts[this.nextPost + 1];
    if (held === undefined || !held.held) throw new Error('completePendedPostOperation on an operation whose post-callback is not held');
    this.drive(() => this.continueAfterHold(held));
  }

  /**
   * Runs `step` for a caller that can be handed a failure: when the outermost such call returns, a
   * callback's failure is thrown to it (with the verifier on). The operation has ended by then, unless
   * it is held (e.g. undoing an open a failed post-create left): it then completes later on its own.
   */
  private drive<T>(step: () => T): T {
    this.driving++;
    let result: T;
    try {
      result = step();
    } finally {
      this.driving--;
    }
    if (this.driving === 0) this.reportNow(true);
    return result;
  }

  private reportNow(toCaller: boolean): void {
    const failure = this.failure;
    this.failure = null;
    reportFailure(this.host.io, failure, toCaller);
  }

  /**
   * Records a callback's failure; the operation's status becomes STATUS_INTERNAL_ERROR. Without a driving
   * call (a post-callback run as the file system completes the IRP later) it is raised on its own.
   */
  private fail(instance: FltInstance, step: FailedStep, problem: unknown): void {
    this.failure ??= operationFailure(this.host.io, instance.name, step, this.major, problem);
    this.data.ioStatus.status = STATUS_INTERNAL_ERROR;
    this.data.ioStatus.information = 0;
    if (this.driving === 0) this.reportNow(false);
  }

  private runPre(from: number): PreOutcome {
    const instances = this.instances;
    for (let i = from; i < instances.length; i++) {
      const instance = instances[i]!;
      if (instance.state !== InstanceState.Attached) continue;
      const callbacks = instance.callbacksFor(this.major)!;
      if (callbacks.pre === undefined) {
        if (callbacks.post !== undefined) this.addPost(instance, callbacks.post, undefined);
        continue;
      }
      this.inPreCallback = true;
      let result;
      try {
        result = callbacks.pre(this.data, instance.objects);
      } catch (error) {
        // The instances below never see the operation; the posts above still run, with the failure.
        this.fail(instance, 'pre-operation callback', error);
        return PreOutcome.Completed;
      } finally {
        this.inPreCallback = false;
      }
      const status = typeof result === 'number' ? result : result?.status;
      if (status === FLT_PREOP_PENDING) {
        this.pendedAt = i;
        instance.pendedPreOperations++;
        return PreOutcome.Pended;
      }
      const context = typeof result === 'object' && result !== null ? result.context : undefined;
      const outcome = this.applyPreStatus(instance, status, context, 'pre-operation callback');
      if (outcome !== PreOutcome.Continue) return outcome;
    }
    return PreOutcome.Continue;
  }

  private applyPreStatus(instance: FltInstance, status: unknown, context: unknown, step: FailedStep): PreOutcome {
    switch (status) {
      case FLT_PREOP_SUCCESS_WITH_CALLBACK:
      case FLT_PREOP_SYNCHRONIZE: {
        const post = instance.callbacksFor(this.major)!.post;
        // After TeardownComplete no callback of the instance runs again: it gets no post-callback.
        if (post !== undefined && instance.state !== InstanceState.Detached) this.addPost(instance, post, context);
        return PreOutcome.Continue;
      }
      case FLT_PREOP_SUCCESS_NO_CALLBACK:
      case FLT_PREOP_DISALLOW_FASTIO:
        return PreOutcome.Continue;
      case FLT_PREOP_COMPLETE:
        return PreOutcome.Completed;
      default:
        this.fail(instance, step, `${step === 'completePendedPreOperation' ? 'was given' : 'returned'} ${String(status)}; legal results are FLT_PREOP_* (PENDING only as a pre-callback's return)`);
        return PreOutcome.Completed;
    }
  }

  private addPost(instance: FltInstance, post: PostOperationCallback, context: unknown): void {
    const entry: PostEntry = { instance, post, context, operation: this, drained: false, held: false, done: false };
    // The volume tracks operations, not entries: one set update per operation, none per layer.
    if (this.posts.length === 0) this.volume.track(this);
    this.posts.push(entry);
  }

  private markPending(): void {
    if (this.pended) return;
    IoMarkIrpPending(this.irp);
    this.pended = true;
  }

  /** A pre-callback completed the operation: the posts of the instances above it still run. */
  private completeFromPre(): NTSTATUS {
    this.nextPost = this.posts.length - 1;
    if (!this.runPosts()) {
      this.markPending();
      return STATUS_PENDING;
    }
    const status = this.irp.ioStatus.status;
    IoCompleteRequest(this.irp);
    return this.pended ? STATUS_PENDING : status;
  }

  /** Sends the operation to the file system below, with a completion routine when posts are owed. */
  private forward(): NTSTATUS {
    const irp = this.irp;
    if (this.volume.dismounted) {
      // Resumed after its volume was dismounted: the file system's volume device is gone.
      irp.ioStatus.status = STATUS_VOLUME_DISMOUNTED;
      irp.ioStatus.information = 0;
      return this.completeFromPre();
    }
    const lower = this.volume.lower;
    this.forwarded = true;
    if (this.posts.length === 0 && !this.pended && this.onPostsDone === null) {
      IoSkipCurrentIrpStackLocation(irp);
      return IoCallDriver(lower, irp);
    }
    IoCopyCurrentIrpStackLocationToNext(irp);
    IoSetCompletionRoutine(irp, postOperationCompletion, this, true, true, true);
    // A post-callback may hold the IRP: pend always, so no caller sees a "completed" IRP still held.
    this.markPending();
    IoCallDriver(lower, irp);
    return STATUS_PENDING;
  }

  /** Runs post-callbacks upward from nextPost; false when one holds the operation. */
  private runPosts(): boolean {
    for (let i = this.nextPost; i >= 0; i--) {
      const entry = this.posts[i]!;
      this.nextPost = i - 1;
      if (entry.drained || entry.done) continue;
      if (entry.instance.state === InstanceState.Detached) {
        entry.done = true;
        continue;
      }
      let result: unknown;
      try {
        result = entry.post(this.data, entry.instance.objects, entry.context, 0);
      } catch (error) {
        if (this.failPost(entry, error)) return false;
        continue;
      }
      if (result === FLT_POSTOP_MORE_PROCESSING_REQUIRED) {
        this.hold(entry);
        return false;
      }
      if (result !== FLT_POSTOP_FINISHED_PROCESSING) {
        if (this.failPost(entry, `returned ${String(result)}; legal results are FLT_POSTOP_*`)) return false;
        continue;
      }
      this.finishEntry(entry);
    }
    if (this.posts.length > 0) this.volume.untrack(this);
    this.onPostsDone?.();
    return true;
  }

  /**
   * A post-callback failed: the operation fails. When the file system had opened a file for it, the open
   * is undone below the instance first (FltCancelFileOpen), holding the operation meanwhile; true then.
   */
  private failPost(entry: PostEntry, problem: unknown): boolean {
    const opened = this.forwarded && this.major === IRP_MJ_CREATE && CREATE_OPENED(this.data.ioStatus.status) && this.data.fileObject !== null;
    this.fail(entry.instance, 'post-operation callback', problem);
    if (!opened) {
      this.finishEntry(entry);
      return false;
    }
    this.hold(entry);
    const undo = (): void => this.continueAfterHold(entry);
    this.host.cancelFileOpen(entry.instance, this.data.fileObject!).then(undo, undo);
    return true;
  }

  private hold(entry: PostEntry): void {
    entry.held = true;
    entry.instance.heldPosts++;
  }

  /** The held post-callback is done: run the posts above it and complete the IRP. */
  private continueAfterHold(entry: PostEntry): void {
    this.finishEntry(entry);
    if (this.runPosts()) IoCompleteRequest(this.irp);
  }

  /** The completion routine's part: the file system completed the IRP. */
  startPosts(): boolean {
    this.nextPost = this.posts.length - 1;
    return this.runPosts();
  }

  private finishEntry(entry: PostEntry): void {
    const instance = entry.instance;
    if (entry.held) {
      entry.held = false;
      instance.heldPosts--;
    }
    entry.done = true;
    instance.notifyProgress();
  }

  /** The post entries still owed to `instance`. */
  owedTo(instance: FltInstance): PostEntry[] {
    return this.posts.filter((entry) => entry.instance === instance && !entry.done);
  }

  /**
   * Teardown: call a not-yet-run post-callback now, flagged as draining. It reads the callback data's
   * snapshot (the IRP may be below, owned by the file system). Returns the callback's failure, if any.
   */
  drain(entry: PostEntry): Error | null {
    if (entry.drained || entry.held || entry.done) return null;
    entry.drained = true;
    try {
      entry.post(this.data, entry.instance.objects, entry.context, FLTFL_POST_OPERATION_DRAINING);
      return null;
    } catch (error) {
      return operationFailure(this.host.io, entry.instance.name, 'draining post-operation callback', this.major, error);
    } finally {
      this.finishEntry(entry);
    }
  }
}

function postOperationCompletion(_device: DeviceObject | null, _irp: Irp, context: unknown): NTSTATUS {
  const operation = context as Operation;
  return operation.startPosts() ? STATUS_SUCCESS : STATUS_MORE_PROCESSING_REQUIRED;
}
