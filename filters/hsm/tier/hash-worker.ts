// The hashing thread's side (see hash-thread.ts): SHA-256 of a file the main thread opened, read through
// its descriptor in HASH_CHUNK synchronous reads, each hashed right after it is read (the chunk is still
// in this core's cache). Synchronous on purpose: a read-ahead on another thread would be a third thread
// for the two cores the kernel copy and the hash already fill (measured: the hash beside a copy took
// 173–184 ms with synchronous reads, 207–221 with the read-ahead). After each chunk it reports the bytes
// hashed so far and looks at the job's stop flag (shared memory: the loop never yields to take
// messages). A job's one last message (its hash, its read error, or that it stopped) comes when no read
// of it is in flight any more: the main thread may close the descriptor then.

import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { HashReply, HashRequest } from './hash-thread.js';

/** 2 MiB: still in the CPU's cache when the hash reads what the read just wrote (8 MiB is ~10% slower). */
const HASH_CHUNK = 2 << 20;

const buffer = new Uint8Array(HASH_CHUNK);

function hashFile({ id, fd, stop }: HashRequest): HashReply {
  const hash = createHash('sha256');
  let offset = 0;
  for (;;) {
    let count: number;
    try {
      count = readSync(fd, buffer, 0, HASH_CHUNK, offset);
    } catch (error) {
      return { id, error: { message: (error as Error).message, code: (error as NodeJS.ErrnoException).code } };
    }
    if (count === 0) return { id, sha256: hash.digest('hex') };
    hash.update(buffer.subarray(0, count));
    offset += count;
    parentPort!.postMessage({ id, done: offset } satisfies HashReply);
    if (Atomics.load(stop, 0) !== 0) return { id, stopped: true };
  }
}

parentPort!.on('message', (request: HashRequest) => {
  parentPort!.postMessage(hashFile(request));
});
