// Freeing an IRP: the one place where an IRP leaves the verifier's list of live IRPs.

import type { Irp } from './irp.js';
import { OWNER_FREED, type IoManager } from './io-manager.js';

export function releaseIrp(io: IoManager, irp: Irp): void {
  irp.freed = true;
  if (io.verifier) {
    irp.owner = OWNER_FREED;
    io.liveIrps.delete(irp);
  }
}
