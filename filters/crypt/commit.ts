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
const BATCH_CHUNKS = 64;
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
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Writes `source` as a complete age file to a fresh temporary name beside `target`, fsync'd; not yet renamed. */
export async function stage(io: CryptIo, target: string, source: PlaintextSource, signal?: AbortSignal): Promise<StagedFile> {
  const tempName = tempNameFor(target);
  const temp = await io.below.open(tempName, { disposition: FILE_CREATE, options: FILE_NON_DIRECTORY_FILE });
  try {
    const start = beginEncryption(io.sodium, [io.keyRing.recipient]);
    const inFlight: Promise<Uint8Array>[] = [];
    let flushing: Promise<void> | null = null;
    let flushFailure: unknown = null;
    try {
      await io.below.writeAt(temp, start.prefix, 0);
      let offset = start.prefix.length;
      let unflushed = 0;
      const chunks = chunkCountFor(source.size);
      // Pipelined: later batches are read and encrypted on the workers (into recycled shared memory)
      // while the oldest is written below.
      const produce = async (first: number): Promise<Uint8Array> => {
        const count = Math.min(BATCH_CHUNKS, chunks - first);
        const plaintext = await source.read(first * CHUNK_SIZE, count * CHUNK_SIZE);
        const ciphertext = io.pool.slabs.acquire(CryptoPool.ciphertextLength(plaintext.length));
        try {
          await io.pool.encrypt(start.payloadKey, first, plaintext, first + count === chunks, ciphertext);
        } catch (error) {
          io.pool.slabs.release(ciphertext);
          throw error;
        }
        return ciphertext;
      };
      let next = 0;
      const fill = (): void => {
        while (inFlight.length < BATCHES_IN_FLIGHT && next < chunks) {
          const batch = produce(next);
          batch.catch(() => undefined);
          inFlight.push(batch);
          next += BATCH_CHUNKS;
        }
      };
      fill();
      while (inFlight.length > 0) {
        signal?.throwIfAborted();
        const ciphertext = await inFlight.shift()!;
        fill();
        try {
          await io.below.writeAt(temp, ciphertext, offset);
        } finally {
          io.pool.slabs.release(ciphertext);
        }
        offset += ciphertext.length;
        unflushed += ciphertext.length;
        if (unflushed >= EARLY_FLUSH_BYTES && flushing === null) {
          unflushed = 0;
          // A failed fsync is reported once by the host: it is kept and fails the save.
          flushing = io.below.flush(temp).catch((error: unknown) => void (flushFailure ??= error)).finally(() => (flushing = null));
        }
      }
      await flushing;
      if (flushFailure !== null) throw flushFailure;
    } finally {
      // An abandoned batch must neither reject unobserved nor outlive the key it uses.
      await Promise.allSettled(inFlight);
      await flushing;
      io.sodium.memzero(start.payloadKey);
    }
    await io.below.flush(temp);
    return { temp, tempName, target };
  } catch (error) {
    await io.below.deleteAndClose(temp);
    throw error;
  }
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
  return { size: stream.size, read: (offset, length) => readPlaintext(io, stream, offset, length) };
}
