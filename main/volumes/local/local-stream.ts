// The local backend's handle on an open stream: one host file handle per file (shared by every open of
// it, closed at the last close), none for directories. Size-changing operations on a stream run one at
// a time, so that an append's "find the end, then write there" cannot interleave with another.

import type { FileHandle } from 'node:fs/promises';

export class LocalStream {
  private tail: Promise<unknown> = Promise.resolve();

  /** `writable`: the host file was opened for writing (a read-only file opens read-only). */
  constructor(readonly handle: FileHandle | null, readonly writable = handle !== null) {}

  serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.then(ignore, ignore);
    return result;
  }
}

function ignore(): void {}
