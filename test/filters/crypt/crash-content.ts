// The deterministic file versions the crash tests write, so a survivor can be recognised: file i at
// version v has its own size and bytes. Large files (write-behind) carry their version in their first bytes.

import { CHUNK_SIZE } from '../../../main/age/index.js';
import { bytes } from './crypt-rig.js';

export const FILES = ['a.bin', 'b.bin', 'sub-c.bin'];

export function contentOf(file: number, version: number): Uint8Array {
  return bytes(((version % 4) + 1) * CHUNK_SIZE + 1000 * file + version, 1000 * file + version);
}

/** The version whose content `data` is exactly, or null when it matches none (a torn or mixed file). */
export function versionOf(file: number, data: Uint8Array, maxVersion = 10_000): number | null {
  for (let version = 0; version <= maxVersion; version++) {
    const candidate = contentOf(file, version);
    if (candidate.length === data.length && Buffer.compare(candidate, data) === 0) return version;
  }
  return null;
}

/** Large versions for the write-behind crash test: 9–11 MiB, the version in the first four bytes. */
export function bigContentOf(version: number): Uint8Array {
  const data = bytes((9 + (version % 3)) * (1 << 20) + version, version);
  new DataView(data.buffer).setUint32(0, version, true);
  return data;
}

/** The version a large file claims to be (check it against bigContentOf). */
export function bigVersionOf(data: Uint8Array): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(0, true);
}
