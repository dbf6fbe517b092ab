// The first bytes of a raw file of a protected folder, as ingest judges it by them (an HSM stub? an age
// file?), read the way ingest reads a file it takes in (folder-source.ts: no link followed, nothing outside).

import { join } from 'node:path';
import { STUB_MAX_SIZE, looksLikeStub } from '../../../filters/hsm/stub/stub-format.js';
import type { IngestCandidate } from '../protections/provider.js';
import { openFolderSource } from './folder-source.js';

/** How much of a raw file the protections are shown (IngestCandidate.head). */
export const HEAD_BYTES = 64;

/** The file as a candidate for ingest (its first HEAD_BYTES), or null when it is gone, a link, or outside the folder. */
export async function rawCandidate(root: string, relativePath: string, size: number): Promise<IngestCandidate | null> {
  const source = await openFolderSource(root, relativePath);
  if (source === null) return null;
  try {
    const head = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await source.read(head, 0, HEAD_BYTES, 0);
    return { relativePath, absolutePath: join(root, relativePath), size, head: head.subarray(0, bytesRead) };
  } finally {
    await source.close();
  }
}

/** The raw file starts like an HSM stub (the rule filters/hsm itself uses to refuse releasing one). */
export function isHsmStub(candidate: IngestCandidate): boolean {
  return candidate.size <= STUB_MAX_SIZE && looksLikeStub(candidate.head);
}
