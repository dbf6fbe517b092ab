// One operation's trip through a volume's minifilter instances: pre-callbacks from the highest altitude
// down, then the file system, then post-callbacks back up. Pre-callbacks may complete or pend the
// operation; post-callbacks may hold it. The filter manager's own device follows the IRP rules of
// FSI ch. 12: whenever a callback may hold the IRP it marks it pending and returns STATUS_PENDING.

import {
  IoCallDriver, IoCompleteRequest, IoCopyCurrentIrpStackLocationToNext, IoMarkIrpPending,
  IoSetCompletionRoutine, IoSkipCurrentIrpStackLocation, STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING,
  STATUS_SUCCESS, type DeviceObject, type Irp, type NTSTATUS,
} from '../io/index.js';
import { FltCallbackData } from './callback-data.js';
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
  /** Its post-callback has run to the end (or was drained). */
  done: boolean;
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
  previousInflight: Operation | null = null;
  nextInflight: Operation | null = null;
  /** Runs after the last post-callback (the filter manager's own bookkeeping, e.g. stream teardown). */
  onPostsDone: (() => void) | null = null;

  constructor(
    readonly volume: FltVolume,
    readonly irp: Irp,
    readonly major: number,
    private readonly instances: readonly FltInstance[],
  ) {
    this.data = new FltCallbackData(irp, this);
  }

  /** The filter manager's dispatch for this operation; returns what its dispatch routine returns. */
  dispatch(): NTSTATUS {
    const outcome = this.runPre(0);
    if (outcome === PreOutcome.Pended) {
      this.markPending();
      return STATUS_PENDING;
    }
    if (outcome === PreOutcome.Completed) return this.completeFromPre();
    return this.forward();
  }

  /** FltCompletePendedPreOperation: resume after the instance that pended. */
  resumePre(status: FltPreopStatus, context: unknown): void {
    if (this.inPreCallback) throw new Error('completePendedPreOperation called inside the pre-callback that pended; return the status instead');
    const index = this.pendedAt;
    if (index < 0) throw new Error('completePendedPreOperation on an operation that is not pended');
    const instance = this.instances[index]!;
    this.pendedAt = -1;
    instance.pendedPreOperations--;
    const outcome = this.applyPreStatus(instance, status, context);
    instance.notifyProgress();
    const next = outcome === PreOutcome.Continue ? this.runPre(index + 1) : outcome;
    if (next === PreOutcome.Pended) return;
    if (next === PreOutcome.Completed) this.completeFromPre();
    else this.forward();
  }

  /** FltCompletePendedPostOperation: the held post-callback is done; continue upward and complete. */
  resumePost(): void {
    const held = this.posts[this.nextPost + 1];
    if (held === undefined || !held.held) throw new Error('completePendedPostOperation on an operation whose post-callback is not held');
    this.finishEntry(held);
    if (this.runPosts()) IoCompleteRequest(this.irp);
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
      } finally {
        this.inPreCallback = false;
      }
      const status = typeof result === 'number' ? result : result.status;
      if (status === FLT_PREOP_PENDING) {
        this.pendedAt = i;
        instance.pendedPreOperations++;
        return PreOutcome.Pended;
      }
      const outcome = this.applyPreStatus(instance, status, typeof result === 'number' ? undefined : result.context);
      if (outcome !== PreOutcome.Continue) return outcome;
    }
    return PreOutcome.Continue;
  }

  private applyPreStatus(instance: FltInstance, status: FltPreopStatus, context: unknown): PreOutcome {
    switch (status) {
      case FLT_PREOP_SUCCESS_WITH_CALLBACK:
      case FLT_PREOP_SYNCHRONIZE: {
        const post = instance.callbacksFor(this.major)!.post;
        if (post !== undefined) this.addPost(instance, post, context);
        return PreOutcome.Continue;
      }
      case FLT_PREOP_SUCCESS_NO_CALLBACK:
      case FLT_PREOP_DISALLOW_FASTIO:
        return PreOutcome.Continue;
      case FLT_PREOP_COMPLETE:
        return PreOutcome.Completed;
      default:
        throw new Error(`minifilter '${instance.name}' returned ${status} from a pre-operation callback; legal results are FLT_PREOP_*`);
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
    const lower = this.volume.lower;
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
  runPosts(): boolean {
    for (let i = this.nextPost; i >= 0; i--) {
      const entry = this.posts[i]!;
      this.nextPost = i - 1;
      if (entry.drained) continue;
      const result = entry.post(this.data, entry.instance.objects, entry.context, 0);
      if (result === FLT_POSTOP_MORE_PROCESSING_REQUIRED) {
        entry.held = true;
        entry.instance.heldPosts++;
        return false;
      }
      if (result !== FLT_POSTOP_FINISHED_PROCESSING) {
        throw new Error(`minifilter '${entry.instance.name}' returned ${result} from a post-operation callback; legal results are FLT_POSTOP_*`);
      }
      this.finishEntry(entry);
    }
    if (this.posts.length > 0) this.volume.untrack(this);
    this.onPostsDone?.();
    return true;
  }

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

  /** Teardown: call a not-yet-run post-callback now, flagged as draining. */
  drain(entry: PostEntry): void {
    if (entry.drained || entry.held) return;
    entry.drained = true;
    entry.post(this.data, entry.instance.objects, entry.context, FLTFL_POST_OPERATION_DRAINING);
    this.finishEntry(entry);
  }
}

function postOperationCompletion(_device: DeviceObject | null, _irp: Irp, context: unknown): NTSTATUS {
  const operation = context as Operation;
  return operation.startPosts() ? STATUS_SUCCESS : STATUS_MORE_PROCESSING_REQUIRED;
}
