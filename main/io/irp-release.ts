// Freeing an IRP: the one place where an IRP leaves the verifier's list of live IRPs.

import type { Irp } from './irp.js';
import { OWNER_FREED, type IoManager } from './io-manager.js';

export function releaseIrp(io: IoManager, irp: Irp): void {
  irp.freed = true;
  if (io.verifier) {
    // Fix (test/io): an IRP freed by its creator's completion routine (which then returns
    // STATUS_MORE_PROCESSING_REQUIRED) never reaches finishIrp; without this its devices kept counting it
    // as outstanding and a later IoDeleteDevice failed with delete-with-outstanding-irps.
    for (const device of irp.vDevices!) device.outstandingIrps--;
    irp.vDevices!.length = 0;
    irp.owner = OWNER_FREED;
    io.liveIrps.delete(irp);
  }
}
