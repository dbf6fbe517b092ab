// The local backend's host-file copy (FSCTL_STRATA_COPY_FROM_HOST_FILE): the kernel copies the source
// into the stream's own host file (copy_file_range through libuv's copyfile), so every open of the
// stream, sharing that file, sees the new content. Both ends are named by /proc/self/fd/<fd> of handles
// already open: the check that the source lies below a trusted directory is made on the very inode
// that is copied (no swap of a link between check and copy), and the target is the stream's inode even
// if its name changed meanwhile — and libuv's "unlink the target after a failed copy" cannot touch it.

import { constants } from 'node:fs';
import { copyFile, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, sep } from 'node:path';
import {
  STATUS_ACCESS_DENIED, STATUS_FILE_CORRUPT_ERROR, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_DIRECTORY,
} from '../../io/index.js';
import { VolumeError } from '../volume-error.js';
import { FD_LINKS, fdLink } from './fd-link.js';
import type { LocalStream } from './local-stream.js';

// /proc/self/fd names open files: Linux only (FD_LINKS). Elsewhere the copy is refused and the caller streams.

export class LocalHostCopy {
  /** Realpaths of the trusted directories, each ending with the separator. */
  private readonly trusted: string[] = [];

  /** `volumeRoot` is the volume's realpath: its own files are never a source. */
  constructor(private readonly volumeRoot: string) {}

  async trust(hostDirectory: string): Promise<void> {
    if (!FD_LINKS) throw new VolumeError(STATUS_INVALID_DEVICE_REQUEST, 'this host cannot copy host files into a volume');
    if (!isAbsolute(hostDirectory)) throw new VolumeError(STATUS_INVALID_PARAMETER, `copy source '${hostDirectory}' is not an absolute path`);
    const real = await realpath(hostDirectory);
    if (!(await stat(real)).isDirectory()) throw new VolumeError(STATUS_NOT_A_DIRECTORY, `copy source '${hostDirectory}' is not a directory`);
    const prefix = withSep(real);
    const root = withSep(this.volumeRoot);
    if (prefix.startsWith(root) || root.startsWith(prefix)) {
      throw new VolumeError(STATUS_ACCESS_DENIED, `copy source '${hostDirectory}' overlaps the volume root ${this.volumeRoot}`);
    }
    if (!this.trusted.includes(prefix)) this.trusted.push(prefix);
  }

  async copy(stream: LocalStream, hostFile: string, byteCount: number): Promise<void> {
    if (!FD_LINKS) throw new VolumeError(STATUS_INVALID_DEVICE_REQUEST, 'this host cannot copy host files into a volume');
    if (!isAbsolute(hostFile)) throw new VolumeError(STATUS_INVALID_PARAMETER, `copy source '${hostFile}' is not an absolute path`);
    if (!stream.writable || stream.handle === null) throw new VolumeError(STATUS_ACCESS_DENIED, 'the target is not open for writing');
    // Refused before anything is opened (a FIFO or device outside would block or act on open).
    this.checkTrusted(await realpath(hostFile), hostFile);
    const source = await open(hostFile, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      this.checkTrusted(await readlink(fdLink(source)), hostFile);
      const stats = await source.stat();
      if (!stats.isFile()) throw new VolumeError(STATUS_ACCESS_DENIED, `copy source '${hostFile}' is not a regular file`);
      if (stats.size !== byteCount) throw new VolumeError(STATUS_INVALID_PARAMETER, `copy source '${hostFile}' is ${stats.size} bytes, not ${byteCount}`);
      await stream.serialize(() => copyInto(stream.handle!, source, hostFile, byteCount));
    } finally {
      await source.close();
    }
  }

  private checkTrusted(real: string, asked: string): void {
    if (!this.trusted.some((prefix) => real.startsWith(prefix))) {
      throw new VolumeError(STATUS_ACCESS_DENIED, `copy source '${asked}' is not below a directory this volume trusts`);
    }
  }
}

async function copyInto(target: FileHandle, source: FileHandle, hostFile: string, byteCount: number): Promise<void> {
  // libuv gives the target the source's mode: the file keeps its own.
  const mode = (await target.stat()).mode & 0o7777;
  let shrank = false;
  let copied: number;
  try {
    const copying = copyFile(fdLink(source), fdLink(target));
    shrank = await guardAgainstShrinking(source, byteCount, copying);
    await copying;
  } finally {
    // One stat for both the mode to restore and the size to check.
    const after = await target.stat();
    copied = after.size;
    if ((after.mode & 0o7777) !== mode) await target.chmod(mode);
  }
  if (shrank) throw new VolumeError(STATUS_FILE_CORRUPT_ERROR, `'${hostFile}' was cut short while it was copied`);
  if (copied !== byteCount) throw new VolumeError(STATUS_FILE_CORRUPT_ERROR, `copied ${copied} of the ${byteCount} bytes of '${hostFile}'`);
}

/**
 * libuv's copy loop asks for the size the source had when the copy began and never ends if the source
 * is cut short under it (copy_file_range keeps answering 0 at the new end: a thread spinning for good).
 * A source is an immutable object, so this means damage done behind Strata's back; while the copy runs,
 * its size is watched, and a source found shorter is given its length back (zeros: it was damaged
 * anyway) so that the copy ends — and fails. True when that happened.
 */
async function guardAgainstShrinking(source: FileHandle, byteCount: number, copying: Promise<void>): Promise<boolean> {
  let settled = false;
  const done = copying.then(() => (settled = true), () => (settled = true));
  while (!settled) {
    await Promise.race([done, delay(SIZE_WATCH_MS)]);
    if (settled || (await source.stat()).size >= byteCount) continue;
    const writable = await open(fdLink(source), 'r+');
    try {
      await writable.truncate(byteCount);
    } finally {
      await writable.close();
    }
    return true;
  }
  return false;
}

const SIZE_WATCH_MS = 20;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function withSep(path: string): string {
  return path.endsWith(sep) ? path : path + sep;
}
