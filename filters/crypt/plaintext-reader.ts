// Plaintext of a stream at any offset: base bytes (decrypting only the chunks the range touches, on the
// worker pool), zeros where a truncation cut the base and a later extension grew it, then the unsaved
// writes on top. The first read of an age base also checks its final chunk, so a truncated or extended
// file fails at once instead of reading "fine" up to where the damage starts.

import {
  CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, NoIdentityMatchError, TruncatedError, chunkOffset, openHeader, type Sodium,
} from '../../main/age/index.js';
import { NtStatusError, STATUS_FILE_ENCRYPTED } from '../../main/io/index.js';
import type { Below } from './below.js';
import type { CryptoPool } from './crypto-pool.js';
import type { CryptStream } from './crypt-stream.js';
import type { KeyRing } from './key-ring.js';

export interface CryptIo {
  readonly below: Below;
  readonly sodium: Sodium;
  readonly keyRing: KeyRing;
  readonly pool: CryptoPool;
  /** The filter's handle on the stream's ciphertext, opened on demand. */
  handleOf(stream: CryptStream): Promise<import('../../main/io/index.js').FileHandle>;
}

/** Unwraps the base's file key (needs the vault unlocked) and checks the final chunk once. */
export async function ensureKey(io: CryptIo, stream: CryptStream): Promise<Uint8Array> {
  const base = stream.base;
  if (base.kind !== 'age') throw new Error('ensureKey on a stream without an age base');
  if (stream.payloadKey === null) {
    const identity = io.keyRing.use();
    if (identity === null) throw new NtStatusError(STATUS_FILE_ENCRYPTED, `'${stream.name}' needs the vault key and the vault is locked`);
    try {
      stream.payloadKey = openHeader(io.sodium, base.prefix, [identity]).payloadKey;
    } catch (error) {
      if (error instanceof NoIdentityMatchError) throw new NoIdentityMatchError(`'${stream.name}' is encrypted to another key than this vault's`);
      throw error;
    }
  }
  const key = stream.payloadKey;
  if (!stream.verified) {
    const last = base.chunkCount - 1;
    await decryptChunks(io, stream, key, last, last);
    stream.verified = true;
  }
  return key;
}

/** Decrypts base chunks first..last (inclusive) and returns their plaintext. */
async function decryptChunks(io: CryptIo, stream: CryptStream, key: Uint8Array, first: number, last: number): Promise<Uint8Array> {
  const base = stream.base;
  if (base.kind !== 'age') throw new Error('decryptChunks on a stream without an age base');
  const from = chunkOffset(base.payloadStart, first);
  const to = Math.min(chunkOffset(base.payloadStart, last + 1), base.ciphertextSize);
  const ciphertext = await io.below.readAt(await io.handleOf(stream), from, to - from);
  if (ciphertext.length !== to - from) throw new TruncatedError(`'${stream.name}' became shorter while being read (chunk ${first}..${last})`);
  return io.pool.decrypt(key, first, ciphertext, last === base.chunkCount - 1);
}

/** Base bytes [offset, end), end <= stream.baseLimit. */
async function readBase(io: CryptIo, stream: CryptStream, offset: number, end: number): Promise<Uint8Array> {
  const base = stream.base;
  if (base.kind === 'plain') return io.below.readAt(await io.handleOf(stream), offset, end - offset);
  if (base.kind !== 'age') return new Uint8Array(end - offset);
  const key = await ensureKey(io, stream);
  const first = Math.floor(offset / CHUNK_SIZE);
  const last = Math.floor((end - 1) / CHUNK_SIZE);
  const plaintext = await decryptChunks(io, stream, key, first, last);
  return plaintext.subarray(offset - first * CHUNK_SIZE, end - first * CHUNK_SIZE);
}

/** Up to `length` plaintext bytes at `offset` (fewer at the end; none at or past it). */
export async function readPlaintext(io: CryptIo, stream: CryptStream, offset: number, length: number): Promise<Uint8Array> {
  const end = Math.min(offset + length, stream.size);
  if (end <= offset) return new Uint8Array(0);
  // The common case of a save after sequential writes: one unsaved write holds the whole range.
  const written = stream.dirty.within(offset, end);
  if (written !== null) return written;
  const out = new Uint8Array(end - offset);
  const baseEnd = Math.min(end, stream.baseLimit);
  if (offset < baseEnd && !stream.dirty.covers(offset, baseEnd)) out.set(await readBase(io, stream, offset, baseEnd), 0);
  stream.dirty.overlay(offset, out);
  return out;
}

/** How many ciphertext bytes one plaintext read of `length` bytes costs at most (for buffer sizing). */
export function ciphertextSpan(length: number): number {
  return (Math.ceil(length / CHUNK_SIZE) + 1) * ENCRYPTED_CHUNK_SIZE;
}
