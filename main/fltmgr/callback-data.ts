// FLT_CALLBACK_DATA: one operation as minifilters see it. It wraps the IRP held by the filter manager,
// so parameter and buffer changes made in a pre-callback travel down to the file system.

import {
  IoGetCurrentIrpStackLocation, type FileObject, type IoParameters, type IoStatusBlock, type Irp,
} from '../io/index.js';

export class FltCallbackData {
  private stateMap: Map<string, unknown> | null = null;

  /** Per-operation state filters may stash, keyed by their own name (made on first use). */
  get state(): Map<string, unknown> {
    return (this.stateMap ??= new Map());
  }

  /** @param operation the filter manager's record of this operation (opaque to minifilters). */
  constructor(readonly irp: Irp, readonly operation: unknown) {}

  get majorFunction(): number {
    return IoGetCurrentIrpStackLocation(this.irp).majorFunction;
  }
  get minorFunction(): number {
    return IoGetCurrentIrpStackLocation(this.irp).minorFunction;
  }
  /** The operation's parameters (the current stack location's), by NT member name. */
  get parameters(): IoParameters {
    return IoGetCurrentIrpStackLocation(this.irp).parameters;
  }
  get fileObject(): FileObject | null {
    return IoGetCurrentIrpStackLocation(this.irp).fileObject;
  }
  get ioStatus(): IoStatusBlock {
    return this.irp.ioStatus;
  }
  get requestorMode(): number {
    return this.irp.requestorMode;
  }
  /** Strata's own I/O (a filter's or the agent's internal requests). */
  get isInternal(): boolean {
    return this.fileObject?.internal === true;
  }
  get userBuffer(): Uint8Array | null {
    return this.irp.userBuffer;
  }
  set userBuffer(buffer: Uint8Array | null) {
    this.irp.userBuffer = buffer;
  }
  get infoBuffer(): unknown {
    return this.irp.infoBuffer;
  }
  set infoBuffer(value: unknown) {
    this.irp.infoBuffer = value;
  }
  get cancelled(): boolean {
    return this.irp.cancel;
  }
}
