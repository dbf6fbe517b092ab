// The SHA-256 of a whole file read below the filter (the "is it still what was copied?" checks).

import { createHash } from 'node:crypto';
import type { OpenFile } from '../volume/below-io.js';
import type { HsmVolume } from '../volume/hsm-volume.js';

const HASH_CHUNK = 8 << 20;

export async function sha256OfFile(volume: HsmVolume, file: OpenFile): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of volume.io.chunks(file, HASH_CHUNK)) hash.update(chunk);
  return hash.digest('hex');
}
