// A ByteSource over a host file (on-demand scans, signature containers). Positional reads, so the
// scanner and the archive readers share one handle without a file pointer.

import { open } from 'node:fs/promises';
import type { ByteSource } from './byte-source.js';

export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

export async function openFileSource(path: string): Promise<FileSource> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return {
      size,
      async read(offset, length) {
        const count = Math.max(0, Math.min(length, size - offset));
        const buffer = new Uint8Array(count);
        let done = 0;
        while (done < count) {
          const { bytesRead } = await handle.read(buffer, done, count - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === count ? buffer : buffer.subarray(0, done);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
