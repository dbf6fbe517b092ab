// FltFsControlFile for the HSM's own I/O: a file-system control sent on a file object opened below the
// instance, as a kernel-mode request (IoAllocateIrp's requestor mode). The upper edge (NtFileApi) marks
// everything it sends user-mode, and the volume honours Strata's host-copy controls only for kernel-mode
// requestors, so this is the one way in for them. The request holds a reference on the file object, as
// the upper edge's do: the file object's close waits for it.

import {
  IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, IoAllocateIrp, IoGetRelatedDeviceObject, STATUS_INVALID_HANDLE,
  dereferenceFileObject, referenceFileObject, sendRequest, type FileHandle, type IoManager, type IoResult,
} from '../../../main/io/index.js';

export async function kernelFsControl(io: IoManager, handle: FileHandle, fsControlCode: number, input: Uint8Array): Promise<IoResult> {
  const fileObject = handle.fileObject;
  if (handle.closed || fileObject.cleanupComplete) return { status: STATUS_INVALID_HANDLE, information: 0 };
  const device = IoGetRelatedDeviceObject(fileObject);
  const irp = IoAllocateIrp(io, device.stackSize);
  irp.originalFileObject = fileObject;
  irp.inputBuffer = input.slice();
  const loc = irp.stack[0]!;
  loc.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
  loc.minorFunction = IRP_MN_USER_FS_REQUEST;
  loc.fileObject = fileObject;
  loc.parameters = { fileSystemControl: { fsControlCode, inputBufferLength: input.length, outputBufferLength: 0 } };
  referenceFileObject(fileObject);
  const result = await sendRequest(device, irp, () => dereferenceFileObject(fileObject));
  return { status: result.status, information: result.information };
}
