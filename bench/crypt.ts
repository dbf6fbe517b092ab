// bench/crypt: throughput of the encryption filter. A 256 MiB file (BENCH_MB) is written and read through
// the full filter stack on a local volume, and every figure is set against baselines measured in the same
// run: one thread of libsodium ChaCha20-Poly1305 over 64 KiB chunks through the wrapper API (sodium_raw_mb_s,
// the baseline) and the same at libsodium's lowest level as the workers use it (sodium_raw_heap_mb_s),
// that on every core at once with nothing else (sodium_all_cores_mb_s: the ceiling of any design built on
// libsodium here), a plain copy through the unfiltered stack, and the crypt filter with its crypto inline
// (no worker threads).
// Where FUSE and Debian's gocryptfs are present, the same file goes through a gocryptfs mount too.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { CHUNK_SIZE, X25519Identity, chunkNonce, loadSodium, type Sodium } from '../main/age/index.js';
import { openFolderStack, type FolderStack } from '../main/agent/folder-stack.js';
import { FILE_OPEN, FILE_OVERWRITE_IF, NT_SUCCESS, STATUS_END_OF_FILE } from '../main/io/index.js';
import { CryptoPool } from '../filters/crypt/crypto-pool.js';
import { HeapChunkCipher } from '../filters/crypt/heap-cipher.js';
import { registerCryptFilter } from '../filters/crypt/index.js';
import { KeyRing } from '../filters/crypt/key-ring.js';

const MB = 1 << 20;
const SIZE = Number(process.env.BENCH_MB ?? 256) * MB;
const IO_SIZE = 4 * MB;

function emit(metric: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ metric, value: Math.round(value * 100) / 100, unit })}\n`);
}

function mbPerSecond(bytes: number, started: bigint): number {
  return bytes / MB / (Number(process.hrtime.bigint() - started) / 1e9);
}

function rawSodium(sodium: Sodium, data: Uint8Array): number {
  const key = sodium.randombytes_buf(32);
  const started = process.hrtime.bigint();
  for (let i = 0; i * CHUNK_SIZE < data.length; i++) {
    sodium.crypto_aead_chacha20poly1305_ietf_encrypt(data.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), null, null, chunkNonce(i, false), key);
  }
  return mbPerSecond(data.length, started);
}

/** The same work as rawSodium at libsodium's lowest level (heap-cipher.ts): 4 MiB batches in and out of the heap. */
function rawHeapSodium(sodium: Sodium, data: Uint8Array): number {
  const cipher = new HeapChunkCipher(sodium);
  const key = sodium.randombytes_buf(32);
  const batch = 64 * CHUNK_SIZE;
  const out = new Uint8Array(CryptoPool.ciphertextLength(batch));
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < data.length; offset += batch) {
    const plaintext = data.subarray(offset, offset + batch);
    cipher.encrypt(key, offset / CHUNK_SIZE, plaintext, false, out.subarray(0, CryptoPool.ciphertextLength(plaintext.length)));
  }
  const speed = mbPerSecond(data.length, started);
  cipher.dispose();
  return speed;
}

/** rawHeapSodium on every core at once (bench/cipher-thread.ts): the most libsodium does on this machine. */
async function allCoresSodium(threads: number, bytesPerThread: number): Promise<number> {
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./cipher-thread.js', import.meta.url)));
  const next = (worker: Worker) => new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  try {
    await Promise.all(workers.map(next));
    const started = process.hrtime.bigint();
    await Promise.all(workers.map((worker) => {
      const done = next(worker);
      worker.postMessage({ bytes: bytesPerThread });
      return done;
    }));
    return mbPerSecond(threads * bytesPerThread, started);
  } finally {
    for (const worker of workers) worker.postMessage({ exit: true });
  }
}

async function writeThrough(stack: FolderStack, data: Uint8Array): Promise<number> {
  const started = process.hrtime.bigint();
  const opened = await stack.api.createFile(stack.pathOf('bench.bin'), { disposition: FILE_OVERWRITE_IF });
  if (!NT_SUCCESS(opened.status)) throw new Error(`bench: create failed (${opened.status})`);
  for (let offset = 0; offset < data.length; offset += IO_SIZE) {
    const written = await stack.api.write(opened.handle!, data.subarray(offset, offset + IO_SIZE), offset);
    if (!NT_SUCCESS(written.status)) throw new Error(`bench: write failed (${written.status})`);
  }
  await stack.api.flush(opened.handle!);
  const closed = await stack.api.close(opened.handle!);
  if (!NT_SUCCESS(closed.status)) throw new Error(`bench: save failed (${closed.status})`);
  return mbPerSecond(data.length, started);
}

async function readThrough(stack: FolderStack, expected: number): Promise<number> {
  const started = process.hrtime.bigint();
  const opened = await stack.api.createFile(stack.pathOf('bench.bin'), { disposition: FILE_OPEN });
  const buffer = new Uint8Array(IO_SIZE);
  let total = 0;
  for (;;) {
    const result = await stack.api.read(opened.handle!, IO_SIZE, total, buffer);
    if (result.status === STATUS_END_OF_FILE) break;
    if (!NT_SUCCESS(result.status)) throw new Error(`bench: read failed (${result.status})`);
    total += result.information;
  }
  await stack.api.close(opened.handle!);
  if (total !== expected) throw new Error(`bench: read ${total} bytes, expected ${expected}`);
  return mbPerSecond(total, started);
}

async function throughStack(folder: string, data: Uint8Array, crypt: { sodium: Sodium; threads: number } | null): Promise<{ write: number; read: number }> {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const pool = crypt === null ? null : await CryptoPool.create(crypt.threads);
  const stack = await openFolderStack(folder, {
    setup: (manager) => {
      if (crypt === null || pool === null) return;
      const identity = X25519Identity.generate(crypt.sodium);
      const keyRing = new KeyRing(identity.recipient());
      keyRing.unlock(identity);
      registerCryptFilter(manager, { sodium: crypt.sodium, keyRing, pool });
    },
  });
  try {
    const write = await writeThrough(stack, data);
    const read = await readThrough(stack, data.length);
    return { write, read };
  } finally {
    await stack.close();
    await pool?.close();
  }
}

/** The same file through a gocryptfs mount, when the Debian package and FUSE are there; null otherwise. */
async function gocryptfs(root: string, data: Uint8Array): Promise<{ write: number; read: number } | null> {
  if (spawnSync('gocryptfs', ['-version']).status !== 0 || !existsSync('/dev/fuse')) return null;
  const cipher = join(root, 'gocryptfs-cipher');
  const plain = join(root, 'gocryptfs-plain');
  const passfile = join(root, 'gocryptfs-pass');
  await mkdir(cipher);
  await mkdir(plain);
  await writeFile(passfile, 'bench passphrase\n');
  try {
    execFileSync('gocryptfs', ['-init', '-q', '-passfile', passfile, '-scryptn', '10', cipher]);
    execFileSync('gocryptfs', ['-q', '-passfile', passfile, cipher, plain]);
  } catch {
    return null;
  }
  try {
    let started = process.hrtime.bigint();
    await writeFile(join(plain, 'bench.bin'), data, { flush: true });
    const write = mbPerSecond(data.length, started);
    // Remount so the read comes through gocryptfs, not the kernel's page cache of the plaintext.
    execFileSync('fusermount', ['-u', plain]);
    execFileSync('gocryptfs', ['-q', '-passfile', passfile, cipher, plain]);
    started = process.hrtime.bigint();
    const back = await readFile(join(plain, 'bench.bin'));
    const read = mbPerSecond(back.length, started);
    return { write, read };
  } finally {
    spawnSync('fusermount', ['-u', plain]);
  }
}

const sodium = await loadSodium();
const root = await mkdtemp(join(tmpdir(), 'strata-bench-crypt-'));
try {
  // node:crypto for the test data: libsodium's randombytes_buf takes a minute for 16 MiB in WebAssembly.
  const data = new Uint8Array(randomBytes(SIZE));
  const raw = rawSodium(sodium, data);
  emit('sodium_raw_mb_s', raw, 'MB/s');
  const rawHeap = rawHeapSodium(sodium, data);
  emit('sodium_raw_heap_mb_s', rawHeap, 'MB/s');
  const threads = availableParallelism();
  const allCores = await allCoresSodium(threads, SIZE / threads);
  emit('sodium_all_cores_mb_s', allCores, 'MB/s');
  const plain = await throughStack(join(root, 'plain'), data, null);
  emit('plain_write_mb_s', plain.write, 'MB/s');
  emit('plain_read_mb_s', plain.read, 'MB/s');
  const inline = await throughStack(join(root, 'inline'), data, { sodium, threads: 0 });
  emit('crypt_write_mb_s_inline', inline.write, 'MB/s');
  emit('crypt_read_mb_s_inline', inline.read, 'MB/s');
  const pooled = await throughStack(join(root, 'pooled'), data, { sodium, threads });
  emit('crypt_workers', threads, 'threads');
  emit('crypt_write_mb_s', pooled.write, 'MB/s');
  emit('crypt_read_mb_s', pooled.read, 'MB/s');
  emit('crypt_write_vs_raw', pooled.write / raw, 'ratio');
  emit('crypt_read_vs_raw', pooled.read / raw, 'ratio');
  emit('crypt_write_vs_raw_heap', pooled.write / rawHeap, 'ratio');
  emit('crypt_read_vs_raw_heap', pooled.read / rawHeap, 'ratio');
  emit('crypt_write_vs_all_cores', pooled.write / allCores, 'ratio');
  emit('crypt_read_vs_all_cores', pooled.read / allCores, 'ratio');
  emit('crypt_write_vs_plain_copy', pooled.write / plain.write, 'ratio');
  emit('crypt_read_vs_plain_copy', pooled.read / plain.read, 'ratio');
  emit('worker_speedup_write', pooled.write / inline.write, 'ratio');
  emit('worker_speedup_read', pooled.read / inline.read, 'ratio');
  const peer = await gocryptfs(root, data);
  if (peer !== null) {
    emit('gocryptfs_write_mb_s', peer.write, 'MB/s');
    emit('gocryptfs_read_mb_s', peer.read, 'MB/s');
    emit('crypt_write_vs_gocryptfs', pooled.write / peer.write, 'ratio');
    emit('crypt_read_vs_gocryptfs', pooled.read / peer.read, 'ratio');
    // Above 1, no design on libsodium could keep up with gocryptfs in this run, however little else it did.
    emit('gocryptfs_read_vs_all_cores', peer.read / allCores, 'ratio');
    emit('gocryptfs_write_vs_all_cores', peer.write / allCores, 'ratio');
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
