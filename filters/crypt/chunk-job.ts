// One unit of bulk work: consecutive STREAM chunks starting at `firstIndex`, encrypted or decrypted in one
// go. Runs the same in a worker thread and inline (small jobs are not worth a thread hop).

import { CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, TAG_SIZE, decryptChunk, encryptChunk, type Sodium } from '../../main/age/index.js';

export interface ChunkJob {
  op: 'encrypt' | 'decrypt';
  key: Uint8Array;
  firstIndex: number;
  /** Plaintext (encrypt) or ciphertext (decrypt) of whole chunks; only the file's final chunk may be short. */
  data: Uint8Array;
  /** Whether the job's last chunk is the file's final chunk. */
  endsFile: boolean;
}

export function runChunkJob(sodium: Sodium, job: ChunkJob): Uint8Array {
  const inSize = job.op === 'encrypt' ? CHUNK_SIZE : ENCRYPTED_CHUNK_SIZE;
  const count = Math.max(1, Math.ceil(job.data.length / inSize));
  const outLength = job.op === 'encrypt' ? job.data.length + count * TAG_SIZE : job.data.length - count * TAG_SIZE;
  const out = new Uint8Array(Math.max(0, outLength));
  let o = 0;
  for (let i = 0; i < count; i++) {
    const piece = job.data.subarray(i * inSize, (i + 1) * inSize);
    const last = job.endsFile && i === count - 1;
    const index = job.firstIndex + i;
    const result = job.op === 'encrypt' ? encryptChunk(sodium, job.key, index, piece, last) : decryptChunk(sodium, job.key, index, piece, last);
    out.set(result, o);
    o += result.length;
  }
  return out;
}
