// The local-directory volume backend: node:fs/promises over a real folder. Every method is
// asynchronous, so IRPs on a local volume pend and complete when the host I/O settles. Every path is
// confined to the root (local-confinement.ts) before it is opened or listed. Host-file copies into a
// stream (an HSM recall from a local tier) are in local-host-copy.ts; the O_DIRECT descriptor of non-cached
// I/O is kept by the stream (local-stream.ts).

import type { Dirent } from 'node:fs';
import { chmod, mkdir, open, opendir, readdir, realpath, rename, rmdir, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FILE_ATTRIBUTE_READONLY, STATUS_INVALID_PARAMETER, STATUS_OBJECT_NAME_NOT_FOUND, UNBUFFERED_ALIGNMENT,
  type FileBasicInformationUpdate,
} from '../../io/index.js';
import type { EntryInfo, VolumeBackend } from '../volume-backend.js';
import { VolumeError } from '../volume-error.js';
import { isValidComponent } from '../volume-path.js';
import { LocalConfinement } from './local-confinement.js';
import { LocalHostCopy } from './local-host-copy.js';
import { entryOfStats } from './local-entry.js';
import { LocalStream } from './local-stream.js';

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
    return entryOfStats(lastName(path), await stat(real));
  }

  async open(path: readonly string[], entry: EntryInfo): Promise<LocalStream> {
    if (entry.directory) return NO_HANDLE;
    const { handle, writable } = await openForUpdate(await this.existing(path));
    return new LocalStream(handle, writable);
  }

  async createFile(path: readonly string[]): Promise<LocalStream> {
    // O_EXCL: never follows a link planted at the name, so a dangling link cannot lead the file outside.
    return new LocalStream(await open(this.confinement.hostPath(path), 'wx+'));
  }

  async createDirectory(path: readonly string[]): Promise<LocalStream> {
    await mkdir(this.confinement.hostPath(path));
    return NO_HANDLE;
  }

  close(stream: LocalStream): Promise<void> {
    return stream.close();
  }

  async query(stream: LocalStream, path: readonly string[]): Promise<EntryInfo> {
    const stats = stream.handle !== null ? await stream.handle.stat() : await stat(await this.existing(path));
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

  async setBasic(stream: LocalStream, path: readonly string[], update: FileBasicInformationUpdate): Promise<void> {
    const handle = stream.handle;
    const hostPath = handle === null ? await this.existing(path) : '';
    // POSIX hosts keep no settable creation or change time: only access and write times are applied.
    if (update.lastAccessTime !== undefined || update.lastWriteTime !== undefined) {
      const current = handle !== null ? await handle.stat() : await stat(hostPath);
      const atime = new Date(update.lastAccessTime ?? current.atimeMs);
      const mtime = new Date(update.lastWriteTime ?? current.mtimeMs);
      await (handle !== null ? handle.utimes(atime, mtime) : utimes(hostPath, atime, mtime));
    }
    if (update.fileAttributes !== undefined) {
      const mode = (handle !== null ? await handle.stat() : await stat(hostPath)).mode & 0o7777;
      const next = (update.fileAttributes & FILE_ATTRIBUTE_READONLY) !== 0 ? mode & ~0o222 : mode | 0o200;
      if (next !== mode) await (handle !== null ? handle.chmod(next) : chmod(hostPath, next));
    }
  }

  async flush(stream: LocalStream): Promise<void> {
    await stream.handle?.sync();
  }

  /** fsync on the directory itself: a rename or create in it survives a power cut (write temp, fsync, rename, fsync dir). */
  async flushDirectory(path: readonly string[]): Promise<void> {
    const directory = await open(await this.existing(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }

  async list(_stream: LocalStream, path: readonly string[]): Promise<EntryInfo[]> {
    const directory = await this.existing(path);
    const dirents = await readdir(directory, { withFileTypes: true });
    const entries = await Promise.all(dirents.map((dirent) => this.describe(directory, dirent)));
    return entries.filter((entry): entry is EntryInfo => entry !== null);
  }

  /** A listing entry, or null for names NT could not open (invalid, vanished, or links leading outside). */
  private async describe(directory: string, dirent: Dirent): Promise<EntryInfo | null> {
    if (!isValidComponent(dirent.name)) return null;
    const hostPath = join(directory, dirent.name);
    try {
      const target = dirent.isSymbolicLink() ? await realpath(hostPath) : hostPath;
      if (!this.confinement.contains(target)) return null;
      return entryOfStats(dirent.name, await stat(target));
    } catch {
      return null;
    }
  }

  async isEmptyDirectory(_stream: LocalStream, path: readonly string[]): Promise<boolean> {
    const directory = await opendir(await this.existing(path));
    try {
      return (await directory.read()) === null;
    } finally {
      await directory.close();
    }
  }

  async rename(_stream: LocalStream, from: readonly string[], to: readonly string[]): Promise<void> {
    await rename(this.confinement.hostPath(from), this.confinement.hostPath(to));
  }

  async remove(_stream: LocalStream, path: readonly string[], directory: boolean): Promise<void> {
    const hostPath = this.confinement.hostPath(path);
    if (!directory) return unlink(hostPath);
    try {
      await rmdir(hostPath);
    } catch (error) {
      // A link to a directory is removed as the link it is.
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
      await unlink(hostPath);
    }
  }

  trustCopySource(hostDirectory: string): Promise<void> {
    return this.hostCopy.trust(hostDirectory);
  }

  copyFromHostFile(stream: LocalStream, hostFile: string, byteCount: number): Promise<void> {
    return this.hostCopy.copy(stream, hostFile, byteCount);
  }

  /** The confined, resolved host path of an entry that must exist. */
  private async existing(path: readonly string[]): Promise<string> {
    const real = await this.confinement.resolve(path);
    if (real === null) throw new VolumeError(STATUS_OBJECT_NAME_NOT_FOUND, `'\\${path.join('\\')}' no longer exists`);
    return real;
  }
}

function lastName(path: readonly string[]): string {
  return path.length === 0 ? '' : path[path.length - 1]!;
}

/** Opens read-write, or read-only when the host refuses writing (a read-only file still opens). */
async function openForUpdate(hostPath: string): Promise<{ handle: FileHandle; writable: boolean }> {
  try {
    return { handle: await open(hostPath, 'r+'), writable: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw error;
    return { handle: await open(hostPath, 'r'), writable: false };
  }
}
