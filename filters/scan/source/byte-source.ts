// A random-access view of some bytes: a file on disk, a file below the filter, a buffer, or a slice of
// one of those (an archive member). The scanner and the archive readers only ever see this.

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset`; fewer only where the source ends. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => Promise.resolve(bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length))),
  };
}

/** `size` bytes of `source` from `offset` (clamped to what the source holds). */
export function sliceSource(source: ByteSource, offset: number, size: number): ByteSource {
  const start = Math.min(offset, source.size);
  const length = Math.min(size, source.size - start);
  return {
    size: length,
    read: (at, count) => {
      const from = Math.min(at, length);
      return source.read(start + from, Math.min(count, length - from));
    },
  };
}

/** Reads exactly `length` bytes at `offset`, or fails naming what was being read. */
export async function readExactly(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) throw new RangeError(`${what}: needed ${length} bytes at offset ${offset}, the data ends after ${Math.max(0, source.size - offset)}`);
  return bytes;
}

/** The whole source in memory; callers bound `source.size` first. */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  return readExactly(source, 0, source.size, 'reading the whole source');
}
