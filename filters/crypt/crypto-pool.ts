// Bulk chunk crypto on worker threads, one per core, so a large file's encryption does not stall the
// filter's other I/O. A job is split into contiguous runs of chunks, one per worker; small jobs run inline.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CHUNK_SIZE, ChunkAuthenticationError, ENCRYPTED_CHUNK_SIZE, concat, copyBytes, loadSodium, type Sodium } from '../../main/age/index.js';
import { runChunkJob, type ChunkJob } from './chunk-job.js';

/** Jobs of at most this many chunks run on the calling thread: a thread hop costs more than they do. */
const INLINE_CHUNKS = 2;

interface Pending {
  resolve: (data: Uint8Array) => void;
  reject: (error: Error) => void;
}

export class CryptoPool {
  /** Kept referenced: close() the pool when done, or the process stays alive (unref'd workers lost jobs). */
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private next = 0;

  private constructor(private readonly sodium: Sodium, readonly size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./crypto-worker.js', import.meta.url));
      worker.on('message', (message: { id: number; data?: Uint8Array; error?: string; chunkIndex?: number }) => this.settle(message));
      worker.on('error', (error) => this.failAll(error));
      this.workers.push(worker);
    }
  }

  /** @param threads worker count; 0 runs everything inline (the one-thread baseline). Default: one per core. */
  static async create(threads = availableParallelism()): Promise<CryptoPool> {
    return new CryptoPool(await loadSodium(), threads);
  }

  /** The ciphertext in consecutive parts (one per worker): writing them in order needs no concatenation. */
  encrypt(key: Uint8Array, firstIndex: number, plaintext: Uint8Array, endsFile: boolean): Promise<Uint8Array[]> {
    return this.run({ op: 'encrypt', key, firstIndex, data: plaintext, endsFile }, CHUNK_SIZE);
  }

  /** Rejects with ChunkAuthenticationError naming the first chunk that fails. */
  async decrypt(key: Uint8Array, firstIndex: number, ciphertext: Uint8Array, endsFile: boolean): Promise<Uint8Array> {
    const parts = await this.run({ op: 'decrypt', key, firstIndex, data: ciphertext, endsFile }, ENCRYPTED_CHUNK_SIZE);
    return parts.length === 1 ? parts[0]! : concat(parts);
  }

  async close(): Promise<void> {
    // Workers are asked to exit rather than terminated: terminate() can hang while a worker is still
    // compiling libsodium's WebAssembly.
    await Promise.all(this.workers.map((worker) => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ op: 'exit' });
      return exited;
    }));
    this.workers.length = 0;
    this.failAll(new Error('the crypto pool was closed'));
  }

  private async run(job: ChunkJob, inSize: number): Promise<Uint8Array[]> {
    const chunks = Math.max(1, Math.ceil(job.data.length / inSize));
    if (this.workers.length === 0 || chunks <= INLINE_CHUNKS) return [runChunkJob(this.sodium, job)];
    const perWorker = Math.ceil(chunks / this.workers.length);
    const parts: Promise<Uint8Array>[] = [];
    for (let first = 0; first < chunks; first += perWorker) {
      const count = Math.min(perWorker, chunks - first);
      // A copy per worker: the caller's buffer stays usable (it may be a view of unsaved writes).
      const data = copyBytes(job.data, first * inSize, (first + count) * inSize);
      const endsFile = job.endsFile && first + count === chunks;
      parts.push(this.post({ ...job, firstIndex: job.firstIndex + first, data, endsFile }));
    }
    return Promise.all(parts);
  }

  private post(job: ChunkJob): Promise<Uint8Array> {
    const id = this.nextId++;
    const worker = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...job, id }, [job.data.buffer as ArrayBuffer]);
    });
  }

  private settle(message: { id: number; data?: Uint8Array; error?: string; chunkIndex?: number }): void {
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    this.pending.delete(message.id);
    if (message.data !== undefined) pending.resolve(message.data);
    else if (message.chunkIndex !== undefined && message.chunkIndex >= 0) pending.reject(new ChunkAuthenticationError(message.chunkIndex));
    else pending.reject(new Error(message.error ?? 'crypto worker failed'));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
