// Sequential reads of an encrypted stream: while the caller consumes one range, the next ranges are already
// being read below and decrypted on the worker pool, so the read below, the decryption and the caller's own
// work overlap. A reader that continues where it stopped gets windows of at least WINDOW_MIN bytes, ending
// on chunk boundaries, two to four of them ahead (about AHEAD_BYTES); any other read gets one window of its
// own length ahead (what it would cost anyway if it turns out sequential). The first read of a sequential
// run starts its windows at once, beside itself; a large one is itself split into windows (a quarter, a
// quarter, a half), so that its decryption starts as soon as its first quarter is read. Windows live in
// shared memory, so the workers decrypt straight into them. Only clean age streams read ahead; any write,
// size change or lock drops the windows.

import { CHUNK_SIZE } from '../../main/age/index.js';
import type { CryptStream } from './crypt-stream.js';
import { readPlaintext, type CryptIo } from './plaintext-reader.js';

/** Smallest window for a sequential reader: enough chunks to split across the workers. */
const WINDOW_MIN = 1 << 20;
/** Bytes kept ahead of a sequential reader: four windows of up to 4 MiB, at least two of larger ones. */
const AHEAD_BYTES = 16 << 20;
const DEPTH_MIN = 2;
const DEPTH_MAX = 4;
/** The first read of a sequential run is split into windows from this length on. */
const SPLIT_FIRST_MIN = 4 * WINDOW_MIN;

interface Window {
  readonly offset: number;
  readonly length: number;
  /** A view of `slab`: the window's plaintext once decrypted; rejects when the range is damaged. */
  readonly data: Promise<Uint8Array>;
  readonly slab: Uint8Array;
}

export interface ReadAhead {
  /** Consecutive windows, oldest first. */
  readonly windows: Window[];
  /** Where the next window starts. */
  end: number;
}

/** Reads [offset, offset + into.length) into `into` (fewer bytes at the end of the stream); returns the count. */
export async function readSequential(io: CryptIo, stream: CryptStream, offset: number, into: Uint8Array): Promise<number> {
  const sequential = offset === stream.lastReadEnd;
  if (sequential && !covers(stream.readAhead, offset)) startRun(io, stream, offset, into.length);
  let done = await consumeWindows(io, stream, offset, into);
  if (done < into.length) done += (await readPlaintext(io, stream, offset + done, into.length - done, into.subarray(done))).length;
  stream.lastReadEnd = offset + done;
  if (done === into.length) refill(io, stream, offset + done, into.length, sequential);
  return done;
}

/** Copies what the windows hold of [offset, …) into `into`, from its start on; returns the count. */
async function consumeWindows(io: CryptIo, stream: CryptStream, offset: number, into: Uint8Array): Promise<number> {
  let done = 0;
  while (done < into.length) {
    const ahead = stream.readAhead;
    const window = ahead?.windows[0];
    const at = offset + done;
    if (ahead == null || window === undefined || at < window.offset || at >= window.offset + window.length) break;
    const data = await window.data.catch(() => null);
    // Dropped or consumed by someone else while waiting: look again.
    if (stream.readAhead !== ahead || ahead.windows[0] !== window) continue;
    // A failure read ahead (a damaged chunk) is not reported from here: the direct read reports it.
    if (data === null) {
      stream.readAhead = null;
      break;
    }
    const from = at - window.offset;
    const count = Math.min(into.length - done, data.length - from);
    if (count <= 0) break;
    into.set(data.subarray(from, from + count), done);
    done += count;
    if (from + count >= window.length) {
      ahead.windows.shift();
      io.pool.slabs.release(window.slab);
    }
  }
  return done;
}

function covers(ahead: ReadAhead | null, offset: number): boolean {
  const first = ahead?.windows[0];
  return first !== undefined && first.offset <= offset && offset < first.offset + first.length;
}

function canReadAhead(stream: CryptStream, position: number): boolean {
  return stream.base.kind === 'age' && stream.dirty.count === 0 && position < stream.size;
}

/** A sequential read of `length` at `offset` that no window holds: windows for it (when large) and after it, started now. */
function startRun(io: CryptIo, stream: CryptStream, offset: number, length: number): void {
  if (!canReadAhead(stream, offset)) {
    stream.readAhead = null;
    return;
  }
  const split = length >= SPLIT_FIRST_MIN;
  const ahead: ReadAhead = (stream.readAhead = { windows: [], end: split ? offset : offset + length });
  if (split) for (const part of [length / 4, length / 4, length / 2]) addWindow(io, stream, ahead, Math.ceil(part));
  const size = Math.max(length, WINDOW_MIN);
  fill(io, stream, ahead, size, ahead.windows.length + depthFor(size));
}

function refill(io: CryptIo, stream: CryptStream, position: number, readLength: number, sequential: boolean): void {
  if (!canReadAhead(stream, position)) {
    stream.readAhead = null;
    return;
  }
  let ahead = stream.readAhead;
  const first = ahead?.windows[0];
  const following = ahead != null && (first === undefined ? ahead.end === position : first.offset <= position && position < ahead.end);
  if (ahead == null || !following) stream.readAhead = ahead = { windows: [], end: position };
  const size = sequential ? Math.max(readLength, WINDOW_MIN) : readLength;
  fill(io, stream, ahead, size, sequential ? depthFor(size) : 1);
}

function depthFor(size: number): number {
  return Math.min(DEPTH_MAX, Math.max(DEPTH_MIN, Math.floor(AHEAD_BYTES / size)));
}

function fill(io: CryptIo, stream: CryptStream, ahead: ReadAhead, size: number, windows: number): void {
  while (ahead.windows.length < windows && ahead.end < stream.size) addWindow(io, stream, ahead, size);
}

/** Starts the window of up to `size` bytes at ahead.end. */
function addWindow(io: CryptIo, stream: CryptStream, ahead: ReadAhead, size: number): void {
  const start = ahead.end;
  let end = Math.min(start + size, stream.size);
  if (end <= start) return;
  // Windows end on chunk boundaries, so that the next one decrypts whole chunks straight into its slab.
  if (end < stream.size && end % CHUNK_SIZE !== 0 && Math.floor(end / CHUNK_SIZE) * CHUNK_SIZE > start) end = Math.floor(end / CHUNK_SIZE) * CHUNK_SIZE;
  const slab = io.pool.slabs.acquire(end - start);
  const data = readPlaintext(io, stream, start, end - start, slab);
  data.catch(() => undefined);
  ahead.windows.push({ offset: start, length: end - start, data, slab });
  ahead.end = end;
}
