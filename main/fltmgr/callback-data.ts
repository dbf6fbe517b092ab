// FLT_CALLBACK_DATA: one operation as minifilters see it. It wraps the IRP held by the filter manager,
// so parameter and buffer changes made in a pre-callback travel down to the file system. What names the
// operation (major and minor function, parameters, file object) is taken from the filter manager's stack
// location once, when the operation enters: a post-callback drained while the IRP is below (owned by the
// file system) can still read it without touching the IRP. Results and buffers come from the IRP itself.

import {
  IoGetCurrentIrpStackLocation, type FileObject, type IoParameters, type IoStatusBlock, type Irp,
} from '../io/index.js';

export class FltCallbackData {
  private stateMap: Map<string, unknown> | null = null;

  /** Per-operation state filters may stash, keyed by their own name (made on first use). */
  get state(): Map<string, unknown> {
    return (this.stateMap ??= new Map());
  }

  readonly majorFunction: number;
  readonly minorFunction: number;
  /** The operation's parameters (the filter manager's stack location's), by NT member name. */
  readonly parameters: IoParameters;
  readonly fileObject: FileObject | null;

  /**
   * @param irp the IRP as the filter manager's dispatch routine received it (it owns it now).
   * @param operation the filter manager's record of this operation (opaque to minifilters).
   */
  constructor(readonly irp: Irp, readonly operation: unknown) {
    const location = IoGetCurrentIrpStackLocation(irp);
    this.majorFunction = location.majorFunction;
    this.minorFunction = location.minorFunction;
    this.parameters = location.parameters;
    this.fileObject = location.fileObject;
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
