// Reads what is at a path as a possible stub: the first bytes below the filter, decoded and
// authenticated. Used when a cataloged stub is opened, by recovery and by fsck.

import type { NtStatusError } from '../../../main/io/index.js';
import { STUB_MAX_SIZE, StubError, decodeStub, looksLikeStub, type StubFields } from '../stub/stub-format.js';
import type { OpenFile } from '../volume/below-io.js';
import type { HsmVolume } from '../volume/hsm-volume.js';

export type StubReading =
  | { readonly kind: 'stub'; readonly fields: StubFields; readonly bytes: Uint8Array }
  /** It starts like a stub but is malformed or tampered with. */
  | { readonly kind: 'invalid'; readonly error: NtStatusError; readonly bytes: Uint8Array }
  /** Ordinary content. */
  | { readonly kind: 'plain' }
  | { readonly kind: 'missing' };

export async function readStubOf(volume: HsmVolume, file: OpenFile): Promise<StubReading> {
  const bytes = await volume.io.read(file, 0, STUB_MAX_SIZE + 1);
  if (!looksLikeStub(bytes)) return { kind: 'plain' };
  try {
    return { kind: 'stub', fields: decodeStub(bytes, volume.stubKey, file.path), bytes };
  } catch (error) {
    if (error instanceof StubError) return { kind: 'invalid', error, bytes };
    throw error;
  }
}

export async function readStubAt(volume: HsmVolume, path: string): Promise<StubReading> {
  const file = await volume.io.openIfExists(path);
  if (file === null) return { kind: 'missing' };
  try {
    return await readStubOf(volume, file);
  } finally {
    await volume.io.close(file);
  }
}
