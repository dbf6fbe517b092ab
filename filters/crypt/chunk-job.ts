// One unit of bulk work: consecutive STREAM chunks starting at `firstIndex`, encrypted or decrypted from
// `source` into `target` in one go. Runs the same in a worker thread (shared-memory views) and inline
// (small jobs are not worth a thread hop).

import type { HeapChunkCipher } from './heap-cipher.js';

export interface ChunkJob {
  op: 'encrypt' | 'decrypt';
  key: Uint8Array;
  firstIndex: number;
  /** Plaintext (encrypt) or ciphertext (decrypt) of whole chunks; only the file's final chunk may be short. */
  source: Uint8Array;
  /** Where the result goes: exactly its length. */
  target: Uint8Array;
  /** Whether the job's last chunk is the file's final chunk. */
  endsFile: boolean;
}

export function runChunkJob(cipher: HeapChunkCipher, job: ChunkJob): void {
  if (job.op === 'encrypt') cipher.encrypt(job.key, job.firstIndex, job.source, job.endsFile, job.target);
  else cipher.decrypt(job.key, job.firstIndex, job.source, job.endsFile, job.target);
}
