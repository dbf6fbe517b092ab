// A bench thread for bench/crypt: the workers' own cipher work (heap-cipher.ts, 4 MiB batches copied in and
// out of libsodium's heap) with nothing else: no messages per batch, no I/O, no filter. Run on every core
// at once, it measures what libsodium can do on this machine when all cores work: the ceiling of any
// design built on it. Says {ready} once warm, then on {bytes} encrypts that many and says {done}.

import { parentPort } from 'node:worker_threads';
import { loadSodium } from '../main/age/index.js';
import { CryptoPool } from '../filters/crypt/crypto-pool.js';
import { HeapChunkCipher } from '../filters/crypt/heap-cipher.js';

const BATCH = 4 << 20;
const sodium = await loadSodium();
const cipher = new HeapChunkCipher(sodium);
const key = sodium.randombytes_buf(32);
const plaintext = new Uint8Array(BATCH).fill(7);
const out = new Uint8Array(CryptoPool.ciphertextLength(BATCH));

function encrypt(bytes: number): void {
  for (let done = 0; done < bytes; done += BATCH) cipher.encrypt(key, done / (64 << 10), plaintext, false, out);
}

// WebAssembly tiers up after a while: warm the cipher before the timed part.
encrypt(32 << 20);
parentPort!.postMessage({ ready: true });
parentPort!.on('message', (message: { bytes: number } | { exit: true }) => {
  if ('exit' in message) {
    cipher.dispose();
    parentPort!.close();
    return;
  }
  encrypt(message.bytes);
  parentPort!.postMessage({ done: true });
});
