// Saving a modified stream: a new age file (fresh file key and nonce) to the vault's recipient, written to
// a temporary file beside the target, fsync'd, then renamed over the target and the folder fsync'd. Never an
// in-place chunk rewrite: STREAM nonces are fixed by position, so rewriting a chunk would reuse a nonce.
// Unchanged ranges stream from the old file; batches are encrypted on the worker pool.

import { CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, beginEncryption, chunkCountFor, chunkOffset } from '../../main/age/index.js';
import {
  FILE_CREATE, FILE_NO_INTERMEDIATE_BUFFERING, FILE_NON_DIRECTORY_FILE, STATUS_DELETE_PENDING, STATUS_OBJECT_NAME_NOT_FOUND, type FileHandle,
} from '../../main/io/index.js';
import { CryptoPool } from './crypto-pool.js';
import type { CryptStream } from './crypt-stream.js';
import { parentOf, tempNameFor } from './names.js';
import { holdPayloadKey, readPlaintext, type CryptIo } from './plaintext-reader.js';
import { SectorWriter } from './sector-writer.js';
import { isShared } from './shared-slabs.js';
import { SpilledWrites } from './spilled-writes.js';

/** Chunks per batch: split across the workers, large enough to keep each busy for a while. */
export const BATCH_CHUNKS = 64;
/** Batches being encrypted while the oldest is written below (each holds one ciphertext slab). */
const BATCHES_IN_FLIGHT = 6;
/** Batch writes under way below at once. */
const WRITES_IN_FLIGHT = 2;
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
  /**
   * The bytes at `offset` (fewer only at the end) as a view of shared memory that will not change, when
   * the source holds them so (the workers encrypt straight from it); null otherwise.
   */
  view?(offset: number, length: number): Uint8Array | null;
  /** The stager is done with the source: nothing of it is being read, and nothing will be. */
  release?(): void;
}

export interface StagerEvents {
  /** More of the source was handed out, or the stager failed or ended. */
  onProgress?: () => void;
  /** Chunks before `chunks` are in the temporary file `file` (written below, not yet fsync'd). */
  onWritten?: (chunks: number, file: FileHandle) => void;
}

/** A batch encrypted into its slab (SectorWriter layout), waiting to be written in order. */
interface EncryptedBatch {
  readonly slab: Uint8Array;
  readonly length: number;
  readonly last: boolean;
}

/**
 * A new age file being written to a temporary file beside its target: batches of chunks are read from the
 * source and encrypted on the workers (into recycled, page-aligned shared memory) while the oldest batch
 * is written below, in order, in whole sectors through an unbuffered open (sector-writer.ts). Encryption
 * starts at once, while the temporary file is still being created. It can be fed as the source grows
 * (write-behind) or all at once (stage()).
 */
export class Stager {
  /** The next chunk to hand to encryption: chunks before it are read from the source already. */
  private next = 0;
  /** Chunks that may be handed out; `final` when that is the whole file (its last chunk is final). */
  private limit = 0;
  private final = false;
  private readonly queue: Promise<EncryptedBatch>[] = [];
  private writer: Promise<void> | null = null;
  private failure: unknown = null;
  private unflushed = 0;
  private flushing: Promise<void> | null = null;
  private closed = false;
  private discarded = false;
  private signal: AbortSignal | undefined;
  /** The temporary file outlives an abandon: chunks written to it are read back (retain()). */
  private keepFile = false;

  private constructor(
    private readonly io: CryptIo,
    readonly target: string,
    readonly tempName: string,
    private readonly opened: Promise<SectorWriter>,
    private readonly source: PlaintextSource,
    private readonly payloadKey: Uint8Array,
    private readonly prefixLength: number,
    private readonly onProgress: () => void,
    private readonly onWritten: (chunks: number, file: FileHandle) => void,
  ) {}

  /**
   * Starts a new age file (fresh file key and nonce); its temporary file is created in the background.
   */
  static begin(io: CryptIo, target: string, source: PlaintextSource, events: StagerEvents = {}): Stager {
    const tempName = tempNameFor(target);
    const start = beginEncryption(io.sodium, [io.keyRing.recipient]);
    const opened = openTemporary(io, tempName, start.prefix);
    opened.catch(() => undefined);
    const { onProgress = () => undefined, onWritten = () => undefined } = events;
    return new Stager(io, target, tempName, opened, source, start.payloadKey, start.prefix.length, onProgress, onWritten);
  }

  /**
   * The chunks written so far, readable from the temporary file `file` (from onWritten) with a copy of
   * the key; from now on an abandon leaves the file to the returned reader, which deletes it when released.
   */
  retain(file: FileHandle): SpilledWrites {
    this.keepFile = true;
    return new SpilledWrites(this.io, file, this.payloadKey.slice(), this.prefixLength);
  }

  /** Still taking more of the source: not failed, abandoned or finished. */
  get accepting(): boolean {
    return this.failure === null && !this.closed;
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
      const temp = (await this.opened).handle;
      await this.io.below.flush(temp);
      return { temp, tempName: this.tempName, target: this.target };
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
    const sectors = await this.opened.catch(() => null);
    if (sectors !== null && !this.keepFile) await this.io.below.deleteAndClose(sectors.handle).catch(() => undefined);
  }

  /** Waits for every batch and write under way, then wipes the key and lets the source go. */
  private async settle(): Promise<void> {
    this.closed = true;
    this.onProgress();
    while (this.writer !== null) await this.writer;
    await Promise.allSettled(this.queue);
    await this.flushing;
    this.io.sodium.memzero(this.payloadKey);
    this.source.release?.();
  }

  private fill(): void {
    const before = this.next;
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
    if (this.next !== before) this.onProgress();
  }

  private async produce(first: number, count: number, last: boolean): Promise<EncryptedBatch> {
    const { slabs } = this.io.pool;
    // Shared memory the source holds already is encrypted in place; anything else is read into a slab.
    const view = this.source.view?.(first * CHUNK_SIZE, count * CHUNK_SIZE) ?? null;
    const input = view === null ? slabs.acquire(count * CHUNK_SIZE) : null;
    try {
      const plaintext = view ?? (await this.source.read(first * CHUNK_SIZE, input!));
      const length = CryptoPool.ciphertextLength(plaintext.length);
      const at = chunkOffset(this.prefixLength, first);
      const slab = slabs.acquire(SectorWriter.slabLengthOf(at, length));
      const lead = SectorWriter.leadOf(at);
      try {
        await this.io.pool.encrypt(this.payloadKey, first, plaintext, last, slab.subarray(lead, lead + length));
      } catch (error) {
        slabs.release(slab);
        throw error;
      }
      return { slab, length, last };
    } finally {
      if (input !== null) slabs.release(input);
    }
  }

  /**
   * Writes finished batches in order until none is left, up to WRITES_IN_FLIGHT at once (the disk takes
   * the next while the last is still going); the first failure stops everything, once every write under
   * way is done.
   */
  private async write(): Promise<void> {
    const writing: { done: Promise<number>; batch: EncryptedBatch; sectors: SectorWriter }[] = [];
    while ((this.queue.length > 0 || writing.length > 0) && this.failure === null) {
      try {
        if (this.queue.length === 0 || writing.length >= WRITES_IN_FLIGHT) {
          const oldest = writing[0]!;
          try {
            this.written(await oldest.done, oldest.batch, oldest.sectors);
          } finally {
            writing.shift();
            this.io.pool.slabs.release(oldest.batch.slab);
          }
          continue;
        }
        this.signal?.throwIfAborted();
        const sectors = await this.opened;
        const batch = await this.queue[0]!;
        this.queue.shift();
        this.fill();
        const done = sectors.write(batch.slab, batch.length, batch.last);
        done.catch(() => undefined);
        writing.push({ done, batch, sectors });
      } catch (error) {
        this.failure ??= error;
        this.onProgress();
      }
    }
    await Promise.allSettled(writing.map(({ done }) => done));
    for (const { batch } of writing) this.io.pool.slabs.release(batch.slab);
  }

  /** A batch's write is done (and every one before it): the file holds whole sectors up to `end`. */
  private written(end: number, batch: EncryptedBatch, sectors: SectorWriter): void {
    this.unflushed += batch.length;
    if (this.failure === null) this.onWritten(Math.floor(Math.max(0, end - this.prefixLength) / ENCRYPTED_CHUNK_SIZE), sectors.handle);
    if (this.unflushed >= EARLY_FLUSH_BYTES && this.flushing === null) {
      this.unflushed = 0;
      // A failed fsync is reported once by the host: it is kept and fails the save.
      this.flushing = this.io.below.flush(sectors.handle)
        .catch((error: unknown) => {
          this.failure ??= error;
          this.onProgress();
        })
        .finally(() => (this.flushing = null));
    }
  }
}

/** Creates the temporary file for unbuffered writing and starts it with the age header and nonce. */
async function openTemporary(io: CryptIo, tempName: string, prefix: Uint8Array): Promise<SectorWriter> {
  const temp = await io.below.open(tempName, { disposition: FILE_CREATE, options: FILE_NON_DIRECTORY_FILE | FILE_NO_INTERMEDIATE_BUFFERING });
  try {
    return await SectorWriter.start(io.below, temp, prefix);
  } catch (error) {
    await io.below.deleteAndClose(temp);
    throw error;
  }
}

/** Writes `source` as a complete age file to a fresh temporary name beside `target`, fsync'd; not yet renamed. */
export function stage(io: CryptIo, target: string, source: PlaintextSource, signal?: AbortSignal): Promise<StagedFile> {
  return Stager.begin(io, target, source).finish(signal);
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

/**
 * The plaintext of a stream as a source for stage(). The unchanged ranges are decrypted from the old file
 * with the save's own copy of its key (`heldKey`, holdPayloadKey(); by default taken now, while the vault
 * is unlocked): a lock during the save wipes the stream's cached key, not this copy, so the save finishes
 * with it. The copy is wiped when the stager releases the source, after its last read.
 */
export function streamSource(io: CryptIo, stream: CryptStream, heldKey: Uint8Array | null = holdPayloadKey(io, stream)): PlaintextSource {
  let key = heldKey;
  return {
    get size() {
      return stream.size;
    },
    read: (offset, into) => readPlaintext(io, stream, offset, into.length, into, key ?? undefined),
    view: (offset, length) => {
      const end = Math.min(offset + length, stream.size);
      const written = end > offset ? stream.dirty.within(offset, end) : null;
      return written !== null && isShared(written) ? written : null;
    },
    release: () => {
      if (key !== null) io.sodium.memzero(key);
      key = null;
    },
  };
}
