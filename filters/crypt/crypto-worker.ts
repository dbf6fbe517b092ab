// A worker thread of the crypto pool: encrypts or decrypts a run of consecutive STREAM chunks between two
// views of shared memory, with libsodium at its lowest level (one heap region per worker, see
// heap-cipher.ts), and answers with the job's id only: the result is already in the shared target.

import { parentPort } from 'node:worker_threads';
import { ChunkAuthenticationError, loadSodium } from '../../main/age/index.js';
import { runChunkJob, type ChunkJob } from './chunk-job.js';
import { HeapChunkCipher } from './heap-cipher.js';

const cipher = new HeapChunkCipher(await loadSodium());
// The pool is ready once every worker has said so (its libsodium is loaded and compiled).
parentPort!.postMessage({ ready: true });

parentPort!.on('message', (job: (ChunkJob & { id: number }) | { op: 'exit' }) => {
  if (job.op === 'exit') {
    cipher.dispose();
    parentPort!.close();
    return;
  }
  try {
    runChunkJob(cipher, job);
    parentPort!.postMessage({ id: job.id });
  } catch (error) {
    const chunkIndex = error instanceof ChunkAuthenticationError ? error.chunkIndex : -1;
    parentPort!.postMessage({ id: job.id, error: (error as Error).message, chunkIndex });
  } finally {
    job.key.fill(0);
  }
});
