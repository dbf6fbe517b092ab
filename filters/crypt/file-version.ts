// Which file, in which version, an open below the filter has: its creation time, write time, change time
// and size as the volume reports them. Another program's write moves the write and change times (an
// append also the size); a name given to another file (replaced, renamed over, swapped for a link) shows
// another creation time. Encrypt in place compares versions to notice files changed or replaced under it.

import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, FILE_DIRECTORY_FILE, FILE_OPEN, FileInformationClass, NT_SUCCESS, NtStatusError,
  STATUS_DELETE_PENDING, STATUS_FILE_IS_A_DIRECTORY, STATUS_NO_MORE_FILES, STATUS_NO_SUCH_FILE, STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND, type FileHandle, type FileNetworkOpenInformation, type NTSTATUS,
} from '../../main/io/index.js';
import type { CryptVolume } from './crypt-volume.js';
import { componentsOf, joinName } from './names.js';

export interface FileVersion {
  readonly creationTime: number;
  readonly lastWriteTime: number;
  readonly changeTime: number;
  readonly lastAccessTime: number;
  readonly fileAttributes: number;
  readonly size: number;
}

/** Statuses of an open saying no file is at the name (any more). */
const NO_FILE_THERE = new Set<NTSTATUS>([STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_DELETE_PENDING, STATUS_FILE_IS_A_DIRECTORY]);

export function isNoFileThere(status: NTSTATUS): boolean {
  return NO_FILE_THERE.has(status);
}

export async function versionOf(volume: CryptVolume, handle: FileHandle, name: string): Promise<FileVersion> {
  const result = await volume.manager.api.queryInformation(handle, FileInformationClass.FileNetworkOpenInformation);
  if (!NT_SUCCESS(result.status)) throw new NtStatusError(result.status, `crypt filter: query the version of '${name}' below the filter failed`);
  const info = result.info as FileNetworkOpenInformation;
  return {
    creationTime: info.creationTime, lastWriteTime: info.lastWriteTime, changeTime: info.changeTime, lastAccessTime: info.lastAccessTime,
    fileAttributes: info.fileAttributes, size: info.endOfFile,
  };
}

/** The same file, unchanged: nothing wrote to it, truncated it or put another file in its place. */
export function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a.creationTime === b.creationTime && a.lastWriteTime === b.lastWriteTime && a.changeTime === b.changeTime && a.size === b.size;
}

/** What a name is now, as its folder lists it: a file in some version, a link (to anything), or nothing. */
export type ListedVersion = { kind: 'file'; version: FileVersion } | { kind: 'link' } | null;

/**
 * The entry of `name` in its folder's listing now. The listing, not an open: an open follows a link, so a
 * link put at the name, to the very file, would look like the file itself.
 */
export async function versionListedAt(volume: CryptVolume, name: string): Promise<ListedVersion> {
  const parts = componentsOf(name);
  const leaf = parts.pop()!;
  const parent = joinName(parts);
  const opened = await volume.manager.createFileBelow(volume.instance, parent, { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  if (opened.handle === null) {
    if (isNoFileThere(opened.status)) return null;
    throw new NtStatusError(opened.status, `crypt filter: open the folder '${parent}' below the filter failed`);
  }
  try {
    // The pattern is matched without case and may hold wildcards: the exact name is picked out of the answers.
    for (let restart = true; ; restart = false) {
      const result = await volume.manager.api.queryDirectory(opened.handle, leaf, restart);
      if (result.status === STATUS_NO_MORE_FILES || result.status === STATUS_NO_SUCH_FILE) return null;
      if (!NT_SUCCESS(result.status)) throw new NtStatusError(result.status, `crypt filter: list '${name}' below the filter failed`);
      const entry = (result.info ?? []).find((candidate) => candidate.fileName === leaf);
      if (entry === undefined) continue;
      if ((entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) return { kind: 'link' };
      if ((entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) return null;
      return {
        kind: 'file',
        version: {
          creationTime: entry.creationTime, lastWriteTime: entry.lastWriteTime, changeTime: entry.changeTime, lastAccessTime: entry.lastAccessTime,
          fileAttributes: entry.fileAttributes, size: entry.endOfFile,
        },
      };
    }
  } finally {
    await volume.manager.api.close(opened.handle);
  }
}
