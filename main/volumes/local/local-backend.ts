// The local-directory volume backend: node:fs/promises over a real folder. Every method is
// asynchronous, so IRPs on a local volume pend and complete when the host I/O settles. Every path is
// confined to the root (local-confinement.ts): a file is opened, a directory listed and an entry created,
// renamed or removed only through a descriptor checked to lie inside it. Listings report a symbolic link
// that stays inside with FILE_ATTRIBUTE_REPARSE_POINT (walks neither descend into it nor act on it; an
// ordinary open follows it), and leave out links leading outside. Named pipes, sockets and devices are
// listed as reparse points too, and refused when opened (special-files.ts). Host-file copies into a
// stream (an HSM recall from a local tier) are in local-host-copy.ts; the O_DIRECT descriptor of
// non-cached I/O is kept by the stream (local-stream.ts).

import { constants, type Dirent, type Stats } from 'node:fs';
import { chmod, mkdir, open, opendir, readdir, realpath, rename, rmdir, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_REPARSE_POINT, STATUS_INVALID_PARAMETER, UNBUFFERED_ALIGNMENT,
  type FileBasicInformationUpdate,
} from '../../io/index.js';
import type { EntryInfo, VolumeBackend } from '../volume-backend.js';
import { VolumeError } from '../volume-error.js';
import { unreachableHostName, volumeComponentOf } from '../host-names.js';
import { isValidComponent } from '../volume-path.js';
import { LocalConfinement } from './local-confinement.js';
import { LocalHostCopy } from './local-host-copy.js';
import { entryOfStats } from './local-entry.js';
import { LocalStream } from './local-stream.js';
import { isSpecialEntry, O_NONBLOCK, refuseSpecialFile, regularFileOnly } from './special-files.js';

const NO_HANDLE = new LocalStream(null);

export class LocalBackend implements VolumeBackend<LocalStream> {
  readonly synchronous = false;
  /** Follows the host: Linux names are case-sensitive; Windows and macOS volumes usually are not. */
  readonly caseSensitive = process.platform !== 'win32' && process.platform !== 'darwin';
  private readonly confinement: LocalConfinement;
  private readonly hostCopy: LocalHostCopy;

  constructor(realRoot: string) {
    this.confinement = new LocalConfinement(realRoot);
    this.hostCopy = new LocalHostCopy(realRoot);
  }

  async lookup(path: readonly string[]): Promise<EntryInfo | null> {
    const real = await this.confinement.resolve(path);
    if (real === null) return null;
    const entry = entryOfStats(lastName(path), await stat(real));
    const target = this.confinement.linkTarget(path, real);
    return target === undefined ? entry : { ...entry, target };
  }

  async open(path: readonly string[], entry: EntryInfo): Promise<LocalStream> {
    if (entry.directory) return NO_HANDLE;
    // Refused before the host open: opening a device can act on it.
    if (isSpecialEntry(entry)) throw refuseSpecialFile(path);
    const { handle, writable } = await this.openForUpdate(path);
    return new LocalStream(handle, writable);
  }

  async createFile(path: readonly string[]): Promise<LocalStream> {
    // O_EXCL: never follows a link planted at the name, so a dangling link cannot lead the file outside.
    return new LocalStream(await this.confinement.withEntry(path, (hostPath) => open(hostPath, 'wx+')));
  }

  async createDirectory(path: readonly string[]): Promise<LocalStream> {
    await this.confinement.withEntry(path, (hostPath) => mkdir(hostPath));
    return NO_HANDLE;
  }

  close(stream: LocalStream): Promise<void> {
    return stream.close();
  }

  async query(stream: LocalStream, path: readonly string[]): Promise<EntryInfo> {
    const stats = stream.handle !== null ? await stream.handle.stat() : await this.confinement.withDirectory(path, (directory) => stat(directory));
    return entryOfStats(lastName(path), stats);
  }

  async read(stream: LocalStream, buffer: Uint8Array, length: number, offset: number, unbuffered: boolean): Promise<number> {
    const handle = unbuffered ? await stream.unbufferedHandle() : stream.handle!;
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
      done += bytesRead;
      // A non-cached read comes back short only at end of file; asking on would start off a sector boundary.
      if (bytesRead === 0 || (unbuffered && done < length)) break;
    }
    return done;
  }

  /** A non-cached write from memory O_DIRECT cannot use (not sector-aligned) fails: EINVAL, STATUS_INVALID_PARAMETER. */
  write(stream: LocalStream, data: Uint8Array, length: number, offset: number, unbuffered: boolean): Promise<number> {
    return stream.serialize(async () => {
      const handle = unbuffered ? await stream.unbufferedHandleInTurn() : stream.handle!;
      const start = offset < 0 ? (await handle.stat()).size : offset;
      // The volume checked an append against the end of file before it was queued; the end may have moved since.
      if (unbuffered && start % UNBUFFERED_ALIGNMENT !== 0) {
        throw new VolumeError(STATUS_INVALID_PARAMETER, `non-cached append at end of file ${start}, not on a ${UNBUFFERED_ALIGNMENT}-byte boundary`);
      }
      let done = 0;
      while (done < length) {
        const { bytesWritten } = await handle.write(data, done, length - done, start + done);
        done += bytesWritten;
      }
      return start + length;
    });
  }

  setSize(stream: LocalStream, size: number): Promise<void> {
    const handle = stream.handle!;
    return stream.serialize(() => handle.truncate(size));
  }

  setBasic(stream: LocalStream, path: readonly string[], update: FileBasicInformationUpdate): Promise<void> {
    // A file is changed through its open handle, a directory (which has none) through a checked descriptor.
    if (stream.handle !== null) return applyBasic(stream.handle, update);
    return this.confinement.withDirectory(path, (directory) => applyBasic(byPath(directory), update));
  }

  async flush(stream: LocalStream): Promise<void> {
    await stream.handle?.sync();
  }

  /** fsync on the directory itself: a rename or create in it survives a power cut (write temp, fsync, rename, fsync dir). */
  flushDirectory(path: readonly string[]): Promise<void> {
    return this.confinement.withDirectory(path, async (hostDirectory) => {
      const directory = await open(hostDirectory, 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
    });
  }

  list(_stream: LocalStream, path: readonly string[]): Promise<EntryInfo[]> {
    return this.confinement.withDirectory(path, async (directory) => {
      const dirents = await readdir(directory, { withFileTypes: true });
      const entries = await Promise.all(dirents.map((dirent) => this.describe(directory, dirent)));
      return entries.filter((entry): entry is EntryInfo => entry !== null);
    });
  }

  /**
   * A listing entry, or null for names NT could not open (unmappable or too long, vanished, or links leading outside).
   * A link that stays inside is described by its target, marked as the reparse point it is.
   */
  private async describe(directory: string, dirent: Dirent): Promise<EntryInfo | null> {
    // Characters NT forbids are listed mapped (host-names.ts), so that no host file is out of reach.
    if (unreachableHostName(dirent.name)) return null;
    const name = volumeComponentOf(dirent.name);
    if (!isValidComponent(name)) return null;
    const hostPath = join(directory, dirent.name);
    try {
      if (!dirent.isSymbolicLink()) return entryOfStats(name, await stat(hostPath));
      const target = await realpath(hostPath);
      if (!this.confinement.contains(target)) return null;
      return entryOfStats(name, await stat(target), FILE_ATTRIBUTE_REPARSE_POINT);
    } catch {
      return null;
    }
  }

  isEmptyDirectory(_stream: LocalStream, path: readonly string[]): Promise<boolean> {
    return this.confinement.withDirectory(path, async (hostDirectory) => {
      const directory = await opendir(hostDirectory);
      try {
        return (await directory.read()) === null;
      } finally {
        await directory.close();
      }
    });
  }

  rename(_stream: LocalStream, from: readonly string[], to: readonly string[]): Promise<void> {
    return this.confinement.withEntry(from, (source) => this.confinement.withEntry(to, (target) => rename(source, target)));
  }

  remove(_stream: LocalStream, path: readonly string[], directory: boolean): Promise<void> {
    return this.confinement.withEntry(path, async (hostPath) => {
      if (!directory) return unlink(hostPath);
      try {
        await rmdir(hostPath);
      } catch (error) {
        // A link to a directory is removed as the link it is.
        if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
        await unlink(hostPath);
      }
    });
  }

  trustCopySource(hostDirectory: string): Promise<void> {
    return this.hostCopy.trust(hostDirectory);
  }

  copyFromHostFile(stream: LocalStream, hostFile: string, byteCount: number): Promise<void> {
    return this.hostCopy.copy(stream, hostFile, byteCount);
  }

  /**
   * Opens read-write, or read-only when the host refuses writing (a read-only file still opens); a regular
   * file only (special-files.ts: the name may lead to a pipe since it was looked up; O_NONBLOCK: the open
   * of a pipe does not wait for a writer, and means nothing for a regular file).
   */
  private async openForUpdate(path: readonly string[]): Promise<{ handle: FileHandle; writable: boolean }> {
    let opened: { handle: FileHandle; writable: boolean };
    try {
      opened = { handle: await this.confinement.openFile(path, constants.O_RDWR | O_NONBLOCK), writable: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw error;
      opened = { handle: await this.confinement.openFile(path, constants.O_RDONLY | O_NONBLOCK), writable: false };
    }
    return { handle: await regularFileOnly(opened.handle, path), writable: opened.writable };
  }
}

function lastName(path: readonly string[]): string {
  return path.length === 0 ? '' : path[path.length - 1]!;
}

/** What times and attributes are applied to: a file's open handle, or a directory's host path. */
interface BasicTarget {
  stat(): Promise<Stats>;
  utimes(atime: Date, mtime: Date): Promise<void>;
  chmod(mode: number): Promise<void>;
}

function byPath(hostPath: string): BasicTarget {
  return { stat: () => stat(hostPath), utimes: (atime, mtime) => utimes(hostPath, atime, mtime), chmod: (mode) => chmod(hostPath, mode) };
}

async function applyBasic(target: BasicTarget, update: FileBasicInformationUpdate): Promise<void> {
  // POSIX hosts keep no settable creation or change time: only access and write times are applied.
  if (update.lastAccessTime !== undefined || update.lastWriteTime !== undefined) {
    const current = await target.stat();
    await target.utimes(new Date(update.lastAccessTime ?? current.atimeMs), new Date(update.lastWriteTime ?? current.mtimeMs));
  }
  if (update.fileAttributes !== undefined) {
    const mode = (await target.stat()).mode & 0o7777;
    const next = (update.fileAttributes & FILE_ATTRIBUTE_READONLY) !== 0 ? mode & ~0o222 : mode | 0o200;
    if (next !== mode) await target.chmod(next);
  }
}
