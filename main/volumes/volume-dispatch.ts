// The glue between the I/O manager and the file-system handlers: a handler returns a status, or a
// promise of one. A plain status completes the IRP inside the dispatch routine (no IoMarkIrpPending:
// the lean synchronous path); a promise marks the IRP pending, returns STATUS_PENDING and completes it
// exactly once when the promise settles. Nothing touches the IRP after IoCompleteRequest.

import {
  IoCompleteRequest, IoGetCurrentIrpStackLocation, IoMarkIrpPending, STATUS_INTERNAL_ERROR,
  STATUS_INVALID_DEVICE_REQUEST, STATUS_PENDING, type DeviceObject, type DispatchRoutine, type Irp,
  type IoStackLocation, type NTSTATUS,
} from '../io/index.js';
import type { MaybeAsync } from './sync-or-async.js';
import { statusOfError } from './volume-error.js';
import { Volume } from './volume-state.js';

/** Sets the information fields it needs on the IRP and returns the final status. */
export type VolumeHandler = (volume: Volume, irp: Irp, loc: IoStackLocation) => MaybeAsync<NTSTATUS>;

/** A dispatch routine for volume devices; any other device of the driver answers STATUS_INVALID_DEVICE_REQUEST. */
export function volumeDispatch(handler: VolumeHandler): DispatchRoutine {
  return (device: DeviceObject, irp: Irp): NTSTATUS => {
    const volume = device.extension;
    if (!(volume instanceof Volume) || volume.dismounted) return completeIrp(irp, STATUS_INVALID_DEVICE_REQUEST);
    let result: MaybeAsync<NTSTATUS>;
    try {
      result = handler(volume, irp, IoGetCurrentIrpStackLocation(irp));
    } catch (error) {
      const status = statusOfError(error);
      if (status === undefined) throw error;
      result = status;
    }
    if (typeof result === 'number') return completeIrp(irp, result);
    return pendUntil(volume, irp, result);
  };
}

/** Marks `irp` pending and completes it when `result` settles. */
export function pendUntil(volume: Volume | null, irp: Irp, result: Promise<NTSTATUS>): NTSTATUS {
  IoMarkIrpPending(irp);
  if (volume !== null) volume.inFlight++;
  result.then(
    (status) => {
      if (volume !== null) volume.inFlight--;
      completeIrp(irp, status);
    },
    (error: unknown) => {
      if (volume !== null) volume.inFlight--;
      completeIrp(irp, asyncFailureStatus(error));
    },
  );
  return STATUS_PENDING;
}

/** Completes `irp` with `status` (information cleared on failure) and returns the status. */
export function completeIrp(irp: Irp, status: NTSTATUS): NTSTATUS {
  irp.ioStatus.status = status;
  if (status < 0) irp.ioStatus.information = 0;
  IoCompleteRequest(irp);
  return status;
}

function asyncFailureStatus(error: unknown): NTSTATUS {
  const status = statusOfError(error);
  if (status !== undefined) return status;
  // A bug, not an I/O outcome: the IRP must still complete, and the bug must not pass silently.
  process.emitWarning(error instanceof Error ? error : new Error(String(error)), { code: 'STRATA_VOLUME_BUG' });
  return STATUS_INTERNAL_ERROR;
}
