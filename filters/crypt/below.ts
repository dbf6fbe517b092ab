// The filter's own I/O on its volume, below its instance (FltCreateFile with an instance): ciphertext reads
// and writes that no filter above sees and that never come back through this filter. Failures become
// NtStatusError so the callers' async flows can map them to one status.

import {
  FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE, FILE_OPEN, FileInformationClass, NT_SUCCESS, NtStatusError,
  STATUS_END_OF_FILE, STATUS_NO_MORE_FILES, type CreateOptions, type FileDirectoryInformation, type FileHandle,
  type FileNameInformation, type NTSTATUS,
} from '../../main/io/index.js';
import type { FilterManager, FltInstance } from '../../main/fltmgr/index.js';

export class Below {
  constructor(private readonly manager: FilterManager, private readonly instance: FltInstance) {}

  private get api() {
    return this.manager.api;
  }

  async open(name: string, options: CreateOptions = {}): Promise<FileHandle> {
    const result = await this.manager.createFileBelow(this.instance, name, { disposition: FILE_OPEN, options: FILE_NON_DIRECTORY_FILE, ...options });
    check(result.status, `open '${name}'`);
    return result.handle!;
  }

  /** Opens `name`; null when it does not exist (or is a directory). */
  async tryOpen(name: string, options = 0): Promise<{ handle: FileHandle | null; status: NTSTATUS }> {
    const result = await this.manager.createFileBelow(this.instance, name, { disposition: FILE_OPEN, options: FILE_NON_DIRECTORY_FILE | options });
    return { handle: result.handle, status: result.status };
  }

  /** Up to `length` bytes at `offset`; fewer only at the end of the file. */
  async readAt(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(length);
    const done = await this.readInto(handle, offset, buffer);
    return done === length ? buffer : buffer.subarray(0, done);
  }

  /** Fills `buffer` from `offset`; returns how many bytes were read (fewer only at the end of the file). */
  async readInto(handle: FileHandle, offset: number, buffer: Uint8Array): Promise<number> {
    const length = buffer.length;
    let done = 0;
    while (done < length) {
      const result = await this.api.read(handle, length - done, offset + done, buffer.subarray(done));
      if (result.status === STATUS_END_OF_FILE || (NT_SUCCESS(result.status) && result.information === 0)) break;
      check(result.status, 'read');
      done += result.information;
    }
    return done;
  }

  /**
   * One read of up to buffer.length bytes at `offset` (an unbuffered open: both sector-aligned); returns how
   * many bytes came back (fewer only at the end of the file).
   */
  async readOnce(handle: FileHandle, offset: number, buffer: Uint8Array): Promise<number> {
    const result = await this.api.read(handle, buffer.length, offset, buffer);
    if (result.status === STATUS_END_OF_FILE) return 0;
    check(result.status, 'read');
    return result.information;
  }

  async writeAt(handle: FileHandle, data: Uint8Array, offset: number): Promise<void> {
    check((await this.api.write(handle, data, offset)).status, 'write');
  }

  /** Sets the file's exact length (FileEndOfFileInformation). */
  async setEndOfFile(handle: FileHandle, endOfFile: number): Promise<void> {
    check((await this.api.setInformation(handle, FileInformationClass.FileEndOfFileInformation, { endOfFile })).status, 'set end of file');
  }

  async size(handle: FileHandle): Promise<number> {
    const result = await this.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
    check(result.status, 'query size');
    return result.info!.endOfFile;
  }

  /** The open's current volume-relative name (it follows renames). */
  async nameOf(handle: FileHandle): Promise<string> {
    const result = await this.api.queryInformation(handle, FileInformationClass.FileNameInformation);
    check(result.status, 'query name');
    return (result.info as FileNameInformation).fileName;
  }

  async rename(handle: FileHandle, fileName: string, replaceIfExists: boolean): Promise<void> {
    check((await this.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName, replaceIfExists })).status, `rename to '${fileName}'`);
  }

  /** Marks the file for deletion and closes the handle; returns the status of the deletion. */
  async deleteAndClose(handle: FileHandle): Promise<NTSTATUS> {
    const { status } = await this.api.setInformation(handle, FileInformationClass.FileDispositionInformation, { deleteFile: true });
    await this.api.close(handle);
    return status;
  }

  async flush(handle: FileHandle): Promise<void> {
    check((await this.api.flush(handle)).status, 'flush');
  }

  /** fsync of a directory, so that a rename inside it is durable. */
  async flushDirectory(name: string): Promise<void> {
    const handle = await this.openDirectory(name);
    try {
      await this.flush(handle);
    } finally {
      await this.api.close(handle);
    }
  }

  /** Every entry of a directory, unfiltered (Strata's own files included). */
  async list(name: string): Promise<FileDirectoryInformation[]> {
    const handle = await this.openDirectory(name);
    try {
      const entries: FileDirectoryInformation[] = [];
      for (let restart = true; ; restart = false) {
        const result = await this.api.queryDirectory(handle, null, restart);
        if (result.status === STATUS_NO_MORE_FILES) return entries;
        check(result.status, `list '${name}'`);
        entries.push(...(result.info ?? []));
      }
    } finally {
      await this.api.close(handle);
    }
  }

  private async openDirectory(name: string): Promise<FileHandle> {
    const result = await this.manager.createFileBelow(this.instance, name, { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
    check(result.status, `open directory '${name}'`);
    return result.handle!;
  }

  /** Closes the filter's own handle; a second close waits for the first (and its status is of no use here). */
  async close(handle: FileHandle): Promise<void> {
    await this.api.close(handle);
  }
}

function check(status: NTSTATUS, what: string): void {
  if (!NT_SUCCESS(status)) throw new NtStatusError(status, `crypt filter: ${what} below the filter failed`);
}
