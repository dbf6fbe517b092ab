// A cancel-safe queue of pended pre-operations for minifilters (FltCbdq*): an operation leaves the
// queue exactly once, removed by the filter or cancelled, and a cancelled one is completed through the
// filter manager with STATUS_CANCELLED so that the post-callbacks above it still run.

import { IoSetCancelRoutine, STATUS_CANCELLED, rawIrp, type DeviceObject, type Irp, type NTSTATUS } from '../io/index.js';
import type { FltCallbackData } from './callback-data.js';
import { FLT_PREOP_COMPLETE } from './flt-constants.js';
import type { FilterManager } from './filter-manager.js';

export class FltCancelSafeQueue {
  private readonly queue: FltCallbackData[] = [];
  private refusal: NTSTATUS | null = null;

  /** @param onCancelled told about each operation cancelled out of the queue, just before it is completed. */
  constructor(private readonly manager: FilterManager, private readonly onCancelled?: (data: FltCallbackData) => void) {}

  get length(): number {
    return this.queue.length;
  }

  /**
   * Queues an operation from its pre-callback, which then returns FLT_PREOP_PENDING. When the operation
   * is already cancelled or the queue is disabled, nothing is queued, data.ioStatus holds the refusal
   * and false is returned: the pre-callback returns FLT_PREOP_COMPLETE instead.
   */
  insert(data: FltCallbackData): boolean {
    const refusal = this.refusal ?? (data.cancelled ? STATUS_CANCELLED : null);
    if (refusal !== null) {
      data.ioStatus.status = refusal;
      data.ioStatus.information = 0;
      return false;
    }
    IoSetCancelRoutine(data.irp, this.cancelRoutine);
    this.queue.push(data);
    return true;
  }

  /** Takes the oldest pended operation out; the caller resumes it with completePendedPreOperation. */
  removeNext(): FltCallbackData | null {
    const data = this.queue.shift();
    if (data === undefined) return null;
    IoSetCancelRoutine(data.irp, null);
    return data;
  }

  /** Takes a given operation out if it is still queued. */
  remove(data: FltCallbackData): boolean {
    const index = this.queue.indexOf(data);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    IoSetCancelRoutine(data.irp, null);
    return true;
  }

  /** Teardown: refuse new operations and complete every queued one with `status`. */
  disableAndDrain(status: NTSTATUS = STATUS_CANCELLED): number {
    this.refusal = status;
    let drained = 0;
    for (let data = this.removeNext(); data !== null; data = this.removeNext()) {
      this.completeWith(data, status);
      drained++;
    }
    return drained;
  }

  enable(): void {
    this.refusal = null;
  }

  private completeWith(data: FltCallbackData, status: NTSTATUS): void {
    data.ioStatus.status = status;
    data.ioStatus.information = 0;
    this.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
  }

  private readonly cancelRoutine = (_device: DeviceObject | null, irp: Irp): void => {
    const raw = rawIrp(irp);
    const index = this.queue.findIndex((data) => rawIrp(data.irp) === raw);
    if (index < 0) return;
    const [data] = this.queue.splice(index, 1);
    this.onCancelled?.(data!);
    this.completeWith(data!, STATUS_CANCELLED);
  };
}
