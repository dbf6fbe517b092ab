// Decryption: parse the header, unwrap the file key with the caller's identities, check the header MAC,
// derive the payload key. Then either stream the payload front to back (releasing each chunk only once
// it authenticates) or, for random access, decrypt chunk i alone given the file's length.

import { HeaderMacError, MalformedHeaderError, NoIdentityMatchError, PayloadFormatError, TruncatedError } from './errors.js';
import { concat, parseHeader, type ParsedHeader } from './header.js';
import { hkdfSha256, hmacSha256 } from './hkdf.js';
import type { Identity } from './recipient.js';
import type { Sodium } from './sodium.js';
import { ENCRYPTED_CHUNK_SIZE, NONCE_SIZE, decryptChunk, payloadKey } from './stream.js';

export interface OpenedFile {
  readonly header: ParsedHeader;
  /** Where the first payload chunk starts: header length + 16-byte nonce. */
  readonly payloadStart: number;
  /** Wipe with sodium.memzero when done. */
  readonly payloadKey: Uint8Array;
}

/**
 * Opens the header at the start of `bytes` (which must reach at least past the payload nonce).
 * Errors, in the order checked: MalformedHeaderError / TruncatedError, NoIdentityMatchError, HeaderMacError.
 */
export function openHeader(sodium: Sodium, bytes: Uint8Array, identities: readonly Identity[]): OpenedFile {
  const header = parseHeader(bytes);
  if (header.stanzas.some((stanza) => stanza.type === 'scrypt') && header.stanzas.length !== 1) {
    throw new MalformedHeaderError('an scrypt stanza must be the only stanza in the header');
  }
  const fileKey = unwrapFileKey(header, identities);
  const macKey = hkdfSha256(sodium, fileKey, new Uint8Array(0), 'header', 32);
  const mac = hmacSha256(sodium, macKey, header.macInput);
  sodium.memzero(macKey);
  if (!sodium.memcmp(mac, header.mac)) {
    sodium.memzero(fileKey);
    throw new HeaderMacError();
  }
  if (bytes.length < header.length + NONCE_SIZE) {
    sodium.memzero(fileKey);
    throw new TruncatedError('the 16-byte payload nonce after the header is missing or short');
  }
  const key = payloadKey(sodium, fileKey, bytes.subarray(header.length, header.length + NONCE_SIZE));
  sodium.memzero(fileKey);
  return { header, payloadStart: header.length + NONCE_SIZE, payloadKey: key };
}

function unwrapFileKey(header: ParsedHeader, identities: readonly Identity[]): Uint8Array {
  for (const identity of identities) {
    for (const stanza of header.stanzas) {
      const fileKey = identity.unwrap(stanza);
      if (fileKey !== null) return fileKey;
    }
  }
  throw new NoIdentityMatchError();
}

/**
 * Decrypts a payload front to back, yielding each chunk's plaintext once it authenticates. The final
 * chunk is recognised as the reference implementation does: a short chunk is final; a full chunk is
 * final when it authenticates only with the final flag. Trailing data after it is an error.
 */
export function* decryptPayload(sodium: Sodium, key: Uint8Array, payload: Uint8Array): Generator<Uint8Array> {
  if (payload.length === 0) throw new PayloadFormatError('the payload has no chunk at all');
  for (let index = 0, offset = 0; ; index++) {
    if (offset >= payload.length) throw new TruncatedError(`the payload ends after chunk ${index - 1}, which is not marked final`);
    const chunk = payload.subarray(offset, offset + ENCRYPTED_CHUNK_SIZE);
    offset += chunk.length;
    let last = chunk.length < ENCRYPTED_CHUNK_SIZE;
    let plaintext: Uint8Array;
    if (last) {
      plaintext = decryptChunk(sodium, key, index, chunk, true);
    } else {
      try {
        plaintext = decryptChunk(sodium, key, index, chunk, false);
      } catch (error) {
        plaintext = decryptChunkOr(sodium, key, index, chunk, error);
        last = true;
      }
    }
    if (last && plaintext.length === 0 && index > 0) throw new PayloadFormatError(`the final chunk (${index}) is empty, which only an empty payload may have`);
    // The final chunk authenticated, so its plaintext is genuine and released; what follows is the error.
    yield plaintext;
    if (last && offset < payload.length) throw new PayloadFormatError(`${payload.length - offset} bytes of trailing data follow the final chunk (${index})`);
    if (last) return;
  }
}

function decryptChunkOr(sodium: Sodium, key: Uint8Array, index: number, chunk: Uint8Array, original: unknown): Uint8Array {
  try {
    return decryptChunk(sodium, key, index, chunk, true);
  } catch {
    throw original;
  }
}

/** Decrypts a whole age file in memory. */
export function decrypt(sodium: Sodium, file: Uint8Array, identities: readonly Identity[]): Uint8Array {
  const opened = openHeader(sodium, file, identities);
  const parts: Uint8Array[] = [];
  try {
    for (const part of decryptPayload(sodium, opened.payloadKey, file.subarray(opened.payloadStart))) parts.push(part);
  } finally {
    sodium.memzero(opened.payloadKey);
  }
  return concat(parts);
}
