// The age payload: a 16-byte nonce, then STREAM over ChaCha20-Poly1305 in 64 KiB chunks. Chunk i's nonce
// is i as an 11-byte big-endian counter plus a final-chunk flag byte, so a chunk only authenticates at its
// own position and only the true last chunk authenticates as last. Offset math is pure functions here.

import { ChunkAuthenticationError, PayloadFormatError } from './errors.js';
import { hkdfSha256 } from './hkdf.js';
import type { Sodium } from './sodium.js';

export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const ENCRYPTED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
export const NONCE_SIZE = 16;

export function payloadKey(sodium: Sodium, fileKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hkdfSha256(sodium, fileKey, nonce, 'payload', 32);
}

export function chunkNonce(index: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  let value = index;
  for (let i = 10; i >= 0 && value > 0; i--) {
    nonce[i] = value % 256;
    value = Math.floor(value / 256);
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}

export function encryptChunk(sodium: Sodium, key: Uint8Array, index: number, plaintext: Uint8Array, last: boolean): Uint8Array {
  return sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, null, null, chunkNonce(index, last), key);
}

/** The chunk's plaintext; ChunkAuthenticationError naming the index when it does not authenticate. */
export function decryptChunk(sodium: Sodium, key: Uint8Array, index: number, ciphertext: Uint8Array, last: boolean): Uint8Array {
  if (ciphertext.length < TAG_SIZE) throw new ChunkAuthenticationError(index, 'it is shorter than its 16-byte tag');
  try {
    return sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, ciphertext, null, chunkNonce(index, last), key);
  } catch {
    throw new ChunkAuthenticationError(index);
  }
}

/** How a payload of a known length is laid out. */
export interface PayloadLayout {
  readonly chunkCount: number;
  readonly plaintextSize: number;
}

/**
 * The layout of a payload of `payloadLength` bytes (everything after the nonce). Throws
 * PayloadFormatError for lengths no age encrypter produces (no chunk, a chunk shorter than its tag,
 * an empty final chunk after others).
 */
export function payloadLayout(payloadLength: number): PayloadLayout {
  if (payloadLength <= 0) throw new PayloadFormatError('the payload has no chunk at all');
  const chunkCount = Math.ceil(payloadLength / ENCRYPTED_CHUNK_SIZE);
  const lastLength = payloadLength - (chunkCount - 1) * ENCRYPTED_CHUNK_SIZE;
  if (lastLength < TAG_SIZE) throw new PayloadFormatError(`the final chunk (${chunkCount - 1}) is ${lastLength} bytes, shorter than its tag`);
  if (lastLength === TAG_SIZE && chunkCount > 1) throw new PayloadFormatError(`the final chunk (${chunkCount - 1}) is empty, which only an empty payload may have`);
  return { chunkCount, plaintextSize: payloadLength - chunkCount * TAG_SIZE };
}

/** Chunks needed for `plaintextSize` bytes: at least one (an empty payload is one empty final chunk). */
export function chunkCountFor(plaintextSize: number): number {
  return Math.max(1, Math.ceil(plaintextSize / CHUNK_SIZE));
}

/** The ciphertext length of a file with this header length and plaintext size. */
export function encryptedSize(headerLength: number, plaintextSize: number): number {
  return headerLength + NONCE_SIZE + plaintextSize + chunkCountFor(plaintextSize) * TAG_SIZE;
}

/** Where chunk `index` starts in the file, given where the payload (after the nonce) starts. */
export function chunkOffset(payloadStart: number, index: number): number {
  return payloadStart + index * ENCRYPTED_CHUNK_SIZE;
}
