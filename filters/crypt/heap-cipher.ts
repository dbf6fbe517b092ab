// STREAM chunk crypto at libsodium's lowest level: one persistent region in libsodium's WebAssembly heap,
// a whole batch copied in at once, ChaCha20-Poly1305 (IETF) run per chunk in the heap by pointer, the
// batch copied out at once. Same library and same libsodium code path as the wrapper API, without the
// wrapper's malloc, free and two copies per chunk. One instance per thread (it owns heap memory).

import { CHUNK_SIZE, ChunkAuthenticationError, ENCRYPTED_CHUNK_SIZE, TAG_SIZE, type Sodium } from '../../main/age/index.js';

/** The raw Emscripten module behind libsodium-wrappers (its `libsodium` export). */
interface LibsodiumModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  // 64-bit lengths are passed as (low, high) 32-bit halves.
  _crypto_aead_chacha20poly1305_ietf_encrypt(c: number, clenP: number, m: number, mlenLo: number, mlenHi: number, ad: number, adlenLo: number, adlenHi: number, nsec: number, npub: number, k: number): number;
  _crypto_aead_chacha20poly1305_ietf_decrypt_detached(m: number, nsec: number, c: number, clenLo: number, clenHi: number, mac: number, ad: number, adlenLo: number, adlenHi: number, npub: number, k: number): number;
}

/** Chunks per pass through the heap region (a longer run is done in several passes). */
export const HEAP_BATCH_CHUNKS = 32;

const KEY_SIZE = 32;
const NONCE_LENGTH = 12;

export class HeapChunkCipher {
  private readonly lib: LibsodiumModule;
  private readonly input: number;
  private readonly output: number;
  private readonly key: number;
  private readonly nonce: number;

  constructor(sodium: Sodium) {
    this.lib = (sodium as unknown as { libsodium: LibsodiumModule }).libsodium;
    const region = HEAP_BATCH_CHUNKS * ENCRYPTED_CHUNK_SIZE;
    this.input = this.lib._malloc(region);
    this.output = this.lib._malloc(region);
    this.key = this.lib._malloc(KEY_SIZE);
    this.nonce = this.lib._malloc(NONCE_LENGTH);
    if (this.input === 0 || this.output === 0 || this.key === 0 || this.nonce === 0) throw new Error('libsodium: out of heap memory for the chunk region');
  }

  /**
   * Encrypts `plaintext` (whole 64 KiB chunks; only the file's final chunk may be short) as chunks
   * firstIndex… into `out`, which must hold plaintext.length + TAG_SIZE per chunk.
   */
  encrypt(key: Uint8Array, firstIndex: number, plaintext: Uint8Array, endsFile: boolean, out: Uint8Array): void {
    const count = Math.max(1, Math.ceil(plaintext.length / CHUNK_SIZE));
    this.withKey(key, () => {
      for (let pass = 0; pass < count; pass += HEAP_BATCH_CHUNKS) {
        const passCount = Math.min(HEAP_BATCH_CHUNKS, count - pass);
        const from = pass * CHUNK_SIZE;
        const to = Math.min(plaintext.length, from + passCount * CHUNK_SIZE);
        this.lib.HEAPU8.set(plaintext.subarray(from, to), this.input);
        for (let i = 0; i < passCount; i++) {
          const length = Math.min(CHUNK_SIZE, to - from - i * CHUNK_SIZE);
          const index = firstIndex + pass + i;
          this.setNonce(index, endsFile && pass + i === count - 1);
          this.lib._crypto_aead_chacha20poly1305_ietf_encrypt(this.output + i * ENCRYPTED_CHUNK_SIZE, 0, this.input + i * CHUNK_SIZE, length, 0, 0, 0, 0, 0, this.nonce, this.key);
        }
        const produced = to - from + passCount * TAG_SIZE;
        out.set(this.lib.HEAPU8.subarray(this.output, this.output + produced), pass * ENCRYPTED_CHUNK_SIZE);
      }
    });
  }

  /**
   * Decrypts `ciphertext` (whole encrypted chunks; only the file's final chunk may be short) as chunks
   * firstIndex… into `out`. Throws ChunkAuthenticationError naming the first chunk that fails; nothing of
   * that pass is copied out (libsodium checks the tag before it decrypts).
   */
  decrypt(key: Uint8Array, firstIndex: number, ciphertext: Uint8Array, endsFile: boolean, out: Uint8Array): void {
    const count = Math.max(1, Math.ceil(ciphertext.length / ENCRYPTED_CHUNK_SIZE));
    this.withKey(key, () => {
      for (let pass = 0; pass < count; pass += HEAP_BATCH_CHUNKS) {
        const passCount = Math.min(HEAP_BATCH_CHUNKS, count - pass);
        const from = pass * ENCRYPTED_CHUNK_SIZE;
        const to = Math.min(ciphertext.length, from + passCount * ENCRYPTED_CHUNK_SIZE);
        this.lib.HEAPU8.set(ciphertext.subarray(from, to), this.input);
        for (let i = 0; i < passCount; i++) {
          const index = firstIndex + pass + i;
          const length = Math.min(ENCRYPTED_CHUNK_SIZE, to - from - i * ENCRYPTED_CHUNK_SIZE);
          if (length < TAG_SIZE) throw new ChunkAuthenticationError(index, 'it is shorter than its 16-byte tag');
          const at = this.input + i * ENCRYPTED_CHUNK_SIZE;
          this.setNonce(index, endsFile && pass + i === count - 1);
          const status = this.lib._crypto_aead_chacha20poly1305_ietf_decrypt_detached(
            this.output + i * CHUNK_SIZE, 0, at, length - TAG_SIZE, 0, at + length - TAG_SIZE, 0, 0, 0, this.nonce, this.key,
          );
          if (status !== 0) {
            this.wipe(this.output, passCount * CHUNK_SIZE);
            throw new ChunkAuthenticationError(index);
          }
        }
        const produced = to - from - passCount * TAG_SIZE;
        out.set(this.lib.HEAPU8.subarray(this.output, this.output + produced), pass * CHUNK_SIZE);
      }
    });
  }

  /** Gives the heap region back (the instance is unusable afterwards). */
  dispose(): void {
    this.wipe(this.key, KEY_SIZE);
    for (const pointer of [this.input, this.output, this.key, this.nonce]) this.lib._free(pointer);
  }

  /** The key sits in the heap only while `work` runs. */
  private withKey(key: Uint8Array, work: () => void): void {
    if (key.length !== KEY_SIZE) throw new Error('chunk key must be 32 bytes');
    this.lib.HEAPU8.set(key, this.key);
    try {
      work();
    } finally {
      this.wipe(this.key, KEY_SIZE);
    }
  }

  private wipe(pointer: number, length: number): void {
    this.lib.HEAPU8.fill(0, pointer, pointer + length);
  }

  /** age's STREAM nonce: the chunk index as an 11-byte big-endian counter, then the final-chunk flag. */
  private setNonce(index: number, last: boolean): void {
    const heap = this.lib.HEAPU8;
    let value = index;
    for (let i = NONCE_LENGTH - 2; i >= 0; i--) {
      heap[this.nonce + i] = value % 256;
      value = Math.floor(value / 256);
    }
    heap[this.nonce + NONCE_LENGTH - 1] = last ? 1 : 0;
  }
}
