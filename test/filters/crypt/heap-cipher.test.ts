// The low-level chunk cipher (libsodium's raw exports over one heap region) and the worker pool built on
// it: byte-for-byte the same STREAM chunks as the wrapper API, for every length and pass boundary, and a
// damaged chunk fails by its index without its plaintext.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CHUNK_SIZE, ChunkAuthenticationError, ENCRYPTED_CHUNK_SIZE, concat, decryptChunk, encryptChunk, loadSodium, type Sodium,
} from '../../../main/age/index.js';
import { CryptoPool } from '../../../filters/crypt/crypto-pool.js';
import { HEAP_BATCH_CHUNKS, HeapChunkCipher } from '../../../filters/crypt/heap-cipher.js';
import { bytes } from './crypt-rig.js';

/** The wrapper API's ciphertext of `plaintext` as chunks first…, the reference. */
function reference(sodium: Sodium, key: Uint8Array, first: number, plaintext: Uint8Array, endsFile: boolean): Uint8Array {
  const count = Math.max(1, Math.ceil(plaintext.length / CHUNK_SIZE));
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) parts.push(encryptChunk(sodium, key, first + i, plaintext.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), endsFile && i === count - 1));
  return concat(parts);
}

let sodium: Sodium;
let cipher: HeapChunkCipher;
let pool: CryptoPool;
before(async () => {
  sodium = await loadSodium();
  cipher = new HeapChunkCipher(sodium);
  pool = await CryptoPool.create(2);
});
after(async () => {
  cipher.dispose();
  await pool.close();
});

describe('crypt: low-level chunk cipher', () => {
  const lengths = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 77, HEAP_BATCH_CHUNKS * CHUNK_SIZE, (HEAP_BATCH_CHUNKS + 1) * CHUNK_SIZE + 5, 2 * HEAP_BATCH_CHUNKS * CHUNK_SIZE];
  for (const length of lengths) {
    it(`${length} bytes encrypt exactly as the wrapper API does, and decrypt back`, () => {
      const key = sodium.randombytes_buf(32);
      const plaintext = bytes(length, length + 1);
      for (const [first, endsFile] of [[0, true], [1000, false], [2 ** 40, true]] as const) {
        const out = new Uint8Array(CryptoPool.ciphertextLength(length));
        cipher.encrypt(key, first, plaintext, endsFile, out);
        assert.deepEqual(out, reference(sodium, key, first, plaintext, endsFile));
        const back = new Uint8Array(length);
        cipher.decrypt(key, first, out, endsFile, back);
        assert.deepEqual(back, plaintext);
      }
    });
  }

  it('a damaged chunk fails by its index (also past the first pass), and no plaintext of its pass comes out', () => {
    const key = sodium.randombytes_buf(32);
    const plaintext = bytes((HEAP_BATCH_CHUNKS + 4) * CHUNK_SIZE, 9);
    const ciphertext = reference(sodium, key, 0, plaintext, true);
    for (const index of [0, 5, HEAP_BATCH_CHUNKS + 2]) {
      const damaged = ciphertext.slice();
      damaged[index * ENCRYPTED_CHUNK_SIZE + 100]! ^= 1;
      const out = new Uint8Array(plaintext.length);
      assert.throws(() => cipher.decrypt(key, 0, damaged, true, out), (error) => error instanceof ChunkAuthenticationError && error.chunkIndex === index);
      const passStart = Math.floor(index / HEAP_BATCH_CHUNKS) * HEAP_BATCH_CHUNKS * CHUNK_SIZE;
      assert.ok(out.subarray(passStart).every((byte) => byte === 0), 'nothing of the failing pass was copied out');
    }
  });

  it('the final-chunk flag and the position are authenticated', () => {
    const key = sodium.randombytes_buf(32);
    const ciphertext = reference(sodium, key, 3, bytes(2 * CHUNK_SIZE, 2), true);
    const out = new Uint8Array(2 * CHUNK_SIZE);
    assert.throws(() => cipher.decrypt(key, 3, ciphertext, false, out), ChunkAuthenticationError);
    assert.throws(() => cipher.decrypt(key, 4, ciphertext, true, out), ChunkAuthenticationError);
  });
});

describe('crypt: worker pool', () => {
  it('encrypts and decrypts across the workers, with shared and unshared buffers alike', async () => {
    const key = sodium.randombytes_buf(32);
    const plaintext = bytes(70 * CHUNK_SIZE + 12345, 5);
    const expected = reference(sodium, key, 7, plaintext, true);
    for (const shared of [false, true]) {
      const out = shared ? pool.slabs.acquire(expected.length) : new Uint8Array(expected.length);
      await pool.encrypt(key, 7, shared ? Uint8Array.from(plaintext) : plaintext, true, out);
      assert.deepEqual(new Uint8Array(out), expected);
      const back = shared ? pool.slabs.acquire(plaintext.length) : new Uint8Array(plaintext.length);
      await pool.decrypt(key, 7, out, true, back);
      assert.deepEqual(new Uint8Array(back), plaintext);
    }
    assert.deepEqual(decryptChunk(sodium, key, 7, expected.subarray(0, ENCRYPTED_CHUNK_SIZE), false), plaintext.subarray(0, CHUNK_SIZE));
  });

  it('a damaged chunk rejects with ChunkAuthenticationError naming it, once every worker is done', async () => {
    const key = sodium.randombytes_buf(32);
    const plaintext = bytes(40 * CHUNK_SIZE, 6);
    const ciphertext = reference(sodium, key, 0, plaintext, true);
    ciphertext[33 * ENCRYPTED_CHUNK_SIZE + 1]! ^= 0x80;
    await assert.rejects(pool.decrypt(key, 0, ciphertext, true, new Uint8Array(plaintext.length)), (error) => error instanceof ChunkAuthenticationError && error.chunkIndex === 33);
  });

  it('refuses a target of the wrong length', async () => {
    await assert.rejects(pool.encrypt(new Uint8Array(32), 0, new Uint8Array(10), true, new Uint8Array(10)), /target/);
  });
});
