// Encryption: a fresh random file key wrapped to each recipient, the header MAC'd under it, a fresh
// payload nonce, then STREAM chunks. `beginEncryption` gives the header and payload key for callers that
// stream chunks themselves (the crypt filter, in worker threads); `encrypt` does a whole buffer.

import { AgeError } from './errors.js';
import { concat, encodeHeader, encodeHeaderWithoutMac, type Stanza } from './header.js';
import { hkdfSha256, hmacSha256 } from './hkdf.js';
import { FILE_KEY_LENGTH, type Recipient } from './recipient.js';
import type { Sodium } from './sodium.js';
import { CHUNK_SIZE, NONCE_SIZE, chunkCountFor, encryptChunk, payloadKey } from './stream.js';

export interface EncryptionStart {
  /** The header followed by the 16-byte payload nonce: the file's first bytes. */
  readonly prefix: Uint8Array;
  /** Wipe with sodium.memzero when done. */
  readonly payloadKey: Uint8Array;
}

export function beginEncryption(sodium: Sodium, recipients: readonly Recipient[]): EncryptionStart {
  if (recipients.length === 0) throw new AgeError('no recipients given');
  if (recipients.length > 1 && recipients.some((recipient) => recipient.mustBeAlone)) {
    throw new AgeError('a passphrase (scrypt) recipient cannot be combined with other recipients');
  }
  const fileKey = sodium.randombytes_buf(FILE_KEY_LENGTH);
  const stanzas: Stanza[] = recipients.flatMap((recipient) => recipient.wrap(fileKey));
  const withoutMac = encodeHeaderWithoutMac(stanzas);
  const macKey = hkdfSha256(sodium, fileKey, new Uint8Array(0), 'header', 32);
  const header = encodeHeader(withoutMac, hmacSha256(sodium, macKey, withoutMac));
  const nonce = sodium.randombytes_buf(NONCE_SIZE);
  const key = payloadKey(sodium, fileKey, nonce);
  sodium.memzero(macKey);
  sodium.memzero(fileKey);
  return { prefix: concat([header, nonce]), payloadKey: key };
}

/** Encrypts `plaintext` completely. */
export function encrypt(sodium: Sodium, recipients: readonly Recipient[], plaintext: Uint8Array): Uint8Array {
  const start = beginEncryption(sodium, recipients);
  const parts = [start.prefix];
  const count = chunkCountFor(plaintext.length);
  for (let i = 0; i < count; i++) {
    parts.push(encryptChunk(sodium, start.payloadKey, i, plaintext.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), i === count - 1));
  }
  sodium.memzero(start.payloadKey);
  return concat(parts);
}
