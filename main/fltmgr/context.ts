// Minifilter contexts with reference counts: an instance context per instance, a stream context per
// (instance, stream). The owner (instance or stream) holds one reference; each Get adds one that the
// caller drops with release(). The filter's contextCleanup runs when the last reference goes.

import { FLT_SET_CONTEXT_KEEP_IF_EXISTS, FLT_SET_CONTEXT_REPLACE_IF_EXISTS } from './flt-constants.js';
import type { FltInstance } from './instance.js';
import { STATUS_FLT_CONTEXT_ALREADY_DEFINED, STATUS_SUCCESS, type NTSTATUS } from '../io/index.js';

export type ContextKind = 'instance' | 'stream';

export class FltContext<T = unknown> {
  private refCount = 1;
  /** Set while attached to an instance or stream. */
  attachedTo: { instance: FltInstance; stream: object | null } | null = null;
  private cleaned = false;

  constructor(readonly kind: ContextKind, readonly value: T, private readonly cleanup: () => void) {}

  get references(): number {
    return this.refCount;
  }

  reference(): this {
    if (this.cleaned) throw new Error(`${this.kind} context used after its last reference was released`);
    this.refCount++;
    return this;
  }

  /** FltReleaseContext. */
  release(): void {
    if (this.cleaned) throw new Error(`${this.kind} context released more often than referenced`);
    if (--this.refCount === 0) {
      this.cleaned = true;
      this.cleanup();
    }
  }
}

export interface SetContextResult<T> {
  status: NTSTATUS;
  /** With KEEP_IF_EXISTS: the context already set, referenced for the caller to release; else null. */
  oldContext: FltContext<T> | null;
}

/** One owner's slot for a context, with the FLT_SET_CONTEXT_* semantics. */
export function setContextSlot<T>(
  current: FltContext<T> | null,
  operation: number,
  next: FltContext<T>,
  install: (context: FltContext<T> | null) => void,
): SetContextResult<T> {
  if (current !== null && operation === FLT_SET_CONTEXT_KEEP_IF_EXISTS) {
    return { status: STATUS_FLT_CONTEXT_ALREADY_DEFINED, oldContext: current.reference() };
  }
  if (current !== null && operation !== FLT_SET_CONTEXT_REPLACE_IF_EXISTS) {
    return { status: STATUS_FLT_CONTEXT_ALREADY_DEFINED, oldContext: null };
  }
  next.reference();
  install(next);
  if (current !== null) {
    current.attachedTo = null;
    current.release();
  }
  return { status: STATUS_SUCCESS, oldContext: null };
}
