// Saving a modified stream: a new age file (fresh file key and nonce) to the vault's recipient, written to
// a temporary file beside the target, fsync'd, then renamed over the target and the folder fsync'd. Never an
// in-place chunk rewrite: STREAM nonces are fixed by position, so rewriting a chunk would reuse a nonce.
// Unchanged ranges stream from the old file; batches are encrypted on the worker pool.

import { CHUNK_SIZE, beginEncryption, chunkCountFor } from '../../main/age/index.js';
import {
  FILE_CREATE, FILE_NON_DIRECTORY_FILE, STATUS_DELETE_PENDING, STATUS_OBJECT_NAME_NOT_FOUND, type FileHandle,
} from '../../main/io/index.js';
import type { CryptStream } from './crypt-stream.js';
import { parentOf, tempNameFor } from './names.js';
import { readPlaintext, type CryptIo } from './plaintext-reader.js';

/** Chunks per batch: large enough to keep every worker busy, small enough to bound memory. */
const BATCH_CHUNKS = 64;

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
    let next: Promise<Uint8Array[]> | null = null;
    try {
      await io.below.writeAt(temp, start.prefix, 0);
      let offset = start.prefix.length;
      const chunks = chunkCountFor(source.size);
      // Pipelined: batch k+1 is read and encrypted on the workers while batch k is written.
      const produce = (first: number): Promise<Uint8Array[]> => {
        const count = Math.min(BATCH_CHUNKS, chunks - first);
        return source.read(first * CHUNK_SIZE, count * CHUNK_SIZE).then((plaintext) => io.pool.encrypt(start.payloadKey, first, plaintext, first + count === chunks));
      };
      next = produce(0);
      for (let first = 0; first < chunks; first += BATCH_CHUNKS) {
        signal?.throwIfAborted();
        const ciphertext: Uint8Array[] = await next!;
        next = first + BATCH_CHUNKS < chunks ? produce(first + BATCH_CHUNKS) : null;
        for (const part of ciphertext) {
          await io.below.writeAt(temp, part, offset);
          offset += part.length;
        }
      }
    } finally {
      // An abandoned batch must neither reject unobserved nor outlive the key it uses.
      await next?.catch(() => undefined);
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
