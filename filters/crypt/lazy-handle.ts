// One of the filter's own opens of a stream's ciphertext, made on first need and shared: callers at the
// same time (windows read ahead start together) wait for one open instead of each opening a handle of
// which all but the last would be lost, open, until the garbage collector closed it.

import type { FileHandle } from '../../main/io/index.js';

export class LazyHandle {
  private handle: FileHandle | null = null;
  private opening: Promise<FileHandle> | null = null;

  /** The open handle, or one opened now with `open` (one open for every caller until it settles). */
  get(open: () => Promise<FileHandle>): Promise<FileHandle> {
    if (this.handle !== null && !this.handle.closed) return Promise.resolve(this.handle);
    if (this.opening === null) {
      const opening = open().then((handle) => (this.handle = handle));
      this.opening = opening;
      const settled = (): void => {
        if (this.opening === opening) this.opening = null;
      };
      opening.then(settled, settled);
    }
    return this.opening;
  }

  /** Uses a handle opened elsewhere (the create that made the stream). */
  set(handle: FileHandle): void {
    this.handle = handle;
  }

  /** Takes the handle away, once an open under way has settled; null if none is open. */
  async take(): Promise<FileHandle | null> {
    await this.opening?.catch(() => undefined);
    const handle = this.handle;
    this.handle = null;
    return handle !== null && !handle.closed ? handle : null;
  }
}
