// One-shot helpers over a ScanSession: scan a buffer, or a ByteSource read in chunks.

import type { ByteSource } from '../source/byte-source.js';
import type { CompiledDatabase } from './compiled-database.js';
import { ScanSession, type Detection } from './scan-session.js';

/** How much of a source is read per step: large enough to amortise a read, small enough to stay bounded. */
export const READ_CHUNK = 256 * 1024;

export function scanBytes(db: CompiledDatabase, bytes: Uint8Array): Detection | null {
  const session = new ScanSession(db, { knownSize: bytes.length });
  return session.feed(bytes) ?? session.finish();
}

export interface StreamScanOptions {
  readonly signal?: AbortSignal;
  /** Called with the bytes read so far after each chunk. */
  readonly onBytes?: (count: number) => void;
}

/** Streams a whole source through a session; stops reading at the first certain detection. */
export async function scanSource(db: CompiledDatabase, source: ByteSource, options: StreamScanOptions = {}): Promise<Detection | null> {
  const session = new ScanSession(db, { knownSize: source.size });
  for (let offset = 0; offset < source.size; ) {
    options.signal?.throwIfAborted();
    const chunk = await source.read(offset, Math.min(READ_CHUNK, source.size - offset));
    if (chunk.length === 0) break;
    offset += chunk.length;
    options.onBytes?.(chunk.length);
    const found = session.feed(chunk);
    if (found !== null) return found;
  }
  return session.finish();
}
