// Host entries NT has no file for: named pipes (FIFOs), sockets and device nodes. They are shown as NTFS
// shows the FIFOs and sockets WSL leaves on a volume: reparse points (walks leave reparse points alone),
// and an ordinary open of one fails with STATUS_IO_REPARSE_TAG_NOT_HANDLED (no filter handles that kind).
// Taken for files they would be read (a pipe waits for a writer for ever), truncated, or replaced by a
// copy (encrypt in place, an HSM stub), destroying them. A host file is therefore opened with O_NONBLOCK
// (an open of a pipe must not wait for its other end) and its type is checked on the descriptor before
// anything uses it: the name may have been given to such an entry since it was looked up.

import { constants, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { FILE_ATTRIBUTE_REPARSE_POINT, STATUS_IO_REPARSE_TAG_NOT_HANDLED } from '../../io/index.js';
import type { EntryInfo } from '../volume-backend.js';
import { VolumeError } from '../volume-error.js';
import { volumePathName } from '../volume-path.js';

/** Not every host has it (Windows has no pipes in its file systems): there it is no flag at all. */
export const O_NONBLOCK = (constants.O_NONBLOCK as number | undefined) ?? 0;

export function isSpecialFile(stats: Stats): boolean {
  return !stats.isFile() && !stats.isDirectory();
}

/**
 * Whether an entry the backend looked up is such an entry. Looked up by name, an entry is described by
 * what the name leads to (a link is followed), so only an entry that is no file is a reparse point there.
 */
export function isSpecialEntry(entry: EntryInfo): boolean {
  return !entry.directory && (entry.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
}

/** Refuses the open of `components`, which leads to a host entry that is no file (`stats`, when known, tell which). */
export function refuseSpecialFile(components: readonly string[], stats?: Stats): VolumeError {
  return new VolumeError(
    STATUS_IO_REPARSE_TAG_NOT_HANDLED,
    `'${volumePathName(components)}' is ${stats === undefined ? 'a named pipe, socket or device' : kindOf(stats)} on the host, not a file: it cannot be opened`,
  );
}

/** `handle`, once it is known to have a regular file open; otherwise it is closed and the open refused. */
export async function regularFileOnly(handle: FileHandle, components: readonly string[]): Promise<FileHandle> {
  try {
    const stats = await handle.stat();
    if (isSpecialFile(stats)) throw refuseSpecialFile(components, stats);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** What a host entry that is no file or directory is, in words ('a named pipe', 'a symbolic link', ...). */
export function kindOf(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'neither a file nor a directory';
}
