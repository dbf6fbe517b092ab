// The HSM filter's own file I/O: every request enters the volume's stack below the HSM instance
// (FltCreateFile with an instance), so the filter never sees its own work, and in an encrypted folder
// (crypt sits above HSM) it reads and writes exactly the bytes on disk: ciphertext. Failures throw an
// NtStatusError naming the operation and the path.

import {
  FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE, FILE_OPEN, FSCTL_STRATA_COPY_FROM_HOST_FILE, FSCTL_STRATA_TRUST_COPY_SOURCE,
  FileInformationClass, NT_SUCCESS, NtStatusError, STATUS_INVALID_DEVICE_REQUEST,
  STATUS_END_OF_FILE, STATUS_NO_MORE_FILES, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, statusName, type CreateParameters, type FileBasicInformation,
  type FileDirectoryInformation, type FileHandle, type FileStandardInformation, type NTSTATUS, type NtFileApi,
} from '../../../main/io/index.js';
import type { FilterManager, FltInstance } from '../../../main/fltmgr/index.js';
import { kernelFsControl } from './kernel-fs-control.js';

export class HsmIoError extends NtStatusError {
  constructor(status: NTSTATUS, readonly operation: string, readonly path: string) {
    super(status, `${operation} ${path} failed (${statusName(status)})`);
    this.name = 'HsmIoError';
  }
}

export interface OpenFile {
  readonly handle: FileHandle;
  readonly path: string;
}

export class BelowIo {
  readonly api: NtFileApi;

  constructor(private readonly manager: FilterManager, private readonly instance: FltInstance) {
    this.api = manager.api;
  }

  /** Opens a file (FILE_OPEN unless told otherwise); fails on directories. */
  async open(path: string, create: Partial<CreateParameters> = {}): Promise<OpenFile> {
    const result = await this.manager.createFileBelow(this.instance, path, { disposition: FILE_OPEN, ...create, options: (create.options ?? 0) | FILE_NON_DIRECTORY_FILE });
    check(result.status, 'open', path);
    return { handle: result.handle!, path };
  }

  /** Returns null instead of failing when the file is not there. */
  async openIfExists(path: string): Promise<OpenFile | null> {
    try {
      return await this.open(path);
    } catch (error) {
      if (error instanceof HsmIoError && isMissing(error.status)) return null;
      throw error;
    }
  }

  async close(file: OpenFile): Promise<void> {
    await this.api.close(file.handle);
  }

  async with<T>(path: string, body: (file: OpenFile) => Promise<T>, create: Partial<CreateParameters> = {}): Promise<T> {
    const file = await this.open(path, create);
    try {
      return await body(file);
    } finally {
      await this.close(file);
    }
  }

  /** Up to `length` bytes at `offset` (fewer at the end, none past it). */
  async read(file: OpenFile, offset: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    const result = await this.api.read(file.handle, length, offset, into);
    if (result.status === STATUS_END_OF_FILE) return new Uint8Array(0);
    check(result.status, 'read', file.path);
    return result.data;
  }

  /**
   * The file from `offset` to its end, `chunkSize` bytes at a time. Each chunk is only valid until the
   * next is asked for: one buffer serves them all (no 4 MiB allocation per chunk).
   */
  async *chunks(file: OpenFile, chunkSize: number, offset = 0): AsyncGenerator<Uint8Array> {
    const buffer = new Uint8Array(chunkSize);
    for (let position = offset; ; ) {
      const chunk = await this.read(file, position, chunkSize, buffer);
      if (chunk.length === 0) return;
      yield chunk;
      position += chunk.length;
    }
  }

  async write(file: OpenFile, data: Uint8Array, offset: number): Promise<void> {
    check((await this.api.write(file.handle, data, offset)).status, 'write', file.path);
  }

  async flush(file: OpenFile): Promise<void> {
    check((await this.api.flush(file.handle)).status, 'flush', file.path);
  }

  async basic(file: OpenFile): Promise<FileBasicInformation> {
    const result = await this.api.queryInformation(file.handle, FileInformationClass.FileBasicInformation);
    check(result.status, 'query', file.path);
    return result.info!;
  }

  async standard(file: OpenFile): Promise<FileStandardInformation> {
    const result = await this.api.queryInformation(file.handle, FileInformationClass.FileStandardInformation);
    check(result.status, 'query', file.path);
    return result.info!;
  }

  async setTimes(file: OpenFile, lastAccessTime: number, lastWriteTime: number): Promise<void> {
    const status = (await this.api.setInformation(file.handle, FileInformationClass.FileBasicInformation, { lastAccessTime, lastWriteTime })).status;
    check(status, 'set the times of', file.path);
  }

  async setEndOfFile(file: OpenFile, endOfFile: number): Promise<void> {
    check((await this.api.setInformation(file.handle, FileInformationClass.FileEndOfFileInformation, { endOfFile })).status, 'truncate', file.path);
  }

  async rename(file: OpenFile, to: string, replaceIfExists: boolean): Promise<void> {
    const status = (await this.api.setInformation(file.handle, FileInformationClass.FileRenameInformation, { fileName: to, replaceIfExists })).status;
    check(status, `rename to ${to}:`, file.path);
  }

  async markDeleted(file: OpenFile): Promise<void> {
    check((await this.api.setInformation(file.handle, FileInformationClass.FileDispositionInformation, { deleteFile: true })).status, 'delete', file.path);
  }

  /** Deletes the file if it is there. */
  async deleteIfExists(path: string): Promise<boolean> {
    const file = await this.openIfExists(path);
    if (file === null) return false;
    try {
      await this.markDeleted(file);
    } finally {
      await this.close(file);
    }
    return true;
  }

  /** The entries of a directory, as the volume below reports them (stubs at their stub size). */
  async list(path: string): Promise<FileDirectoryInformation[]> {
    const result = await this.manager.createFileBelow(this.instance, path === '\\' ? '' : path, { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
    check(result.status, 'open the directory', path);
    try {
      const listing = await this.api.queryDirectory(result.handle!, null, true);
      if (listing.status === STATUS_NO_MORE_FILES) return [];
      check(listing.status, 'list', path);
      return listing.info!;
    } finally {
      await this.api.close(result.handle!);
    }
  }

  /**
   * FSCTL_STRATA_TRUST_COPY_SOURCE, kernel-mode, on `file` (any open of the volume): host files below
   * `hostDirectory` may be copied in from now on. False when the volume cannot copy host files at all.
   */
  async trustCopySource(file: OpenFile, hostDirectory: string): Promise<boolean> {
    const result = await kernelFsControl(this.manager.io, file.handle, FSCTL_STRATA_TRUST_COPY_SOURCE, new TextEncoder().encode(hostDirectory));
    if (result.status === STATUS_INVALID_DEVICE_REQUEST) return false;
    check(result.status, `trust copies from ${hostDirectory} into`, file.path);
    return true;
  }

  /**
   * FSCTL_STRATA_COPY_FROM_HOST_FILE, kernel-mode: `file`'s content becomes the host file's (exactly
   * `byteCount` bytes), copied by the host's kernel. False when the volume cannot (nothing was done);
   * a failure part-way leaves the file's content undefined, for the caller to restore.
   */
  async copyFromHostFile(file: OpenFile, hostFile: string, byteCount: number): Promise<boolean> {
    const path = new TextEncoder().encode(hostFile);
    const input = new Uint8Array(8 + path.length);
    new DataView(input.buffer).setBigUint64(0, BigInt(byteCount), true);
    input.set(path, 8);
    const result = await kernelFsControl(this.manager.io, file.handle, FSCTL_STRATA_COPY_FROM_HOST_FILE, input);
    if (result.status === STATUS_INVALID_DEVICE_REQUEST) return false;
    check(result.status, `copy ${hostFile} into`, file.path);
    return true;
  }

  /** fsync of a directory: a rename in it is durable once this returns. */
  async flushDirectory(path: string): Promise<void> {
    const result = await this.manager.createFileBelow(this.instance, path === '\\' ? '' : path, { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
    check(result.status, 'open the directory', path);
    try {
      check((await this.api.flush(result.handle!)).status, 'flush the directory', path);
    } finally {
      await this.api.close(result.handle!);
    }
  }
}

/**
 * Handles on the file's stream that are not cleaned up yet, as the file system's FCB counts them
 * (including the caller's own). The filter's view of the FCB: only this field is read.
 */
export function openHandles(file: OpenFile): number {
  const count = (file.handle.fileObject.fsContext as { openCount?: unknown } | null)?.openCount;
  return typeof count === 'number' ? count : Number.POSITIVE_INFINITY;
}

export function isMissing(status: NTSTATUS): boolean {
  return status === STATUS_OBJECT_NAME_NOT_FOUND || status === STATUS_OBJECT_PATH_NOT_FOUND;
}

function check(status: NTSTATUS, operation: string, path: string): void {
  if (!NT_SUCCESS(status)) throw new HsmIoError(status, operation, path);
}
