// SHA-256 of tier objects on a thread of their own (hash-worker.ts). A recall hashes the tier object
// while the host's kernel copies it (engine/recall-copy.ts). Hashed on the main thread, each 2 MiB chunk
// held the event loop for ~1.3 ms, and every step of the recall around the hash — opening and checking
// the copy's source, the stats after the copy, the times, the fsync, the IRPs that carry them — waited
// behind a chunk each time it awaited something: the copy began 5–20 ms late and ended 10–15 ms late.
// On its own thread the hash leaves the event loop free; its reads are synchronous, on that thread
// (hash-worker.ts says why).
//
// One thread for the process, started on demand (warmHashThread: when a stub is opened, since a recall
// may follow; when a hash finds it not running), referenced only while it has work (an idle thread
// never keeps the process alive) and ended after IDLE_MS without any. A hash asked for while the thread
// is not ready runs inline: starting one costs 20–60 ms, more than it would save that time.

import { Worker } from 'node:worker_threads';

export interface HashRequest {
  readonly id: number;
  readonly fd: number;
  /** Shared with the main thread: set to 1 to stop the job after its current chunk. */
  readonly stop: Int32Array;
}

export interface HashReply {
  readonly id: number;
  /** Bytes hashed so far. */
  readonly done?: number;
  readonly sha256?: string;
  /** The job was asked to stop and did. */
  readonly stopped?: true;
  readonly error?: { readonly message: string; readonly code?: string | undefined };
}

/** A read of the hashed file failed (`cause`: the host's error, with its `code`). */
export class HashReadError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
    this.name = 'HashReadError';
  }
}

const IDLE_MS = 30_000;

interface Job {
  readonly worker: Worker;
  readonly stop: Int32Array;
  readonly onProgress: ((done: number) => void) | undefined;
  readonly resolve: (sha256: string | null) => void;
  readonly reject: (error: unknown) => void;
  /** What onProgress threw: the job is being stopped and fails with it. */
  failure?: { error: unknown };
}

interface HashThread {
  readonly worker: Worker;
  online: boolean;
  /** Resolved when it comes online (true) or fails to (false). */
  readonly ready: Promise<boolean>;
}

let thread: HashThread | null = null;
/** Set when a thread could not be started or died: hashes run inline from then on. */
let unavailable = false;
const jobs = new Map<number, Job>();
let nextId = 1;
let idleTimer: NodeJS.Timeout | undefined;

/** Starts the hashing thread if it is not running, so that a hash coming soon finds it ready. */
export function warmHashThread(): void {
  if (thread !== null || unavailable) return;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./hash-worker.js', import.meta.url));
  } catch {
    unavailable = true;
    return;
  }
  let signalReady!: (online: boolean) => void;
  const started: HashThread = { worker, online: false, ready: new Promise((resolve) => (signalReady = resolve)) };
  thread = started;
  worker.on('online', () => {
    started.online = true;
    signalReady(true);
    armIdleTimer();
  });
  worker.on('message', (reply: HashReply) => settle(reply));
  worker.on('error', () => {
    unavailable = true;
  });
  worker.on('exit', () => {
    signalReady(false);
    if (thread === started) thread = null;
    // Jobs it still had are hashed again inline by their callers.
    for (const [id, job] of jobs) {
      if (job.worker !== worker) continue;
      jobs.delete(id);
      job.resolve(null);
    }
  });
  // After the listeners: a 'message' listener references the thread again.
  worker.unref();
}

/** Starts the hashing thread if needed; true once it is ready, false if there can be none. */
export async function hashThreadReady(): Promise<boolean> {
  warmHashThread();
  if (thread === null) return false;
  const { worker, ready } = thread;
  // Referenced while someone waits for it (a started thread alone never keeps the process alive).
  worker.ref();
  try {
    return await ready;
  } finally {
    if (jobs.size === 0) worker.unref();
  }
}

/**
 * The SHA-256 of the file open as `fd`, from its start to its end, hashed on the hashing thread, with
 * `onProgress` called after each chunk (what it throws stops the hash and fails it with that error).
 * A failed read rejects with HashReadError. Null, at once or later, when the thread is not ready, is
 * busy with another hash (one at a time: the caller's hash would wait behind it) or was lost: the
 * caller hashes inline. The descriptor must stay open until this settles.
 */
export function hashOnThread(fd: number, onProgress?: (done: number) => void): Promise<string | null> {
  if (thread === null || !thread.online) {
    warmHashThread();
    return Promise.resolve(null);
  }
  if (jobs.size > 0) return Promise.resolve(null);
  const { worker } = thread;
  const id = nextId++;
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const result = new Promise<string | null>((resolve, reject) => jobs.set(id, { worker, stop, onProgress, resolve, reject }));
  clearTimeout(idleTimer);
  worker.ref();
  worker.postMessage({ id, fd, stop } satisfies HashRequest);
  return result.finally(() => {
    if (jobs.size === 0 && thread?.worker === worker) {
      worker.unref();
      armIdleTimer();
    }
  });
}

function settle(reply: HashReply): void {
  const job = jobs.get(reply.id);
  if (job === undefined) return;
  if (reply.done !== undefined) {
    if (job.failure !== undefined) return;
    try {
      job.onProgress?.(reply.done);
    } catch (error) {
      job.failure = { error };
      Atomics.store(job.stop, 0, 1);
    }
    return;
  }
  // The job's last message: no read of it is in flight any more.
  jobs.delete(reply.id);
  if (job.failure !== undefined) job.reject(job.failure.error);
  else if (reply.error !== undefined) job.reject(new HashReadError(Object.assign(new Error(reply.error.message), { code: reply.error.code })));
  else if (reply.sha256 !== undefined) job.resolve(reply.sha256);
  else job.resolve(null);
}

function armIdleTimer(): void {
  clearTimeout(idleTimer);
  if (jobs.size > 0) return;
  idleTimer = setTimeout(() => {
    if (jobs.size > 0 || thread === null) return;
    const idle = thread;
    thread = null;
    void idle.worker.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}
