// The local backend's handle on an open stream: one host file handle per file (shared by every open of
// it, closed at the last close), none for directories. Size-changing operations on a stream run one at
// a time, so that an append's "find the end, then write there" cannot interleave with another.
// Non-cached (FILE_NO_INTERMEDIATE_BUFFERING) I/O goes through a second descriptor on the same inode,
// opened with O_DIRECT on first use, so that it bypasses the host's page cache; where the host refuses
// O_DIRECT, the buffered descriptor serves it (the volume checked the alignment: only caching differs).

import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** How the stream's non-cached I/O reaches the host: not asked for yet, by O_DIRECT, or buffered because the host refused O_DIRECT. */
export type DirectIo = 'unused' | 'direct' | 'refused';

export class LocalStream {
  private tail: Promise<unknown> = Promise.resolve();
  private direct: FileHandle | null = null;
  private directState: DirectIo = 'unused';

  /** `writable`: the host file was opened for writing (a read-only file opens read-only). */
  constructor(readonly handle: FileHandle | null, readonly writable = handle !== null) {}

  get directIo(): DirectIo {
    return this.directState;
  }

  serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.then(ignore, ignore);
    return result;
  }

  /** The descriptor for non-cached I/O, for a caller outside serialize(): the first such call opens it, in turn. */
  unbufferedHandle(): Promise<FileHandle> {
    if (this.directState === 'unused') return this.serialize(() => this.unbufferedHandleInTurn());
    return Promise.resolve(this.direct ?? this.handle!);
  }

  /** The same, for a caller already running inside serialize(). */
  async unbufferedHandleInTurn(): Promise<FileHandle> {
    if (this.directState === 'unused') {
      this.direct = await reopenDirect(this.handle!, this.writable);
      this.directState = this.direct !== null ? 'direct' : 'refused';
    }
    return this.direct ?? this.handle!;
  }

  /** The last reference is gone: both descriptors close, after whatever is still queued. */
  close(): Promise<void> {
    return this.serialize(async () => {
      try {
        await this.direct?.close();
      } finally {
        await this.handle?.close();
      }
    });
  }
}

function ignore(): void {}

/**
 * Errors of the O_DIRECT reopen that mean this host or file system will not give one (EINVAL: no direct
 * I/O there; ENOENT: no /proc; EACCES/EPERM: the mode changed since the open, whose access still holds).
 */
const REFUSALS = new Set(['EINVAL', 'ENOENT', 'ENOTSUP', 'EOPNOTSUPP', 'EACCES', 'EPERM']);

/**
 * The handle's own inode opened again with O_DIRECT, or null where the host refuses. Through
 * /proc/self/fd, not the path: no rename or planted link between the two opens can change the file.
 */
async function reopenDirect(handle: FileHandle, writable: boolean): Promise<FileHandle | null> {
  const O_DIRECT = constants.O_DIRECT as number | undefined;
  if (process.platform !== 'linux' || O_DIRECT === undefined) return null;
  try {
    return await open(`/proc/self/fd/${handle.fd}`, (writable ? constants.O_RDWR : constants.O_RDONLY) | O_DIRECT);
  } catch (error) {
    if (REFUSALS.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}
