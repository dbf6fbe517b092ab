// A minifilter instance: one filter attached to one volume. It counts the operations pended in or held
// by its callbacks (so teardown can wait for them) and holds its instance and stream contexts, which can
// only be set while it is attached (a context set later would never be cleaned up).

import type { FileObject } from '../io/index.js';
import { STATUS_FLT_DELETING_OBJECT, STATUS_NOT_FOUND, STATUS_SUCCESS, type NTSTATUS } from '../io/index.js';
import { FltContext, setContextSlot, type SetContextResult } from './context.js';
import type { FltFilter } from './filter.js';
import type { FltOperationRegistration, FltRelatedObjects } from './registration.js';
import type { FltVolume } from './volume-frame.js';

export const enum InstanceState {
  Attached = 0,
  TearingDown = 1,
  Detached = 2,
}

/** The refusal of a context set on an instance being torn down: the caller keeps its reference. */
const DELETING: SetContextResult<never> = Object.freeze({ status: STATUS_FLT_DELETING_OBJECT, oldContext: null });

export class FltInstance {
  state = InstanceState.Attached;
  /** Operations this instance pended in its pre-callback and has not resumed yet. */
  pendedPreOperations = 0;
  /** Outstanding operations whose post-callback returned MORE_PROCESSING_REQUIRED and is not resumed. */
  heldPosts = 0;
  readonly objects: FltRelatedObjects;
  /** The teardown in progress or done, shared by every caller that asks for one. */
  teardown: Promise<void> | null = null;
  private instanceContext: FltContext | null = null;
  private readonly streamContexts = new Map<object, FltContext>();
  private idleWaiters: (() => void)[] = [];

  constructor(readonly filter: FltFilter, readonly volume: FltVolume) {
    this.objects = { instance: this, volume };
  }

  get name(): string {
    return this.filter.name;
  }
  get altitude(): string {
    return this.filter.altitude;
  }

  callbacksFor(major: number): FltOperationRegistration | undefined {
    return this.filter.callbacksFor(major);
  }

  /** FltSetInstanceContext; STATUS_FLT_DELETING_OBJECT once teardown has begun. */
  setInstanceContext<T>(operation: number, context: FltContext<T>): SetContextResult<T> {
    if (this.state !== InstanceState.Attached) return DELETING;
    return setContextSlot(this.instanceContext as FltContext<T> | null, operation, context, (installed) => {
      this.instanceContext = installed;
      if (installed) installed.attachedTo = { instance: this, stream: null };
    });
  }

  /** The instance context, referenced: release() it when done. */
  getInstanceContext<T>(): FltContext<T> | null {
    return (this.instanceContext?.reference() as FltContext<T> | undefined) ?? null;
  }

  /**
   * FltSetStreamContext. Stream contexts are keyed by the stream (the file system's fsContext), shared by
   * all its opens. STATUS_FLT_DELETING_OBJECT once teardown has begun.
   */
  setStreamContext<T>(fileObject: FileObject, operation: number, context: FltContext<T>): SetContextResult<T> {
    if (this.state !== InstanceState.Attached) return DELETING;
    const stream = fileObject.fsContext;
    if (stream === null) return { status: STATUS_NOT_FOUND, oldContext: null };
    const current = (this.streamContexts.get(stream) ?? null) as FltContext<T> | null;
    return setContextSlot(current, operation, context, (installed) => {
      if (installed === null) {
        this.streamContexts.delete(stream);
        return;
      }
      installed.attachedTo = { instance: this, stream };
      this.streamContexts.set(stream, installed);
    });
  }

  /** The stream context for `fileObject`'s stream, referenced: release() it when done. */
  getStreamContext<T>(fileObject: FileObject): FltContext<T> | null {
    const stream = fileObject.fsContext;
    if (stream === null) return null;
    return (this.streamContexts.get(stream)?.reference() as FltContext<T> | undefined) ?? null;
  }

  hasStreamContext(stream: object): boolean {
    return this.streamContexts.has(stream);
  }

  /** FltDeleteContext for a stream: drops the stream's reference. */
  deleteStreamContext(stream: object): NTSTATUS {
    const context = this.streamContexts.get(stream);
    if (context === undefined) return STATUS_NOT_FOUND;
    this.streamContexts.delete(stream);
    context.attachedTo = null;
    context.release();
    return STATUS_SUCCESS;
  }

  /** Drops every context this instance owns (teardown); a cleanup that throws does not stop the others. */
  releaseAllContexts(): void {
    let failure: { error: unknown } | null = null;
    const release = (drop: () => void): void => {
      try {
        drop();
      } catch (error) {
        failure ??= { error };
      }
    };
    for (const stream of [...this.streamContexts.keys()]) release(() => this.deleteStreamContext(stream));
    const context = this.instanceContext;
    this.instanceContext = null;
    if (context !== null) {
      context.attachedTo = null;
      release(() => context.release());
    }
    if (failure !== null) throw (failure as { error: unknown }).error;
  }

  get busy(): boolean {
    return this.pendedPreOperations > 0 || this.heldPosts > 0;
  }

  /** Resolves once no operation is pended in, or held by, this instance's callbacks. */
  waitIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  notifyProgress(): void {
    if (this.idleWaiters.length === 0 || this.busy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
