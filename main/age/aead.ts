// ChaCha20-Poly1305 (IETF) with the all-zero nonce age uses to wrap a file key under a one-time key.

import type { Sodium } from './sodium.js';

const ZERO_NONCE = new Uint8Array(12);

export function sealFileKey(sodium: Sodium, key: Uint8Array, fileKey: Uint8Array): Uint8Array {
  return sodium.crypto_aead_chacha20poly1305_ietf_encrypt(fileKey, null, null, ZERO_NONCE, key);
}

/** The file key, or null when the body does not authenticate under `key` (another recipient's stanza). */
export function openFileKey(sodium: Sodium, key: Uint8Array, body: Uint8Array): Uint8Array | null {
  try {
    return sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, body, null, ZERO_NONCE, key);
  } catch {
    return null;
  }
}
