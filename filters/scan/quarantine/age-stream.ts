// Streams content into and out of age files chunk by chunk (64 KiB STREAM chunks), so quarantining or
// restoring a large file never holds it whole in memory. The final chunk is known from the size: the
// plaintext's on the way in, the age file's on the way out.

import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import {
  CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, beginEncryption, chunkCountFor, decryptChunk, encryptChunk, openHeader,
  type Identity, type Recipient, type Sodium,
} from '../../../main/age/index.js';
import type { ByteSource } from '../source/byte-source.js';

/** Room enough for the header of a file to one X25519 recipient, plus the payload nonce. */
const HEADER_PROBE = 16 * 1024;

export interface PlaintextSummary {
  readonly size: number;
  readonly sha256: string;
}

/** Encrypts `source` to `recipients` into `out` from offset 0; returns the plaintext's size and SHA-256. */
export async function encryptToFile(sodium: Sodium, recipients: readonly Recipient[], source: ByteSource, out: FileHandle): Promise<PlaintextSummary> {
  const start = beginEncryption(sodium, recipients);
  const digest = createHash('sha256');
  let at = 0;
  const put = async (bytes: Uint8Array): Promise<void> => {
    await out.write(bytes, 0, bytes.length, at);
    at += bytes.length;
  };
  try {
    await put(start.prefix);
    const count = chunkCountFor(source.size);
    for (let index = 0; index < count; index++) {
      const offset = index * CHUNK_SIZE;
      const plaintext = await source.read(offset, Math.min(CHUNK_SIZE, source.size - offset));
      digest.update(plaintext);
      await put(encryptChunk(sodium, start.payloadKey, index, plaintext, index === count - 1));
    }
  } finally {
    sodium.memzero(start.payloadKey);
  }
  return { size: source.size, sha256: digest.digest('hex') };
}

/** Decrypts the age file `input` (of `size` bytes) chunk by chunk into `write`; authentication failures throw. */
export async function decryptFromFile(sodium: Sodium, identities: readonly Identity[], input: FileHandle, size: number, write: (plaintext: Uint8Array) => Promise<void>): Promise<PlaintextSummary> {
  const head = new Uint8Array(Math.min(HEADER_PROBE, size));
  await input.read(head, 0, head.length, 0);
  const opened = openHeader(sodium, head, identities);
  const digest = createHash('sha256');
  let plaintextSize = 0;
  try {
    for (let index = 0, offset = opened.payloadStart; offset < size || index === 0; index++) {
      const length = Math.min(ENCRYPTED_CHUNK_SIZE, size - offset);
      const chunk = new Uint8Array(length);
      await input.read(chunk, 0, length, offset);
      offset += length;
      const plaintext = decryptChunk(sodium, opened.payloadKey, index, chunk, offset >= size);
      digest.update(plaintext);
      plaintextSize += plaintext.length;
      await write(plaintext);
    }
  } finally {
    sodium.memzero(opened.payloadKey);
  }
  return { size: plaintextSize, sha256: digest.digest('hex') };
}
