// What `strata hsm status` shows: how many files the folder has, how many are stubs, the bytes kept
// locally (stubs count their own small size) and the bytes in the cold tier, pins and the policy.

import type { HsmPolicy } from '../catalog/folder-policy.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { walkFolder } from './folder-walk.js';

export interface FolderStatus {
  readonly folder: string;
  readonly policy: HsmPolicy;
  readonly files: number;
  readonly stubs: number;
  readonly localFiles: number;
  /** Bytes on the local disk: whole files plus the stubs themselves. */
  readonly bytesLocal: number;
  /** Logical bytes of the stubs' files, held by the tier. */
  readonly bytesCold: number;
  readonly pinned: readonly string[];
  readonly unfinishedJournal: number;
}

export async function folderStatus(volume: HsmVolume): Promise<FolderStatus> {
  await volume.ready;
  let files = 0;
  let stubs = 0;
  let bytesLocal = 0;
  let bytesCold = 0;
  for await (const { path, entry } of walkFolder(volume)) {
    files++;
    bytesLocal += entry.endOfFile;
    const row = volume.catalog.get(path);
    if (row !== null && row.stubSize === entry.endOfFile) {
      stubs++;
      bytesCold += row.size;
    }
  }
  return {
    folder: volume.folder.path,
    policy: volume.folder.policy,
    files,
    stubs,
    localFiles: files - stubs,
    bytesLocal,
    bytesCold,
    pinned: volume.pins.list(),
    unfinishedJournal: volume.journal.pending().length,
  };
}
