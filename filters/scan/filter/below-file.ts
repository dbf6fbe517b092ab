// The filter's own I/O on a file of its volume (FltCreateFile with its instance): requests enter the
// stack below the scan filter, flagged internal, so they are never scanned again and reach HSM and
// encryption as they should. Failures become NtStatusErrors naming the operation and the file.

import {
  FILE_OPEN, FileInformationClass, MAXIMUM_ALLOCATED_BUFFER, NT_SUCCESS, NtStatusError, STATUS_DELETE_PENDING, STATUS_END_OF_FILE, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND,
  type FileBasicInformation, type FileHandle, type FileStandardInformation, type NTSTATUS,
} from '../../../main/io/index.js';
import type { FilterManager, FltInstance } from '../../../main/fltmgr/index.js';
import type { ByteSource } from '../source/byte-source.js';

export interface BelowFileInfo {
  readonly size: number;
  readonly attributes: number;
  readonly lastWriteTime: number;
  readonly directory: boolean;
}

export class BelowFile {
  private constructor(private readonly manager: FilterManager, readonly handle: FileHandle, readonly name: string) {}

  /** Opens `name` ("\dir\file") below `instance`; null when it does not exist. */
  static async open(manager: FilterManager, instance: FltInstance, name: string): Promise<BelowFile | null> {
    const result = await manager.createFileBelow(instance, name, { disposition: FILE_OPEN });
    // Gone, or going (delete pending): there is nothing left of it to scan or to roll back.
    if (result.status === STATUS_OBJECT_NAME_NOT_FOUND || result.status === STATUS_OBJECT_PATH_NOT_FOUND || result.status === STATUS_DELETE_PENDING) return null;
    check(result.status, 'open', name);
    return new BelowFile(manager, result.handle!, name);
  }

  async info(): Promise<BelowFileInfo> {
    const api = this.manager.api;
    const basic = await api.queryInformation(this.handle, FileInformationClass.FileBasicInformation);
    check(basic.status, 'query basic information of', this.name);
    const standard = await api.queryInformation(this.handle, FileInformationClass.FileStandardInformation);
    check(standard.status, 'query standard information of', this.name);
    const b = basic.info as FileBasicInformation;
    const s = standard.info as FileStandardInformation;
    return { size: s.endOfFile, attributes: b.fileAttributes, lastWriteTime: b.lastWriteTime, directory: s.directory };
  }

  /** The file's bytes as a ByteSource of `size` bytes. */
  source(size: number): ByteSource {
    return {
      size,
      read: async (offset, length) => {
        const count = Math.max(0, Math.min(length, size - offset));
        if (count === 0) return new Uint8Array(0);
        const result = await this.manager.api.read(this.handle, count, offset);
        // The file may have shrunk since its size was taken: the bytes are gone, nothing more to read.
        if (result.status === STATUS_END_OF_FILE) return new Uint8Array(0);
        check(result.status, `read at offset ${offset} of`, this.name);
        return result.data;
      },
    };
  }

  /**
   * The bytes in [offset, offset + length), fewer only where the file ends. A failed read (a damaged
   * chunk below, a locked vault, a device error) throws: callers save these bytes to restore them later,
   * and a range cut short by an error would restore the wrong content.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let done = 0;
    while (done < length) {
      // One read allocates at most MAXIMUM_ALLOCATED_BUFFER: a long range (a cut file's tail) comes in parts.
      const result = await this.manager.api.read(this.handle, Math.min(length - done, MAXIMUM_ALLOCATED_BUFFER), offset + done);
      if (result.status === STATUS_END_OF_FILE) break;
      check(result.status, `read at offset ${offset + done} of`, this.name);
      if (result.information === 0) break;
      parts.push(result.data.slice());
      done += result.information;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    check((await this.manager.api.write(this.handle, data, offset)).status, 'write', this.name);
  }

  async setSize(size: number): Promise<void> {
    check((await this.manager.api.setInformation(this.handle, FileInformationClass.FileEndOfFileInformation, { endOfFile: size })).status, 'set the size of', this.name);
  }

  /** Delete on the last close (the user's open of the file still holds it until its cleanup). */
  async markForDeletion(): Promise<void> {
    check((await this.manager.api.setInformation(this.handle, FileInformationClass.FileDispositionInformation, { deleteFile: true })).status, 'delete', this.name);
  }

  async flush(): Promise<void> {
    check((await this.manager.api.flush(this.handle)).status, 'flush', this.name);
  }

  async close(): Promise<void> {
    await this.manager.api.close(this.handle);
  }
}

/** Runs `use` on `name` opened below `instance`, closing it whatever happens; null when the file is absent. */
export async function withBelowFile<T>(manager: FilterManager, instance: FltInstance, name: string, use: (file: BelowFile) => Promise<T>): Promise<T | null> {
  const file = await BelowFile.open(manager, instance, name);
  if (file === null) return null;
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}

function check(status: NTSTATUS, what: string, name: string): void {
  if (!NT_SUCCESS(status)) throw new NtStatusError(status, `scan filter: cannot ${what} ${name}`);
}
