// FSCTL_STRATA_TRUST_COPY_SOURCE and FSCTL_STRATA_COPY_FROM_HOST_FILE on a volume device: a filter's
// own request to fill one of the volume's files from a host file (an HSM recall from a local tier),
// which the host's kernel can copy without the bytes passing through user space. The source is a host
// path, outside every volume's namespace and checks, so two gates stand in front of it: only a
// kernel-mode requestor (a filter's own I/O, never a user-mode caller of the upper edge) may send either
// control, and a copy is taken only from below a directory the volume was told to trust.

import {
  FSCTL_STRATA_COPY_FROM_HOST_FILE, FSCTL_STRATA_TRUST_COPY_SOURCE, KernelMode, STATUS_ACCESS_DENIED,
  STATUS_DELETE_PENDING, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS, type Irp, type IoStackLocation, type NTSTATUS,
} from '../io/index.js';
import { after } from './sync-or-async.js';
import { pendUntil, completeIrp } from './volume-dispatch.js';
import { statusOfError } from './volume-error.js';
import { ccbOf, type Volume } from './volume-state.js';

/** Whether `code` is one of the controls handled here. */
export function isHostCopyControl(code: number | undefined): boolean {
  return code === FSCTL_STRATA_TRUST_COPY_SOURCE || code === FSCTL_STRATA_COPY_FROM_HOST_FILE;
}

/** Handles one of the controls of isHostCopyControl and completes the IRP (now, or when the copy ends). */
export function dispatchHostCopyControl(volume: Volume, irp: Irp, loc: IoStackLocation): NTSTATUS {
  let result;
  try {
    result = hostCopyControl(volume, irp, loc);
  } catch (error) {
    const status = statusOfError(error);
    if (status === undefined) throw error;
    return completeIrp(irp, status);
  }
  if (typeof result === 'number') return completeIrp(irp, result);
  return pendUntil(volume, irp, result);
}

function hostCopyControl(volume: Volume, irp: Irp, loc: IoStackLocation): NTSTATUS | Promise<NTSTATUS> {
  if (irp.requestorMode !== KernelMode) return STATUS_ACCESS_DENIED;
  const backend = volume.backend;
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return STATUS_INVALID_HANDLE;
  const input = irp.inputBuffer;
  if (loc.parameters.fileSystemControl!.fsControlCode === FSCTL_STRATA_TRUST_COPY_SOURCE) {
    if (backend.trustCopySource === undefined) return STATUS_INVALID_DEVICE_REQUEST;
    const directory = input === null ? null : utf8(input);
    if (directory === null || directory === '') return STATUS_INVALID_PARAMETER;
    return settle(backend.trustCopySource(directory), irp, 0);
  }
  if (backend.copyFromHostFile === undefined) return STATUS_INVALID_DEVICE_REQUEST;
  if (ccb.fcb.directory) return STATUS_INVALID_DEVICE_REQUEST;
  if (ccb.fcb.deletePending || ccb.fcb.deleted) return STATUS_DELETE_PENDING;
  const request = decodeCopyRequest(input);
  if (request === null) return STATUS_INVALID_PARAMETER;
  return settle(backend.copyFromHostFile(ccb.fcb.stream, request.source, request.byteCount), irp, request.byteCount);
}

function settle(work: void | Promise<void>, irp: Irp, information: number): NTSTATUS | Promise<NTSTATUS> {
  return after(work, () => {
    irp.ioStatus.information = information;
    return STATUS_SUCCESS;
  });
}

/** ByteCount (uint64 LE) then the source path (UTF-8); null when malformed. */
function decodeCopyRequest(input: Uint8Array | null): { byteCount: number; source: string } | null {
  if (input === null || input.length <= 8) return null;
  const byteCount = new DataView(input.buffer, input.byteOffset, 8).getBigUint64(0, true);
  if (byteCount > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const source = utf8(input.subarray(8));
  return source === null ? null : { byteCount: Number(byteCount), source };
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
