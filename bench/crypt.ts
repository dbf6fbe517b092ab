// bench/crypt: throughput of the encryption filter. A 256 MiB file (BENCH_MB) is written and read through
// the full filter stack on a local volume, and every figure is set against baselines measured in the same
// run: one thread of libsodium ChaCha20-Poly1305 over 64 KiB chunks through the wrapper API (sodium_raw_mb_s,
// the baseline) and the same at libsodium's lowest level as the workers use it (sodium_raw_heap_mb_s),
// that on every core at once with nothing else (sodium_all_cores_mb_s: the ceiling of any design built on
// libsodium here), a plain copy through the unfiltered stack, and the crypt filter with its crypto inline
// (no worker threads).
// Where FUSE and Debian's gocryptfs are present, the same file goes through a gocryptfs mount too, in the
// same pieces (4 MiB writes, a flush, the close; 4 MiB reads into one reused buffer).
// Every figure is measured in each of BENCH_ROUNDS rounds (5): one line per figure per round ({round}), then
// the medians ({median_of_rounds}); a ratio's median is the median of its rounds' ratios.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
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
import { emit, median } from './report.js';

const MB = 1 << 20;
const SIZE = Number(process.env.BENCH_MB ?? 256) * MB;
const IO_SIZE = 4 * MB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

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

/** writeThrough() on a host path: the same IO_SIZE writes, then a flush to the disk and the close. */
async function writeInPieces(path: string, data: Uint8Array): Promise<number> {
  const started = process.hrtime.bigint();
  const file = await open(path, 'w');
  try {
    for (let offset = 0; offset < data.length; offset += IO_SIZE) await file.write(data, offset, Math.min(IO_SIZE, data.length - offset), offset);
    await file.sync();
  } finally {
    await file.close();
  }
  return mbPerSecond(data.length, started);
}

/**
 * readThrough() on a host path: IO_SIZE reads into one buffer, reused. (fs.readFile, used here before the
 * tenth session, reads in 512 KiB pieces into a fresh buffer of the whole file: it held gocryptfs's
 * reads to about 0.7-0.8 of what the same mount gives to the reads Strata is measured with.)
 */
async function readInPieces(path: string, expected: number): Promise<number> {
  const started = process.hrtime.bigint();
  const file = await open(path, 'r');
  const buffer = new Uint8Array(IO_SIZE);
  let total = 0;
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, IO_SIZE, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
  } finally {
    await file.close();
  }
  if (total !== expected) throw new Error(`bench: read ${total} bytes from ${path}, expected ${expected}`);
  return mbPerSecond(total, started);
}

/** The same file through a gocryptfs mount, when the Debian package and FUSE are there; null otherwise. */
async function gocryptfs(root: string, data: Uint8Array): Promise<{ write: number; read: number } | null> {
  if (spawnSync('gocryptfs', ['-version']).status !== 0 || !existsSync('/dev/fuse')) return null;
  const dir = await mkdtemp(join(root, 'gocryptfs-'));
  const cipher = join(dir, 'cipher');
  const plain = join(dir, 'plain');
  const passfile = join(dir, 'pass');
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
    const write = await writeInPieces(join(plain, 'bench.bin'), data);
    // Remount so the read comes through gocryptfs, not the kernel's page cache of the plaintext.
    execFileSync('fusermount', ['-u', plain]);
    execFileSync('gocryptfs', ['-q', '-passfile', passfile, cipher, plain]);
    const read = await readInPieces(join(plain, 'bench.bin'), data.length);
    return { write, read };
  } finally {
    spawnSync('fusermount', ['-u', plain]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every figure of one round, measured back to back: speeds in MB/s and the ratios between them. */
async function measureRound(root: string, data: Uint8Array, threads: number): Promise<Map<string, number>> {
  const figures = new Map<string, number>();
  const raw = rawSodium(sodium, data);
  figures.set('sodium_raw_mb_s', raw);
  const rawHeap = rawHeapSodium(sodium, data);
  figures.set('sodium_raw_heap_mb_s', rawHeap);
  const allCores = await allCoresSodium(threads, data.length / threads);
  figures.set('sodium_all_cores_mb_s', allCores);
  const plain = await throughStack(join(root, 'plain'), data, null);
  figures.set('plain_write_mb_s', plain.write).set('plain_read_mb_s', plain.read);
  const inline = await throughStack(join(root, 'inline'), data, { sodium, threads: 0 });
  figures.set('crypt_write_mb_s_inline', inline.write).set('crypt_read_mb_s_inline', inline.read);
  const pooled = await throughStack(join(root, 'pooled'), data, { sodium, threads });
  figures.set('crypt_write_mb_s', pooled.write).set('crypt_read_mb_s', pooled.read);
  const against = (name: string, baseline: { write: number; read: number } | number) => {
    figures.set(`crypt_write_vs_${name}`, pooled.write / (typeof baseline === 'number' ? baseline : baseline.write));
    figures.set(`crypt_read_vs_${name}`, pooled.read / (typeof baseline === 'number' ? baseline : baseline.read));
  };
  against('raw', raw);
  against('raw_heap', rawHeap);
  against('all_cores', allCores);
  against('plain_copy', plain);
  figures.set('worker_speedup_write', pooled.write / inline.write).set('worker_speedup_read', pooled.read / inline.read);
  const peer = await gocryptfs(root, data);
  if (peer !== null) {
    figures.set('gocryptfs_write_mb_s', peer.write).set('gocryptfs_read_mb_s', peer.read);
    against('gocryptfs', peer);
    // Above 1, no design on libsodium could keep up with gocryptfs in this run, however little else it did.
    figures.set('gocryptfs_read_vs_all_cores', peer.read / allCores).set('gocryptfs_write_vs_all_cores', peer.write / allCores);
  }
  return figures;
}

const unitOf = (metric: string) => (metric.endsWith('_mb_s') || metric.endsWith('_inline') ? 'MB/s' : 'ratio');

const sodium = await loadSodium();
const root = await mkdtemp(join(tmpdir(), 'strata-bench-crypt-'));
try {
  // node:crypto for the test data: libsodium's randombytes_buf takes a minute for 16 MiB in WebAssembly.
  const data = new Uint8Array(randomBytes(SIZE));
  const threads = availableParallelism();
  emit('crypt_workers', threads, 'threads');
  // The host's speed drifts within a run, so every figure is measured in each of several rounds, each ratio is
  // taken within its round (its two sides measured seconds apart), and the medians are reported last.
  const rounds: Map<string, number>[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const figures = await measureRound(root, data, threads);
    for (const [metric, value] of figures) emit(metric, value, unitOf(metric), { round });
    rounds.push(figures);
  }
  for (const metric of rounds[0]!.keys()) {
    emit(metric, median(rounds.map((figures) => figures.get(metric)!)), unitOf(metric), { median_of_rounds: ROUNDS });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
