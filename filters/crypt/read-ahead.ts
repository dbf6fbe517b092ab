// Sequential reads of an encrypted stream: while the caller consumes one range, the next range of the same
// length is already being decrypted on the worker pool, so decryption overlaps the caller's own work.
// Only clean age streams read ahead; any write, size change or lock drops what was read ahead.

import type { CryptStream } from './crypt-stream.js';
import { readPlaintext, type CryptIo } from './plaintext-reader.js';

export interface ReadAhead {
  readonly offset: number;
  readonly length: number;
  readonly data: Promise<Uint8Array>;
}

export async function readSequential(io: CryptIo, stream: CryptStream, offset: number, length: number): Promise<Uint8Array> {
  const ahead = stream.readAhead;
  stream.readAhead = null;
  let result: Uint8Array | null = null;
  if (ahead !== null && ahead.offset === offset && ahead.length >= length) {
    // A failure read ahead (a damaged chunk) is not reported from here: the direct read below reports it.
    result = await ahead.data.then((data) => data.subarray(0, length), () => null);
  }
  result ??= await readPlaintext(io, stream, offset, length);
  const next = offset + result.length;
  if (stream.base.kind === 'age' && stream.dirty.count === 0 && result.length === length && next < stream.size) {
    const data = readPlaintext(io, stream, next, length);
    data.catch(() => undefined);
    stream.readAhead = { offset: next, length, data };
  }
  return result;
}
