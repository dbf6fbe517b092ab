// IRP_MJ_READ, IRP_MJ_WRITE and IRP_MJ_FLUSH_BUFFERS. This is the hot path: with a synchronous backend a
// read allocates nothing of its own and completes inside the dispatch routine. On an open made with
// FILE_NO_INTERMEDIATE_BUFFERING every transfer must be sector-aligned, as NT file systems require of
// non-cached I/O; the check is here so that every volume refuses the same requests.

import {
  FILE_WRITE_TO_END_OF_FILE, STATUS_END_OF_FILE, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER, STATUS_SUCCESS, UNBUFFERED_ALIGNMENT, type FileObject, type Irp, type NTSTATUS,
} from '../io/index.js';
import { after, type MaybeAsync } from './sync-or-async.js';
import type { EntryInfo } from './volume-backend.js';
import { volumeDispatch } from './volume-dispatch.js';
import { ccbOf, type Volume, type VolumeCcb } from './volume-state.js';

/** FILE_USE_FILE_POINTER_POSITION: the transfer starts at the file object's current byte offset. */
const USE_FILE_POINTER_POSITION = -2;

export const dispatchRead = volumeDispatch((volume, irp, loc) => {
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return STATUS_INVALID_HANDLE;
  if (ccb.fcb.directory) return STATUS_INVALID_DEVICE_REQUEST;
  const parameters = loc.parameters.read;
  if (parameters === undefined) return STATUS_INVALID_PARAMETER;
  const fileObject = loc.fileObject!;
  const length = parameters.length;
  const offset = parameters.byteOffset === USE_FILE_POINTER_POSITION ? fileObject.currentByteOffset : parameters.byteOffset;
  const buffer = irp.userBuffer;
  if (offset < 0 || !Number.isInteger(offset) || !Number.isInteger(length) || length < 0) return STATUS_INVALID_PARAMETER;
  // No exception for a read reaching end of file: its length is aligned, the count it returns need not be.
  if (ccb.unbuffered && !sectorAligned(offset, length)) return STATUS_INVALID_PARAMETER;
  if (length === 0) {
    irp.ioStatus.information = 0;
    return STATUS_SUCCESS;
  }
  if (buffer === null || buffer.length < length) return STATUS_INVALID_PARAMETER;
  const count = volume.backend.read(ccb.fcb.stream, buffer, length, offset, ccb.unbuffered);
  if (typeof count === 'number') return finishRead(irp, fileObject, offset, count);
  return count.then((n) => finishRead(irp, fileObject, offset, n));
});

function finishRead(irp: Irp, fileObject: FileObject, offset: number, count: number): NTSTATUS {
  if (count === 0) return STATUS_END_OF_FILE;
  irp.ioStatus.information = count;
  fileObject.currentByteOffset = offset + count;
  return STATUS_SUCCESS;
}

export const dispatchWrite = volumeDispatch((volume, irp, loc) => {
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return STATUS_INVALID_HANDLE;
  if (ccb.fcb.directory) return STATUS_INVALID_DEVICE_REQUEST;
  const parameters = loc.parameters.write;
  if (parameters === undefined) return STATUS_INVALID_PARAMETER;
  const fileObject = loc.fileObject!;
  const length = parameters.length;
  const offset = parameters.byteOffset === USE_FILE_POINTER_POSITION ? fileObject.currentByteOffset : parameters.byteOffset;
  if (offset < FILE_WRITE_TO_END_OF_FILE || !Number.isInteger(offset) || !Number.isInteger(length) || length < 0) return STATUS_INVALID_PARAMETER;
  if (!ccb.unbuffered) return writeAt(volume, irp, ccb, fileObject, length, offset);
  if (offset !== FILE_WRITE_TO_END_OF_FILE) {
    return sectorAligned(offset, length) ? writeAt(volume, irp, ccb, fileObject, length, offset) : STATUS_INVALID_PARAMETER;
  }
  // An append is checked against the end of file as it is now, and still appended by the backend at the end
  // as it is then (one step, so that concurrent appends never overlap); an asynchronous backend refuses it
  // there if the end moved off a sector boundary in between.
  const checkAppend = (entry: EntryInfo) => sectorAligned(entry.size, length) ? writeAt(volume, irp, ccb, fileObject, length, offset) : STATUS_INVALID_PARAMETER;
  const entry = volume.backend.query(ccb.fcb.stream, ccb.fcb.path);
  return entry instanceof Promise ? entry.then(checkAppend) : checkAppend(entry);
});

function writeAt(volume: Volume, irp: Irp, ccb: VolumeCcb, fileObject: FileObject, length: number, offset: number): MaybeAsync<NTSTATUS> {
  const data = irp.userBuffer;
  if (length === 0) {
    irp.ioStatus.information = 0;
    return STATUS_SUCCESS;
  }
  if (data === null || data.length < length) return STATUS_INVALID_PARAMETER;
  const end = volume.backend.write(ccb.fcb.stream, data, length, offset, ccb.unbuffered);
  if (typeof end === 'number') return finishWrite(irp, fileObject, length, end);
  return end.then((e) => finishWrite(irp, fileObject, length, e));
}

/** Non-cached I/O moves whole sectors: offset and length both on UNBUFFERED_ALIGNMENT boundaries. */
function sectorAligned(offset: number, length: number): boolean {
  return offset % UNBUFFERED_ALIGNMENT === 0 && length % UNBUFFERED_ALIGNMENT === 0;
}

function finishWrite(irp: Irp, fileObject: FileObject, length: number, end: number): NTSTATUS {
  irp.ioStatus.information = length;
  fileObject.currentByteOffset = end;
  return STATUS_SUCCESS;
}

export const dispatchFlush = volumeDispatch((volume, _irp, loc) => {
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return STATUS_INVALID_HANDLE;
  const fcb = ccb.fcb;
  if (fcb.directory) return after(volume.backend.flushDirectory?.(fcb.path), () => STATUS_SUCCESS);
  return after(volume.backend.flush(fcb.stream), () => STATUS_SUCCESS);
});
