// Sending a request the I/O manager itself originates (mounts, the upper edge) and awaiting its end:
// the IRP is freed by the I/O manager once no completion routine holds it.

import type { DeviceObject } from './device.js';
import { IrpDisposal, type Irp } from './irp.js';
import { IoCallDriver } from './irp-dispatch.js';
import type { NTSTATUS } from './ntstatus.js';

export interface RequestResult {
  status: NTSTATUS;
  information: number;
  infoBuffer: unknown;
  userBuffer: Uint8Array | null;
  outputBuffer: Uint8Array | null;
}

/**
 * Passes `irp` to `device` and resolves with its final status and buffers. A rule break the verifier
 * reports after a synchronous completion (IoCallDriver throwing once the IRP is already done) rejects.
 * `finished`, when given, runs once when the IRP is done or the send has failed, before the promise settles.
 */
export function sendRequest(device: DeviceObject, irp: Irp, finished?: () => void): Promise<RequestResult> {
  return new Promise<RequestResult>((resolve, reject) => {
    let result: RequestResult | null = null;
    let dispatched = false;
    let finish = finished;
    const finishOnce = () => {
      const run = finish;
      finish = undefined;
      run?.();
    };
    irp.disposal = IrpDisposal.ManagerFrees;
    irp.onFinal = (done) => {
      result = {
        status: done.ioStatus.status,
        information: done.ioStatus.information,
        infoBuffer: done.infoBuffer,
        userBuffer: done.userBuffer,
        outputBuffer: done.outputBuffer,
      };
      finishOnce();
      if (dispatched) resolve(result);
    };
    try {
      IoCallDriver(device, irp);
    } catch (error) {
      finishOnce();
      reject(error);
      return;
    }
    dispatched = true;
    if (result !== null) resolve(result);
  });
}
