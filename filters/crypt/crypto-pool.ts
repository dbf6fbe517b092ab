// Bulk chunk crypto on worker threads, one per core, so a large file's encryption does not stall the
// filter's other I/O and both cores work on it. A job is split evenly into one run of chunks per worker;
// source and target travel as views of shared memory (no copy, no transfer), and a caller whose buffers
// are shared pays no copy at all. Small jobs run inline, with the same low-level cipher.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CHUNK_SIZE, ChunkAuthenticationError, ENCRYPTED_CHUNK_SIZE, TAG_SIZE, loadSodium, type Sodium } from '../../main/age/index.js';
import { runChunkJob, type ChunkJob } from './chunk-job.js';
import { HeapChunkCipher } from './heap-cipher.js';
import { SlabPool, isShared } from './shared-slabs.js';

/** Jobs of at most this many chunks run on the calling thread: a thread hop costs more than they do. */
const INLINE_CHUNKS = 2;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface WorkerSlot {
  worker: Worker;
  /** Chunks posted to it and not answered yet: new work goes to the least loaded worker. */
  load: number;
}

type Reply = { id: number; error?: string; chunkIndex?: number };

export class CryptoPool {
  /** Shared memory for sources and targets of jobs, recycled; callers may use it for their own buffers. */
  readonly slabs = new SlabPool();
  /** Kept referenced: close() the pool when done, or the process stays alive (unref'd workers lost jobs). */
  private readonly workers: WorkerSlot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly cipher: HeapChunkCipher;
  private nextId = 1;
  /** Settles when every worker has loaded libsodium, or rejects with the first that failed to start. */
  private readonly ready: Promise<unknown>;

  private constructor(sodium: Sodium, readonly size: number) {
    this.cipher = new HeapChunkCipher(sodium);
    const started: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./crypto-worker.js', import.meta.url));
      started.push(new Promise<void>((resolve, reject) => {
        worker.on('message', (message: Reply | { ready: true }) => ('ready' in message ? resolve() : this.settle(message)));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`crypto worker exited with code ${code} before it was ready`)));
      }));
      worker.on('error', (error) => this.failAll(error));
      this.workers.push({ worker, load: 0 });
    }
    this.ready = Promise.all(started);
  }

  /**
   * A pool whose workers are ready (a first large file is not held up while they load libsodium).
   * @param threads worker count; 0 runs everything inline (the one-thread baseline). Default: one per core.
   */
  static async create(threads = availableParallelism()): Promise<CryptoPool> {
    const pool = new CryptoPool(await loadSodium(), threads);
    try {
      await pool.ready;
    } catch (error) {
      await Promise.all(pool.workers.map(({ worker }) => worker.terminate()));
      throw new Error(`crypto pool: a worker failed to start: ${(error as Error).message}`);
    }
    return pool;
  }

  /** The ciphertext length of `plaintextLength` bytes of whole chunks (the last may be short). */
  static ciphertextLength(plaintextLength: number): number {
    return plaintextLength + Math.max(1, Math.ceil(plaintextLength / CHUNK_SIZE)) * TAG_SIZE;
  }

  /** The plaintext length of `ciphertextLength` bytes of whole encrypted chunks (the last may be short). */
  static plaintextLength(ciphertextLength: number): number {
    return Math.max(0, ciphertextLength - Math.max(1, Math.ceil(ciphertextLength / ENCRYPTED_CHUNK_SIZE)) * TAG_SIZE);
  }

  /** Encrypts chunks firstIndex… of `plaintext` into `out` (ciphertextLength(plaintext.length) bytes). */
  encrypt(key: Uint8Array, firstIndex: number, plaintext: Uint8Array, endsFile: boolean, out: Uint8Array): Promise<void> {
    return this.run({ op: 'encrypt', key, firstIndex, source: plaintext, target: out, endsFile }, CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE);
  }

  /**
   * Decrypts chunks firstIndex… of `ciphertext` into `out` (plaintextLength(ciphertext.length) bytes).
   * Rejects with ChunkAuthenticationError naming a chunk that fails; `out` then holds no plaintext of it.
   */
  decrypt(key: Uint8Array, firstIndex: number, ciphertext: Uint8Array, endsFile: boolean, out: Uint8Array): Promise<void> {
    return this.run({ op: 'decrypt', key, firstIndex, source: ciphertext, target: out, endsFile }, ENCRYPTED_CHUNK_SIZE, CHUNK_SIZE);
  }

  async close(): Promise<void> {
    // Workers are asked to exit rather than terminated: terminate() can hang while a worker is still
    // compiling libsodium's WebAssembly.
    await Promise.all(this.workers.map(({ worker }) => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ op: 'exit' });
      return exited;
    }));
    this.workers.length = 0;
    this.failAll(new Error('the crypto pool was closed'));
    this.cipher.dispose();
    this.slabs.clear();
  }

  private async run(job: ChunkJob, inSize: number, outSize: number): Promise<void> {
    const chunks = Math.max(1, Math.ceil(job.source.length / inSize));
    const expected = job.op === 'encrypt' ? CryptoPool.ciphertextLength(job.source.length) : CryptoPool.plaintextLength(job.source.length);
    if (job.target.length !== expected) throw new Error(`crypto pool: target is ${job.target.length} bytes, expected ${expected}`);
    if (this.workers.length === 0 || chunks <= INLINE_CHUNKS) return runChunkJob(this.cipher, job);
    // Memory the workers can see: the caller's own when it is shared, else a recycled slab (one copy).
    const source = isShared(job.source) ? job.source : this.slabs.acquire(job.source.length);
    if (source !== job.source) source.set(job.source);
    const target = isShared(job.target) ? job.target : this.slabs.acquire(job.target.length);
    try {
      const runs: Promise<void>[] = [];
      const perWorker = Math.ceil(chunks / this.workers.length);
      for (let first = 0; first < chunks; first += perWorker) {
        const count = Math.min(perWorker, chunks - first);
        const last = first + count === chunks;
        runs.push(this.post({
          ...job,
          firstIndex: job.firstIndex + first,
          source: source.subarray(first * inSize, last ? source.length : (first + count) * inSize),
          target: target.subarray(first * outSize, last ? target.length : (first + count) * outSize),
          endsFile: job.endsFile && last,
        }, count));
      }
      // Every run settles before the buffers are handed back or reused: a failed run must not leave
      // another still writing into memory the caller thinks is free.
      const results = await Promise.allSettled(runs);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      if (target !== job.target) job.target.set(target);
    } finally {
      if (source !== job.source) this.slabs.release(source);
      if (target !== job.target) this.slabs.release(target);
    }
  }

  private post(job: ChunkJob, chunks: number): Promise<void> {
    const id = this.nextId++;
    let slot = this.workers[0]!;
    for (const candidate of this.workers) if (candidate.load < slot.load) slot = candidate;
    slot.load += chunks;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...job, id });
    }).finally(() => (slot.load -= chunks));
  }

  private settle(message: Reply): void {
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    if (message.error === undefined) pending.resolve();
    else if (message.chunkIndex !== undefined && message.chunkIndex >= 0) pending.reject(new ChunkAuthenticationError(message.chunkIndex));
    else pending.reject(new Error(message.error));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
