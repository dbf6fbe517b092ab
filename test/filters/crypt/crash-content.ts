// The deterministic file versions the crash tests write, so a survivor can be recognised: file i at
// version v has its own size and bytes.

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
