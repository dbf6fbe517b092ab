// A ByteSource with some bytes laid over another: a file as it would be had a refused write landed.
// This is what the quarantine keeps of a stream blocked mid-write.

import type { ByteSource } from './byte-source.js';

export function overlaySource(base: ByteSource, offset: number, data: Uint8Array): ByteSource {
  const size = Math.max(base.size, offset + data.length);
  return {
    size,
    async read(at, length) {
      const count = Math.max(0, Math.min(length, size - at));
      const out = new Uint8Array(count);
      if (at < base.size) out.set(await base.read(at, Math.min(count, base.size - at)));
      const from = Math.max(at, offset);
      const to = Math.min(at + count, offset + data.length);
      if (from < to) out.set(data.subarray(from - offset, to - offset), from - at);
      return out;
    },
  };
}
