// Plaintext of a stream at any offset: base bytes (decrypting only the chunks the range touches, on the
// worker pool), zeros where a truncation cut the base and a later extension grew it, then the unsaved
// writes on top. The first read of an age base also checks its final chunk (beside its own decryption), so
// a truncated or extended file fails at once instead of reading "fine" up to where the damage starts.
// Large ciphertext reads of a stream go below in the order they were asked for (in-order.ts).
// Every read decrypts with a copy of the payload key of its own, taken when it starts and wiped when it is
// done: a lock wipes the stream's cached key at once, while a read under way still posts its key to the
// workers after awaiting the disk. The lock stops new reads; those under way finish with their copies.

import {
  CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, NoIdentityMatchError, TruncatedError, chunkOffset, openHeader, type Sodium,
} from '../../main/age/index.js';
import { NtStatusError, STATUS_FILE_ENCRYPTED, UNBUFFERED_ALIGNMENT, type FileHandle } from '../../main/io/index.js';
import type { Below } from './below.js';
import { CryptoPool } from './crypto-pool.js';
import type { CryptStream } from './crypt-stream.js';
import type { KeyRing } from './key-ring.js';
import { isShared } from './shared-slabs.js';

/** Ciphertext reads of at least this many bytes go below unbuffered (readCiphertext). */
const UNBUFFERED_READ_MIN = 1 << 20;

export interface CryptIo {
  readonly below: Below;
  readonly sodium: Sodium;
  readonly keyRing: KeyRing;
  readonly pool: CryptoPool;
  /** The filter's handle on the stream's ciphertext, opened on demand. */
  handleOf(stream: CryptStream): Promise<FileHandle>;
  /** The same through an unbuffered open (sector-aligned reads only), opened on demand. */
  unbufferedHandleOf(stream: CryptStream): Promise<FileHandle>;
}

/**
 * The base's payload key, unwrapped on first need (the vault must be unlocked). The stream's own: wiped in
 * place on lock, so work that awaits anything takes a copy of it (copyPayloadKey()). Using the cached key is
 * use of the vault: it keeps the vault from locking itself while a file is being read.
 */
function payloadKeyOf(io: CryptIo, stream: CryptStream): Uint8Array {
  const base = stream.base;
  if (base.kind !== 'age') throw new Error('payloadKeyOf on a stream without an age base');
  if (stream.payloadKey !== null) io.keyRing.touch();
  else {
    const identity = io.keyRing.use();
    if (identity === null) throw new NtStatusError(STATUS_FILE_ENCRYPTED, `'${stream.name}' needs the vault key and the vault is locked`);
    try {
      stream.payloadKey = openHeader(io.sodium, base.prefix, [identity]).payloadKey;
    } catch (error) {
      if (error instanceof NoIdentityMatchError) throw new NoIdentityMatchError(`'${stream.name}' is encrypted to another key than this vault's`);
      throw error;
    }
  }
  return stream.payloadKey;
}

/** A copy of the base's payload key, owned by the caller, who wipes it (sodium.memzero) once done with it. */
function copyPayloadKey(io: CryptIo, stream: CryptStream): Uint8Array {
  return payloadKeyOf(io, stream).slice();
}

/**
 * A copy of the base's payload key for work that reads the base many times over a while (a save), taken
 * now while the vault is unlocked; the caller wipes it (sodium.memzero) once every read it passed it to is
 * done. Null when the base has no bytes left in the file, or when the key cannot be had now (the vault
 * locked, a file for another key): reads that need the base then take their own and fail as any read does.
 */
export function holdPayloadKey(io: CryptIo, stream: CryptStream): Uint8Array | null {
  if (stream.base.kind !== 'age' || stream.baseLimit === 0) return null;
  try {
    return copyPayloadKey(io, stream);
  } catch {
    return null;
  }
}

/**
 * Checks once that the base's final chunk is authenticated as final. Readers at the same time share the
 * check and run it beside their own decryption; a check that failed is tried again by the next read. The
 * check runs with the key copy of the read that started it, which waits for the check before wiping it.
 */
function checkFinalChunk(io: CryptIo, stream: CryptStream, key: Uint8Array): Promise<void> {
  const base = stream.base;
  if (base.kind !== 'age') throw new Error('checkFinalChunk on a stream without an age base');
  if (stream.finalChunkCheck === null) {
    const last = base.chunkCount - 1;
    const check = decryptChunks(io, stream, key, last, last).then(() => undefined);
    stream.finalChunkCheck = check;
    check.catch(() => {
      if (stream.finalChunkCheck === check) stream.finalChunkCheck = null;
    });
  }
  return stream.finalChunkCheck;
}

/** Waits for both; throws the first failure (the check's first) once neither is still running. */
async function bothDone(check: Promise<void>, work: Promise<unknown>): Promise<void> {
  const [checked, worked] = await Promise.allSettled([check, work]);
  if (checked.status === 'rejected') throw checked.reason;
  if (worked.status === 'rejected') throw worked.reason;
}

/**
 * Decrypts base chunks first..last (inclusive) into `out` (their whole plaintext), or into a new buffer.
 * The ciphertext is read below straight into shared memory the workers decrypt from.
 */
async function decryptChunks(io: CryptIo, stream: CryptStream, key: Uint8Array, first: number, last: number, out?: Uint8Array): Promise<Uint8Array> {
  const base = stream.base;
  if (base.kind !== 'age') throw new Error('decryptChunks on a stream without an age base');
  const from = chunkOffset(base.payloadStart, first);
  const to = Math.min(chunkOffset(base.payloadStart, last + 1), base.ciphertextSize);
  const { slab, ciphertext } = await readCiphertext(io, stream, from, to);
  try {
    if (ciphertext.length !== to - from) throw new TruncatedError(`'${stream.name}' became shorter while being read (chunk ${first}..${last})`);
    const plaintext = out ?? new Uint8Array(CryptoPool.plaintextLength(ciphertext.length));
    await io.pool.decrypt(key, first, ciphertext, last === base.chunkCount - 1, plaintext);
    return plaintext;
  } finally {
    io.pool.slabs.release(slab);
  }
}

/**
 * Ciphertext bytes [from, to) read below into a slab (fewer at the end of the file). A large range is read
 * unbuffered, in whole sectors around it: the disk fills the slab directly, and no page-cache pages are
 * allocated for bytes that are only decrypted once.
 */
async function readCiphertext(io: CryptIo, stream: CryptStream, from: number, to: number): Promise<{ slab: Uint8Array; ciphertext: Uint8Array }> {
  if (to - from < UNBUFFERED_READ_MIN) {
    const slab = io.pool.slabs.acquire(to - from);
    const read = await io.below.readInto(await io.handleOf(stream), from, slab);
    return { slab, ciphertext: slab.subarray(0, read) };
  }
  const handle = await io.unbufferedHandleOf(stream);
  return stream.ciphertextReads.run(() => readUnbuffered(io, handle, from, to));
}

/** Bytes [from, to) of a file opened unbuffered, read in whole sectors around them into a slab (fewer at the end). */
export async function readUnbuffered(io: CryptIo, handle: FileHandle, from: number, to: number): Promise<{ slab: Uint8Array; ciphertext: Uint8Array }> {
  const start = Math.floor(from / UNBUFFERED_ALIGNMENT) * UNBUFFERED_ALIGNMENT;
  const end = Math.ceil(to / UNBUFFERED_ALIGNMENT) * UNBUFFERED_ALIGNMENT;
  const slab = io.pool.slabs.acquire(end - start);
  try {
    const read = await io.below.readOnce(handle, start, slab);
    return { slab, ciphertext: slab.subarray(from - start, Math.max(from - start, Math.min(read, to - start))) };
  } catch (error) {
    io.pool.slabs.release(slab);
    throw error;
  }
}

/**
 * Base bytes [offset, offset + out.length) into `out`; the range ends at or before stream.baseLimit. An age
 * base is decrypted with `heldKey` (a save's copy, see holdPayloadKey()) or else with a copy taken now.
 */
async function readBase(io: CryptIo, stream: CryptStream, offset: number, out: Uint8Array, heldKey?: Uint8Array): Promise<void> {
  const base = stream.base;
  if (base.kind === 'plain') {
    const read = await io.below.readInto(await io.handleOf(stream), offset, out);
    out.fill(0, read);
    return;
  }
  if (base.kind !== 'age') return void out.fill(0);
  if (heldKey !== undefined) io.keyRing.touch();
  const key = heldKey ?? copyPayloadKey(io, stream);
  try {
    await decryptBase(io, stream, key, offset, out);
  } finally {
    // decryptBase settles only after every job given the key has (failed or not): none posts it after this.
    if (key !== heldKey) io.sodium.memzero(key);
  }
}

/** readBase() of an age base; `key` must stay intact until this settles (it waits for every job using it). */
async function decryptBase(io: CryptIo, stream: CryptStream, key: Uint8Array, offset: number, out: Uint8Array): Promise<void> {
  const base = stream.base;
  if (base.kind !== 'age') throw new Error('decryptBase on a stream without an age base');
  const end = offset + out.length;
  const check = checkFinalChunk(io, stream, key);
  const first = Math.floor(offset / CHUNK_SIZE);
  const last = Math.floor((end - 1) / CHUNK_SIZE);
  const span = Math.min((last + 1) * CHUNK_SIZE, base.plaintextSize) - first * CHUNK_SIZE;
  // Whole chunks into shared memory: the workers decrypt straight into the caller's buffer.
  if (offset === first * CHUNK_SIZE && out.length === span && isShared(out)) return bothDone(check, decryptChunks(io, stream, key, first, last, out));
  const plaintext = io.pool.slabs.acquire(span);
  try {
    await bothDone(check, decryptChunks(io, stream, key, first, last, plaintext));
    out.set(plaintext.subarray(offset - first * CHUNK_SIZE, end - first * CHUNK_SIZE));
  } finally {
    io.pool.slabs.release(plaintext);
  }
}

/**
 * Up to `length` plaintext bytes at `offset` (fewer at the end; none at or past it). With `into`, they
 * are written there and a view of `into` is returned; without, the result may be a view of unsaved
 * writes (not to be modified) or a new buffer. `heldKey`: the base's key to decrypt with (holdPayloadKey()).
 */
export async function readPlaintext(io: CryptIo, stream: CryptStream, offset: number, length: number, into?: Uint8Array, heldKey?: Uint8Array): Promise<Uint8Array> {
  const end = Math.min(offset + length, stream.size);
  if (end <= offset) return into?.subarray(0, 0) ?? new Uint8Array(0);
  // The common case of a save after sequential writes: one unsaved write holds the whole range.
  const written = stream.dirty.within(offset, end);
  if (written !== null && into === undefined) return written;
  const out = into?.subarray(0, end - offset) ?? new Uint8Array(end - offset);
  if (written !== null) {
    out.set(written);
    return out;
  }
  const baseEnd = Math.min(end, stream.baseLimit);
  const baseRead = offset < baseEnd && !stream.dirty.covers(offset, baseEnd);
  if (baseRead) await readBase(io, stream, offset, out.subarray(0, baseEnd - offset), heldKey);
  const spilled = await readSpilled(stream, offset, out);
  // A buffer of the caller's may hold anything: what neither the base nor a write fills is zeros.
  if (into !== undefined) out.fill(0, Math.max(baseRead ? baseEnd - offset : 0, spilled));
  // No await between the last look at what was spilled and this: every byte is in one or the other.
  stream.dirty.overlay(offset, out);
  return out;
}

/**
 * The bytes of [offset, offset + out.length) the write-behind spilled (a prefix of the file) into `out`;
 * returns how many leading bytes of `out` that filled. Writes can be spilled while it reads: it reads on
 * until nothing more of the range was spilled.
 */
async function readSpilled(stream: CryptStream, offset: number, out: Uint8Array): Promise<number> {
  let done = 0;
  for (;;) {
    const spilled = stream.spilled;
    const upto = Math.min(out.length, (spilled?.size ?? 0) - offset);
    if (spilled === null || upto <= done) return done;
    await spilled.read(offset + done, out.subarray(done, upto));
    done = upto;
  }
}

/** How many ciphertext bytes one plaintext read of `length` bytes costs at most (for buffer sizing). */
export function ciphertextSpan(length: number): number {
  return (Math.ceil(length / CHUNK_SIZE) + 1) * ENCRYPTED_CHUNK_SIZE;
}
