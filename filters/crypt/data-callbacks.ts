// IRP_MJ_READ, IRP_MJ_WRITE and IRP_MJ_SET_INFORMATION on encrypted streams, completed by the filter itself:
// reads decrypt the chunks they touch (pended, on the worker pool), writes and size changes are buffered in
// the stream until it is saved. Plain files nobody wrote through Strata pass through untouched.

import {
  FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, FLT_PREOP_SUCCESS_NO_CALLBACK, type FltCallbackData, type FltPreopStatus,
} from '../../main/fltmgr/index.js';
import {
  FILE_WRITE_TO_END_OF_FILE, FileInformationClass, NtStatusError, STATUS_ACCESS_DENIED, STATUS_END_OF_FILE,
  STATUS_FILE_CORRUPT_ERROR, STATUS_FILE_ENCRYPTED, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, type NTSTATUS,
} from '../../main/io/index.js';
import { CHUNK_SIZE } from '../../main/age/index.js';
import { statusOf } from './crypt-status.js';
import type { CryptStream } from './crypt-stream.js';
import type { CryptVolume } from './crypt-volume.js';
import { isReservedName } from './names.js';
import { readSequential } from './read-ahead.js';
import type { SlabPool } from './shared-slabs.js';
import { afterWrite } from './write-behind.js';

/** Writes of at least this many bytes are copied into slabs of the pool (slabs are whole quarter-MiBs: little is wasted). */
const POOLED_WRITE_MIN = 1 << 20;

/** FILE_USE_FILE_POINTER_POSITION. */
const USE_FILE_POINTER = -2;

/** The stream context's value for the operation's file, or null (directories, files opened before attach). */
export function streamOf(volume: CryptVolume, data: FltCallbackData): CryptStream | null {
  const fileObject = data.fileObject;
  if (fileObject === null) return null;
  const context = volume.instance.getStreamContext<CryptStream>(fileObject);
  if (context === null) return null;
  const stream = context.value;
  context.release();
  return stream;
}

export function completeWith(data: FltCallbackData, status: NTSTATUS, information = 0): FltPreopStatus {
  data.ioStatus.status = status;
  data.ioStatus.information = information;
  return FLT_PREOP_COMPLETE;
}

/** Runs `start` now, or once the vault is unlocked when the stream needs a key the locked vault cannot give. */
function whenKeyAvailable(volume: CryptVolume, data: FltCallbackData, stream: CryptStream, start: () => void): FltPreopStatus {
  if (stream.needsKey && !volume.keyRing.unlocked) return volume.lockedWait.park(data, start);
  start();
  return FLT_PREOP_PENDING;
}

export function preRead(volume: CryptVolume, data: FltCallbackData): FltPreopStatus {
  const stream = streamOf(volume, data);
  if (stream === null || stream.passThrough) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  if (stream.base.kind === 'corrupt' && !stream.modified) return completeWith(data, STATUS_FILE_CORRUPT_ERROR);
  const parameters = data.parameters.read;
  if (parameters === undefined) return completeWith(data, STATUS_INVALID_PARAMETER);
  return whenKeyAvailable(volume, data, stream, () => startRead(volume, stream, data));
}

/**
 * Runs a read and completes it. A read let in with the file key at hand whose key a lock took before it
 * used it waits for the key again, as if it had come in while the vault was locked.
 */
function startRead(volume: CryptVolume, stream: CryptStream, data: FltCallbackData): void {
  stream.reads.run(() => read(volume, stream, data)).then(
    () => volume.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE),
    (error: unknown) => {
      const status = statusOf(error);
      const lockedMeanwhile = status === STATUS_FILE_ENCRYPTED && stream.needsKey && !volume.keyRing.unlocked;
      // park() refusing (the queue drained, the read cancelled) leaves its own status in data.ioStatus.
      if (lockedMeanwhile && volume.lockedWait.park(data, () => startRead(volume, stream, data)) === FLT_PREOP_PENDING) return;
      if (!lockedMeanwhile) {
        data.ioStatus.status = status;
        data.ioStatus.information = 0;
      }
      volume.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
    },
  );
}

async function read(volume: CryptVolume, stream: CryptStream, data: FltCallbackData): Promise<void> {
  const { length, byteOffset } = data.parameters.read!;
  const fileObject = data.fileObject!;
  const offset = byteOffset === USE_FILE_POINTER ? fileObject.currentByteOffset : byteOffset;
  const buffer = data.userBuffer;
  if (length === 0) return void completeInfo(data, STATUS_SUCCESS, 0);
  if (buffer === null || buffer.length < length || offset < 0) throw new NtStatusError(STATUS_INVALID_PARAMETER, 'read buffer');
  if (offset >= stream.size) throw new NtStatusError(STATUS_END_OF_FILE, 'read past the end');
  // Decrypted straight into the caller's buffer (or copied there once from a window read ahead).
  const count = await readSequential(volume, stream, offset, buffer.subarray(0, Math.min(length, stream.size - offset)));
  fileObject.currentByteOffset = offset + count;
  completeInfo(data, STATUS_SUCCESS, count);
}

function completeInfo(data: FltCallbackData, status: NTSTATUS, information: number): void {
  data.ioStatus.status = status;
  data.ioStatus.information = information;
}

export function preWrite(volume: CryptVolume, data: FltCallbackData): FltPreopStatus {
  const stream = streamOf(volume, data);
  if (stream === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  if (stream.base.kind === 'corrupt' && !stream.modified) return completeWith(data, STATUS_FILE_CORRUPT_ERROR);
  const parameters = data.parameters.write;
  const buffer = data.userBuffer;
  if (parameters === undefined || (parameters.length > 0 && (buffer === null || buffer.length < parameters.length))) {
    return completeWith(data, STATUS_INVALID_PARAMETER);
  }
  const writeLater = () => {
    write(volume, stream, data);
    volume.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
  };
  if (stream.needsKey && !volume.keyRing.unlocked) return volume.lockedWait.park(data, writeLater);
  if (volume.writeBacklog.mustWait(stream)) return volume.writeBacklog.park(data, stream, writeLater);
  write(volume, stream, data);
  return FLT_PREOP_COMPLETE;
}

function write(volume: CryptVolume, stream: CryptStream, data: FltCallbackData): void {
  const { length, byteOffset } = data.parameters.write!;
  const fileObject = data.fileObject!;
  const offset = byteOffset === FILE_WRITE_TO_END_OF_FILE ? stream.size : byteOffset === USE_FILE_POINTER ? fileObject.currentByteOffset : byteOffset;
  if (!Number.isInteger(offset) || offset < 0) return void completeInfo(data, STATUS_INVALID_PARAMETER, 0);
  // The caller keeps its buffer: the stream holds a copy until it is saved.
  if (length > 0) {
    stream.write(offset, unsavedCopy(volume.pool.slabs, data.userBuffer!, length));
    afterWrite(volume, stream, () => volume.writeBacklog.release());
  }
  fileObject.currentByteOffset = offset + length;
  completeInfo(data, STATUS_SUCCESS, length);
}

/**
 * The stream's copy of a write. A write of a chunk or more is copied into shared memory: when it is saved,
 * the workers encrypt straight from it (no copy into a slab first). A large one takes recycled memory from
 * the pool (paged in already), which the write-behind gives back once the write is spilled.
 */
function unsavedCopy(slabs: SlabPool, buffer: Uint8Array, length: number): Uint8Array {
  const copy = length >= POOLED_WRITE_MIN ? slabs.acquire(length) : new Uint8Array(length >= CHUNK_SIZE ? new SharedArrayBuffer(length) : new ArrayBuffer(length));
  copy.set(buffer.subarray(0, length));
  return copy;
}

export function preSetInformation(volume: CryptVolume, data: FltCallbackData): FltPreopStatus {
  const parameters = data.parameters.setFile;
  if (parameters === undefined) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  const information = parameters.information as Record<string, unknown> | null;
  if (parameters.fileInformationClass === FileInformationClass.FileRenameInformation) {
    const target = information?.fileName;
    if (typeof target === 'string' && isReservedName(target)) return completeWith(data, STATUS_ACCESS_DENIED);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
  }
  if (parameters.fileInformationClass !== FileInformationClass.FileEndOfFileInformation) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  const stream = streamOf(volume, data);
  if (stream === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  if (stream.base.kind === 'corrupt' && !stream.modified) return completeWith(data, STATUS_FILE_CORRUPT_ERROR);
  const size = information?.endOfFile;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) return completeWith(data, STATUS_INVALID_PARAMETER);
  // The ciphertext's size is not the file's: the new plaintext size is kept and applied when saved.
  stream.setSize(size);
  return completeWith(data, STATUS_SUCCESS);
}
