// Recognises the containers Strata opens from their first bytes: zip, gzip, tar and cpio.

import { cpioFormatOf } from './cpio-reader.js';
import { isTarHeader } from './tar-reader.js';

export type ArchiveType = 'zip' | 'gzip' | 'tar' | 'cpio';

/** How many leading bytes detection needs. */
export const TYPE_PROBE_LENGTH = 512;

export function archiveTypeOf(head: Uint8Array): ArchiveType | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) return 'zip';
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8) return 'gzip';
  if (head.length >= TYPE_PROBE_LENGTH && isTarHeader(head.subarray(0, TYPE_PROBE_LENGTH))) return 'tar';
  if (head.length >= 6 && cpioFormatOf(head) !== null) return 'cpio';
  return null;
}
