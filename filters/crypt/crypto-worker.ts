// A worker thread of the crypto pool: encrypts or decrypts a run of consecutive STREAM chunks with
// libsodium (loaded once per worker) and posts the result back, transferring the buffer.

import { parentPort } from 'node:worker_threads';
import { ChunkAuthenticationError, loadSodium } from '../../main/age/index.js';
import { runChunkJob, type ChunkJob } from './chunk-job.js';

const sodium = await loadSodium();

parentPort!.on('message', (job: (ChunkJob & { id: number }) | { op: 'exit' }) => {
  if (job.op === 'exit') {
    parentPort!.close();
    return;
  }
  try {
    const out = runChunkJob(sodium, job);
    parentPort!.postMessage({ id: job.id, data: out }, [out.buffer as ArrayBuffer]);
  } catch (error) {
    const chunkIndex = error instanceof ChunkAuthenticationError ? error.chunkIndex : -1;
    parentPort!.postMessage({ id: job.id, error: (error as Error).message, chunkIndex });
  }
});
