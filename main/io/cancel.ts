// Cancellation: IoSetCancelRoutine and IoCancelIrp. JS runs one callback at a time, so the cancel spin
// lock of NT is the event loop itself: a cancel routine and the code that clears it never interleave.

import type { CancelRoutine, Irp } from './irp.js';
import { makeView, rawIrp } from './verifier.js';

/** Sets (or clears, with null) the cancel routine of an IRP the caller holds; returns the previous one. */
export function IoSetCancelRoutine(view: Irp, routine: CancelRoutine | null): CancelRoutine | null {
  // Fix (test/io): read `io` from the raw IRP; going through the view tripped its ownership check first,
  // so a double completion or a use after free was reported as touch-after-forward.
  const irp = rawIrp(view).io.claim(view, 'IoSetCancelRoutine');
  const previous = irp.cancelRoutine;
  irp.cancelRoutine = routine;
  return previous;
}

/**
 * Requests cancellation. Anyone may call it, whoever holds the IRP. Sets Cancel; if a cancel routine is
 * set it is cleared and called (with the holder's view), and must complete the IRP with STATUS_CANCELLED.
 * Returns whether a cancel routine was called.
 */
export function IoCancelIrp(view: Irp): boolean {
  const irp = rawIrp(view);
  if (irp.completed || irp.freed) return false;
  irp.cancel = true;
  const routine = irp.cancelRoutine;
  if (routine === null) return false;
  irp.cancelRoutine = null;
  const index = irp.currentIndex;
  const device = index >= 0 ? irp.stack[index]!.deviceObject : null;
  const holder = irp.io.verifier && irp.owner !== null ? makeView(irp, irp.owner) : irp;
  routine(device, holder);
  return true;
}
