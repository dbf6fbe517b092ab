// Unsaved writes that a write-behind has already encrypted into its temporary file, and dropped from
// memory: a long new file is not held in memory whole while it is written, and the memory its writes
// were copied into is used again for the next ones. These bytes are a prefix of the new version, in chunks
// of which none is final; they lie between the base and the unsaved writes still in memory, and a read of
// them decrypts them back from the temporary file. When the write-behind is abandoned (a write reached back
// before its frontier), the temporary file is kept, frozen, as this layer until the stream is saved anew
// from it; the key used here is this layer's own copy, wiped when it is released.

import { CHUNK_SIZE, TruncatedError, chunkOffset } from '../../main/age/index.js';
import type { FileHandle } from '../../main/io/index.js';
import { readUnbuffered, type CryptIo } from './plaintext-reader.js';

export class SpilledWrites {
  /** Plaintext bytes [0, written) are in the temporary file. */
  private written = 0;
  /** A truncation cut the file here: bytes past it are no longer part of it. */
  private limit = Number.POSITIVE_INFINITY;
  private readonly reads = new Set<Promise<void>>();
  /** What still writes to the file (the write-behind until it is abandoned or finished). */
  private writer: Promise<unknown> = Promise.resolve();
  private released = false;

  /** @param file the temporary file, opened unbuffered; `key` is owned (wiped at release). */
  constructor(private readonly io: CryptIo, private readonly file: FileHandle, private readonly key: Uint8Array, private readonly prefixLength: number) {}

  /** The bytes this layer holds: [0, size). */
  get size(): number {
    return Math.min(this.written, this.limit);
  }

  /** Chunks before `chunks` are in the file now. */
  grow(chunks: number): void {
    this.written = Math.max(this.written, chunks * CHUNK_SIZE);
  }

  truncate(size: number): void {
    this.limit = Math.min(this.limit, size);
  }

  /** The file is released only after `writer` settles (nothing may still write to it when it is deleted). */
  waitFor(writer: Promise<unknown>): void {
    this.writer = writer;
  }

  /** Decrypts plaintext [offset, offset + out.length), which must lie within [0, size), into `out`. */
  read(offset: number, out: Uint8Array): Promise<void> {
    if (this.released) return Promise.reject(new Error('spilled writes: read after release'));
    if (offset < 0 || offset + out.length > this.size) return Promise.reject(new RangeError(`spilled writes: [${offset}, ${offset + out.length}) is not within [0, ${this.size})`));
    const work = this.decrypt(offset, out);
    this.reads.add(work);
    const forget = (): void => void this.reads.delete(work);
    work.then(forget, forget);
    return work;
  }

  /**
   * Wipes the key once no read is under way and nothing writes to the file. `deleteFile`: the temporary
   * file is deleted (false when it became the staged new version).
   */
  async release(deleteFile: boolean): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.writer.catch(() => undefined);
    await Promise.allSettled([...this.reads]);
    this.io.sodium.memzero(this.key);
    if (deleteFile) await this.io.below.deleteAndClose(this.file).catch(() => undefined);
  }

  private async decrypt(offset: number, out: Uint8Array): Promise<void> {
    if (out.length === 0) return;
    const first = Math.floor(offset / CHUNK_SIZE);
    const last = Math.floor((offset + out.length - 1) / CHUNK_SIZE);
    const from = chunkOffset(this.prefixLength, first);
    const to = chunkOffset(this.prefixLength, last + 1);
    const { slabs } = this.io.pool;
    const { slab, ciphertext } = await readUnbuffered(this.io, this.file, from, to);
    const plaintext = slabs.acquire((last - first + 1) * CHUNK_SIZE);
    try {
      if (ciphertext.length !== to - from) throw new TruncatedError(`the temporary file of unsaved writes is shorter than written (chunks ${first}..${last})`);
      await this.io.pool.decrypt(this.key, first, ciphertext, false, plaintext);
      const skip = offset - first * CHUNK_SIZE;
      out.set(plaintext.subarray(skip, skip + out.length));
    } finally {
      slabs.release(plaintext);
      slabs.release(slab);
    }
  }
}
