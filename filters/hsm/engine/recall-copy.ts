// How a recall puts the object's bytes into the stub's own file, returning the SHA-256 of what it put
// there. Offloaded when the tier exposes the object as a host file and the volume can copy one: an
// FSCTL_STRATA_COPY_FROM_HOST_FILE goes down the stack below the HSM (through any filter below, to the
// volume), whose kernel copy runs on one core while the object is hashed on the other; the object is
// immutable and content-addressed, so its hash is the hash of the copy, whose size the volume checks.
// Otherwise (a network tier, an in-memory volume) streamed: chunks read from the tier, hashed and
// written through the stack, the write of one, the read of the next and the hash running at once.

import { createHash } from 'node:crypto';
import { NtStatusError, STATUS_CANCELLED, STATUS_FILE_CORRUPT_ERROR, STATUS_INVALID_PARAMETER } from '../../../main/io/index.js';
import type { StubFields } from '../stub/stub-format.js';
import type { Tier } from '../tier/tier.js';
import type { OpenFile } from '../volume/below-io.js';
import { crashPoint } from '../volume/crash-point.js';
import type { RecallCopy } from '../volume/hsm-events.js';
import type { HsmVolume } from '../volume/hsm-volume.js';

/** Streamed writes: large, so that the per-request cost through the stack and the host vanishes. */
export const RECALL_CHUNK = 16 << 20;

export interface CopyOptions {
  readonly signal?: AbortSignal;
  /** Bytes copied (or, beside an offloaded copy, verified) so far. */
  readonly onProgress?: (done: number) => void;
}

/**
 * Fills `file` with the object, runs `settle` (times, fsync) once the bytes are in, and returns the
 * SHA-256 of the bytes it now holds (to compare with the stub's) and how they came. Beside a kernel copy
 * `settle` runs while the hash is still being computed: the fsync's disk time hides behind its CPU time.
 */
export async function copyObjectIn(
  volume: HsmVolume, tier: Tier, fields: StubFields, file: OpenFile, options: CopyOptions, settle: () => Promise<void>,
): Promise<{ sha256: string; copy: RecallCopy }> {
  const host = volume.settings.hostCopies === false ? undefined : tier.hostFileOf?.(fields.object);
  if (host !== undefined && (await volume.trustsCopiesFrom(host.directory, file))) {
    const sha256 = await offloadedCopy(volume, tier, fields, file, host.file, options, settle);
    if (sha256 !== null) return { sha256, copy: 'offloaded' };
  }
  const sha256 = await streamedCopy(volume, tier, fields, file, options);
  await settle();
  return { sha256, copy: 'streamed' };
}

/** The kernel copy and the hash at once; null when the volume turned the copy down (nothing done). */
async function offloadedCopy(
  volume: HsmVolume, tier: Tier, fields: StubFields, file: OpenFile, hostFile: string, options: CopyOptions, settle: () => Promise<void>,
): Promise<string | null> {
  const copying = volume.io.copyFromHostFile(file, hostFile, fields.size);
  const stop = new AbortController();
  let started = false;
  const hashing = hashObject(tier, fields, file, {
    signal: options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]),
    onProgress: (done) => {
      // A crash here leaves the file part-copied (the kernel copy runs meanwhile): recovery redoes the recall.
      if (!started) crashPoint('recall-writing');
      started = true;
      options.onProgress?.(done);
    },
  });
  // Failures are reported by the awaits below, not as unhandled rejections meanwhile.
  hashing.catch(() => {});
  let copied: boolean;
  try {
    // The copy ends first, whatever happens to the hash: the file must not change after the caller
    // restores the stub.
    copied = await copying;
  } catch (error) {
    stop.abort();
    await hashing.catch(() => {});
    // A tier that went away under the copy is reported as such (offline), not as the volume's I/O error.
    await tier.connect();
    // The volume found the source not of the stub's size, or cut short under the copy: a damaged cold copy.
    const status = (error as NtStatusError).status;
    if (status === STATUS_INVALID_PARAMETER || status === STATUS_FILE_CORRUPT_ERROR) {
      throw new NtStatusError(STATUS_FILE_CORRUPT_ERROR, `the cold copy of ${file.path} in tier '${tier.name}' is not the stub's ${fields.size} bytes (${(error as Error).message}); the stub was kept`);
    }
    throw error;
  }
  if (!copied) {
    stop.abort();
    await hashing.catch(() => {});
    return null;
  }
  // The times and the fsync need not wait for the size check: a wrong size fails the recall all the same
  // (and the stub is written back once they have ended).
  const settling = settle();
  settling.catch(() => {});
  try {
    const size = (await volume.io.standard(file)).endOfFile;
    if (size !== fields.size) throw new NtStatusError(STATUS_FILE_CORRUPT_ERROR, `the copy of ${file.path} from tier '${tier.name}' is ${size} bytes, the stub says ${fields.size}`);
    const sha256 = await hashing;
    await settling;
    return sha256;
  } catch (error) {
    stop.abort();
    await Promise.allSettled([hashing, settling]);
    throw error;
  }
}

/** The object's SHA-256 from the tier (which fails it if it goes away meanwhile); cancellable between chunks. */
async function hashObject(tier: Tier, fields: StubFields, file: OpenFile, options: CopyOptions): Promise<string> {
  checkCancel(options, file);
  const sha256 = await tier.sha256(fields.object, (done) => {
    checkCancel(options, file);
    options.onProgress?.(done);
  });
  checkCancel(options, file);
  return sha256;
}

/**
 * Streams the object into the file. Each turn, three things run at once: the write of the current
 * chunk and the read of the next (both off the main thread) and the hash of the current one.
 */
async function streamedCopy(volume: HsmVolume, tier: Tier, fields: StubFields, file: OpenFile, options: CopyOptions): Promise<string> {
  const hash = createHash('sha256');
  const chunkSize = Math.max(1, Math.min(RECALL_CHUNK, fields.size));
  const buffers = [new Uint8Array(chunkSize), new Uint8Array(chunkSize)];
  let offset = 0;
  let count = await tier.read(fields.object, 0, chunkSize, buffers[0]!);
  for (let turn = 0; count > 0; turn++) {
    checkCancel(options, file);
    const chunk = buffers[turn % 2]!.subarray(0, count);
    const nextOffset = offset + count;
    // The other buffer's chunk was written last turn (awaited): it is free for the read-ahead.
    const next = nextOffset < fields.size ? tier.read(fields.object, nextOffset, chunkSize, buffers[(turn + 1) % 2]!) : Promise.resolve(0);
    const writing = volume.io.write(file, chunk, offset);
    next.catch(() => {});
    writing.catch(() => {});
    hash.update(chunk);
    await writing;
    if (turn === 0) crashPoint('recall-writing');
    offset = nextOffset;
    options.onProgress?.(offset);
    count = await next;
  }
  await volume.io.setEndOfFile(file, offset);
  return hash.digest('hex');
}

function checkCancel(options: CopyOptions, file: OpenFile): void {
  if (options.signal?.aborted) throw new NtStatusError(STATUS_CANCELLED, `the recall of ${file.path} was cancelled; the stub was kept`);
}
