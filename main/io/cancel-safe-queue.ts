// A cancel-safe queue of pended IRPs (IoCsq, as the TDI article builds by hand): the queue owns the cancel
// routine, so every IRP leaves it exactly once, by removal or by cancellation, and is completed once.

import { IoCancelIrp, IoSetCancelRoutine } from './cancel.js';
import type { DeviceObject } from './device.js';
import type { Irp } from './irp.js';
import { IoCompleteRequest, IoMarkIrpPending } from './irp-dispatch.js';
import { STATUS_CANCELLED, STATUS_PENDING, type NTSTATUS } from './ntstatus.js';
import { rawIrp } from './verifier.js';

export class CancelSafeQueue {
  private readonly queue: Irp[] = [];
  private disabledStatus: NTSTATUS | null = null;

  /** @param onCancelled told about each IRP cancelled out of the queue, just before it is completed. */
  constructor(private readonly onCancelled?: (irp: Irp) => void) {}

  get length(): number {
    return this.queue.length;
  }

  get disabled(): boolean {
    return this.disabledStatus !== null;
  }

  /**
   * Queues `irp` and marks it pending; returns STATUS_PENDING, which the dispatch routine returns.
   * An IRP already cancelled, or arriving while the queue is disabled, is completed here with
   * STATUS_CANCELLED (or the disabling status) and that status is returned instead.
   */
  insert(irp: Irp): NTSTATUS {
    const refusal = this.disabledStatus ?? (irp.cancel ? STATUS_CANCELLED : null);
    if (refusal !== null) {
      irp.ioStatus.status = refusal;
      irp.ioStatus.information = 0;
      IoCompleteRequest(irp);
      return refusal;
    }
    IoMarkIrpPending(irp);
    IoSetCancelRoutine(irp, this.cancelRoutine);
    this.queue.push(irp);
    return STATUS_PENDING;
  }

  /** Takes the oldest queued IRP out (its cancel routine cleared); the caller now completes it. */
  removeNext(): Irp | null {
    const irp = this.queue.shift();
    if (irp === undefined) return null;
    IoSetCancelRoutine(irp, null);
    return irp;
  }

  /** Takes a given IRP out if it is still queued. */
  remove(irp: Irp): Irp | null {
    const raw = rawIrp(irp);
    const index = this.queue.findIndex((queued) => rawIrp(queued) === raw);
    if (index < 0) return null;
    const [queued] = this.queue.splice(index, 1);
    IoSetCancelRoutine(queued!, null);
    return queued!;
  }

  /** Takes out the first queued IRP that `match` accepts. */
  removeFirst(match: (irp: Irp) => boolean): Irp | null {
    const found = this.queue.find(match);
    return found === undefined ? null : this.remove(found);
  }

  /** Cancels every queued IRP through the normal cancel path (used for a caller-driven cancel-all). */
  cancelAll(): number {
    const all = [...this.queue];
    for (const irp of all) IoCancelIrp(irp);
    return all.length;
  }

  /**
   * Teardown: refuse new IRPs with `status` and complete every queued one with it.
   * Returns the number of IRPs drained.
   */
  disableAndDrain(status: NTSTATUS = STATUS_CANCELLED): number {
    this.disabledStatus = status;
    let drained = 0;
    for (let irp = this.removeNext(); irp !== null; irp = this.removeNext()) {
      irp.ioStatus.status = status;
      irp.ioStatus.information = 0;
      IoCompleteRequest(irp);
      drained++;
    }
    return drained;
  }

  enable(): void {
    this.disabledStatus = null;
  }

  private readonly cancelRoutine = (_device: DeviceObject | null, irp: Irp): void => {
    const raw = rawIrp(irp);
    const index = this.queue.findIndex((queued) => rawIrp(queued) === raw);
    if (index >= 0) this.queue.splice(index, 1);
    this.onCancelled?.(irp);
    irp.ioStatus.status = STATUS_CANCELLED;
    irp.ioStatus.information = 0;
    IoCompleteRequest(irp);
  };
}
