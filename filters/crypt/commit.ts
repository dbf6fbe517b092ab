// Saving a modified stream: a new age file (fresh file key and nonce) to the vault's recipient, written to
// a temporary file beside the target, fsync'd, then renamed over the target and the folder fsync'd. Never an
// in-place chunk rewrite: STREAM nonces are fixed by position, so rewriting a chunk would reuse a nonce.
// Unchanged ranges stream from the old file; batches are encrypted on the worker pool.

import { CHUNK_SIZE, beginEncryption, chunkCountFor } from '../../main/age/index.js';
import {
  FILE_CREATE, FILE_NON_DIRECTORY_FILE, STATUS_DELETE_PENDING, STATUS_OBJECT_NAME_NOT_FOUND, type FileHandle,
} from '../../main/io/index.js';
import { CryptoPool } from './crypto-pool.js';
import type { CryptStream } from './crypt-stream.js';
import { parentOf, tempNameFor } from './names.js';
import { readPlaintext, type CryptIo } from './plaintext-reader.js';

/** Chunks per batch: split across the workers, large enough to keep each busy for a while. */
export const BATCH_CHUNKS = 64;
/** Batches being read and encrypted while the oldest is written below. */
const BATCHES_IN_FLIGHT = 3;
/** An fsync is started in the background after this many bytes, so the disk works while we encrypt. */
const EARLY_FLUSH_BYTES = 64 << 20;

export interface StagedFile {
  readonly temp: FileHandle;
  readonly tempName: string;
  readonly target: string;
}

export interface PlaintextSource {
  readonly size: number;
  /** Fills `into` with the bytes at `offset` (fewer only at the end) and returns the filled view. */
  read(offset: number, into: Uint8Array): Promise<Uint8Array>;
}

/**
 * A new age file being written to a temporary file beside its target: batches of chunks are read from the
 * source and encrypted on the workers (into recycled shared memory) while the oldest batch is written
 * below, in order. It can be fed as the source grows (write-behind) or all at once (stage()).
 */
export class Stager {
  /** The next chunk to hand to encryption: chunks before it are read from the source already. */
  private next = 0;
  /** Chunks that may be handed out; `final` when that is the whole file (its last chunk is final). */
  private limit = 0;
  private final = false;
  private readonly queue: Promise<Uint8Array>[] = [];
  private writer: Promise<void> | null = null;
  private failure: unknown = null;
  private offset: number;
  private unflushed = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private discarded = false;
  private signal: AbortSignal | undefined;

  private constructor(
    private readonly io: CryptIo,
    readonly target: string,
    readonly tempName: string,
    private readonly temp: FileHandle,
    private readonly source: PlaintextSource,
    private readonly payloadKey: Uint8Array,
    prefixLength: number,
  ) {
    this.offset = prefixLength;
  }

  /** Creates the temporary file and writes the header and nonce (fresh file key and nonce). */
  static async open(io: CryptIo, target: string, source: PlaintextSource): Promise<Stager> {
    const tempName = tempNameFor(target);
    const temp = await io.below.open(tempName, { disposition: FILE_CREATE, options: FILE_NON_DIRECTORY_FILE });
    const start = beginEncryption(io.sodium, [io.keyRing.recipient]);
    try {
      await io.below.writeAt(temp, start.prefix, 0);
    } catch (error) {
      io.sodium.memzero(start.payloadKey);
      await io.below.deleteAndClose(temp);
      throw error;
    }
    return new Stager(io, target, tempName, temp, source, start.payloadKey, start.prefix.length);
  }

  /** Bytes of the source already read for encryption: they must not change any more. */
  get frontier(): number {
    return this.next * CHUNK_SIZE;
  }

  /** Lets whole batches of chunks before `chunks` go (none of them is the file's last chunk). */
  advance(chunks: number): void {
    if (this.final || this.closed) return;
    this.limit = Math.max(this.limit, chunks);
    this.fill();
  }

  /** Writes the rest of the source (its size now final), fsyncs, and hands the file over for publish(). */
  async finish(signal?: AbortSignal): Promise<StagedFile> {
    try {
      this.final = true;
      this.limit = chunkCountFor(this.source.size);
      if (this.next > this.limit || (this.next === this.limit && this.next > 0)) throw new Error('stager: the source shrank below what was already encrypted');
      this.signal = signal;
      signal?.throwIfAborted();
      this.fill();
      // The writer drains the queue and refills it until the last batch is written (or something fails).
      while (this.writer !== null) await this.writer;
      await this.flushing;
      if (this.failure !== null) throw this.failure;
      await this.settle();
      await this.io.below.flush(this.temp);
      return { temp: this.temp, tempName: this.tempName, target: this.target };
    } catch (error) {
      await this.abandon();
      throw error;
    }
  }

  /** Stops, waits for what is under way, forgets the key and deletes the temporary file (once). */
  async abandon(): Promise<void> {
    if (this.discarded) return;
    this.discarded = true;
    this.failure ??= new Error('stager abandoned');
    await this.settle();
    await this.io.below.deleteAndClose(this.temp).catch(() => undefined);
  }

  /** Waits for every batch and write under way, then wipes the key. */
  private async settle(): Promise<void> {
    this.closed = true;
    while (this.writer !== null) await this.writer;
    await Promise.allSettled(this.queue);
    await this.flushing;
    this.io.sodium.memzero(this.payloadKey);
  }

  private fill(): void {
    while (this.failure === null && !this.closed && this.queue.length < BATCHES_IN_FLIGHT && this.next < this.limit) {
      const count = Math.min(BATCH_CHUNKS, this.limit - this.next);
      // Before the end is known, only whole batches go: the workers get large jobs.
      if (!this.final && count < BATCH_CHUNKS) break;
      const batch = this.produce(this.next, count, this.final && this.next + count === this.limit);
      batch.catch(() => undefined);
      this.queue.push(batch);
      this.next += count;
    }
    if (this.writer === null && this.queue.length > 0 && this.failure === null) {
      this.writer = this.write().then(() => {
        this.writer = null;
        this.fill();
      });
    }
  }

  private async produce(first: number, count: number, endsFile: boolean): Promise<Uint8Array> {
    // Read straight into shared memory: the workers encrypt from it without another copy.
    const input = this.io.pool.slabs.acquire(count * CHUNK_SIZE);
    try {
      const plaintext = await this.source.read(first * CHUNK_SIZE, input);
      const ciphertext = this.io.pool.slabs.acquire(CryptoPool.ciphertextLength(plaintext.length));
      try {
        await this.io.pool.encrypt(this.payloadKey, first, plaintext, endsFile, ciphertext);
      } catch (error) {
        this.io.pool.slabs.release(ciphertext);
        throw error;
      }
      return ciphertext;
    } finally {
      this.io.pool.slabs.release(input);
    }
  }

  /** Writes finished batches in order until none is left; the first failure stops everything. */
  private async write(): Promise<void> {
    while (this.queue.length > 0 && this.failure === null) {
      try {
        this.signal?.throwIfAborted();
        const ciphertext = await this.queue[0]!;
        this.queue.shift();
        this.fill();
        try {
          await this.io.below.writeAt(this.temp, ciphertext, this.offset);
        } finally {
          this.io.pool.slabs.release(ciphertext);
        }
        this.offset += ciphertext.length;
        this.unflushed += ciphertext.length;
        if (this.unflushed >= EARLY_FLUSH_BYTES && this.flushing === null) {
          this.unflushed = 0;
          // A failed fsync is reported once by the host: it is kept and fails the save.
          this.flushing = this.io.below.flush(this.temp)
            .catch((error: unknown) => void (this.failure ??= error))
            .finally(() => (this.flushing = null));
        }
      } catch (error) {
        this.failure ??= error;
      }
    }
  }
}

/** Writes `source` as a complete age file to a fresh temporary name beside `target`, fsync'd; not yet renamed. */
export async function stage(io: CryptIo, target: string, source: PlaintextSource, signal?: AbortSignal): Promise<StagedFile> {
  const stager = await Stager.open(io, target, source);
  return stager.finish(signal);
}

/** Renames the staged file over its target (unless the target was deleted meanwhile) and fsyncs the folder. */
export async function publish(io: CryptIo, staged: StagedFile): Promise<void> {
  try {
    const existing = await io.below.tryOpen(staged.target);
    // Deleted while it was open: the new version has nothing to replace.
    if (existing.handle === null && (existing.status === STATUS_OBJECT_NAME_NOT_FOUND || existing.status === STATUS_DELETE_PENDING)) {
      await io.below.deleteAndClose(staged.temp);
      return;
    }
    if (existing.handle !== null) await io.below.close(existing.handle);
    await io.below.rename(staged.temp, staged.target, true);
  } catch (error) {
    await io.below.deleteAndClose(staged.temp);
    throw error;
  }
  await io.below.close(staged.temp);
  await io.below.flushDirectory(parentOf(staged.target));
}

/** The plaintext of a stream as a source for stage(). */
export function streamSource(io: CryptIo, stream: CryptStream): PlaintextSource {
  return {
    get size() {
      return stream.size;
    },
    read: (offset, into) => readPlaintext(io, stream, offset, into.length, into),
  };
}
