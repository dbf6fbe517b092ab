// IRP_MJ_CLEANUP (a handle goes away: delete-on-close, and the entry of a delete-pending stream is
// removed when its last handle does) and IRP_MJ_CLOSE (the file object goes away: the last close of a
// stream releases the backend's handle and drops the FCB). Neither can fail for a valid open.

import { STATUS_INVALID_HANDLE, STATUS_SUCCESS, type IoStackLocation, type NTSTATUS } from '../io/index.js';
import { drive, wait, type MaybeAsync, type Operation } from './sync-or-async.js';
import { volumeDispatch } from './volume-dispatch.js';
import { VolumeCcb, ccbOf, type Volume, type VolumeFcb } from './volume-state.js';

export const dispatchCleanup = volumeDispatch((volume, _irp, loc) => {
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return staleOpen(loc) ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
  if (ccb.cleanedUp) return STATUS_SUCCESS;
  ccb.cleanedUp = true;
  const fcb = ccb.fcb;
  fcb.openCount--;
  if (ccb.deleteOnClose) fcb.deletePending = true;
  if (fcb.openCount > 0 || !fcb.deletePending || fcb.deleted) return STATUS_SUCCESS;
  return volume.exclusive(() => drive(removeEntry(volume, fcb)));
});

function* removeEntry(volume: Volume, fcb: VolumeFcb): Operation<NTSTATUS> {
  // An open that arrived meanwhile (under the namespace lock, before this step) keeps the file alive.
  if (fcb.openCount > 0 || fcb.deleted) return STATUS_SUCCESS;
  try {
    yield* wait(volume.backend.remove(fcb.stream, fcb.path, fcb.directory));
    fcb.deleted = true;
    if (volume.fcbs.get(fcb.key) === fcb) volume.fcbs.delete(fcb.key);
  } catch {
    // Cleanup cannot fail: a directory that filled up again after its disposition was set simply stays.
  }
  fcb.deletePending = false;
  return STATUS_SUCCESS;
}

export const dispatchClose = volumeDispatch((volume, _irp, loc) => {
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return staleOpen(loc) ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
  if (ccb.closed) return STATUS_SUCCESS;
  ccb.closed = true;
  ccb.cursor = null;
  volume.openFiles--;
  return releaseReference(volume, ccb.fcb);
});

/** Drops one reference to `fcb`; the last one closes the backend stream (failures there change nothing for the caller). */
export function releaseReference(volume: Volume, fcb: VolumeFcb): MaybeAsync<NTSTATUS> {
  if (--fcb.referenceCount > 0) return STATUS_SUCCESS;
  if (volume.fcbs.get(fcb.key) === fcb) volume.fcbs.delete(fcb.key);
  try {
    const closing = volume.backend.close(fcb.stream);
    if (closing instanceof Promise) return closing.then(succeed, succeed);
  } catch {
    // As above: close cannot fail.
  }
  return STATUS_SUCCESS;
}

/**
 * An open of an earlier mount of the same VPB (closed by its dismount) reaching the volume mounted since:
 * its cleanup and close have nothing left to do.
 */
function staleOpen(loc: IoStackLocation): boolean {
  const ccb = loc.fileObject?.fsContext2;
  return ccb instanceof VolumeCcb && ccb.fcb.volume.dismounted;
}

function succeed(): NTSTATUS {
  return STATUS_SUCCESS;
}
