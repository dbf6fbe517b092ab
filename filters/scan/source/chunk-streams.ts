// Sequential chunk streams over ByteSources: plain reads, and zlib inflation (raw deflate for zip
// members, gzip) that yields decompressed chunks as they come, so a member is scanned without being
// held in memory.

import { Readable, pipeline } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import type { ByteSource } from './byte-source.js';

export const STREAM_CHUNK = 256 * 1024;

export async function* readChunks(source: ByteSource, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < source.size; ) {
    signal?.throwIfAborted();
    const chunk = await source.read(offset, Math.min(STREAM_CHUNK, source.size - offset));
    if (chunk.length === 0) return;
    offset += chunk.length;
    yield chunk;
  }
}

/** Decompresses `source` (raw deflate or gzip) and yields the output; a corrupt stream throws. */
export async function* inflateChunks(source: ByteSource, format: 'raw' | 'gzip', signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const inflater = format === 'gzip' ? createGunzip() : createInflateRaw();
  // pipeline() tears the reader down too when the consumer stops early (a detection) or zlib fails.
  const output = pipeline(Readable.from(readChunks(source, signal)), inflater, () => {});
  for await (const chunk of output) yield chunk as Uint8Array;
}
