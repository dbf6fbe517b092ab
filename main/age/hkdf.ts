// HMAC-SHA256 and HKDF-SHA256 (RFC 5869) on libsodium's HMAC, which accepts keys of any length (an empty
// salt is the RFC's string of zeros: HMAC pads the key with zeros either way).

import type { Sodium } from './sodium.js';

export function hmacSha256(sodium: Sodium, key: Uint8Array, message: Uint8Array): Uint8Array {
  const state = sodium.crypto_auth_hmacsha256_init(key);
  sodium.crypto_auth_hmacsha256_update(state, message);
  return sodium.crypto_auth_hmacsha256_final(state);
}

export function hkdfSha256(sodium: Sodium, ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array {
  const prk = hmacSha256(sodium, salt, ikm);
  const infoBytes = new TextEncoder().encode(info);
  const out = new Uint8Array(length);
  let previous = new Uint8Array(0);
  for (let i = 0, offset = 0; offset < length; i++) {
    const input = new Uint8Array(previous.length + infoBytes.length + 1);
    input.set(previous, 0);
    input.set(infoBytes, previous.length);
    input[input.length - 1] = i + 1;
    previous = hmacSha256(sodium, prk, input) as Uint8Array<ArrayBuffer>;
    out.set(previous.subarray(0, Math.min(32, length - offset)), offset);
    offset += 32;
  }
  sodium.memzero(prk);
  return out;
}
