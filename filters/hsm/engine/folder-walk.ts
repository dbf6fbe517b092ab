// Lists every file of the folder as the disk has it (below the filter: stubs at their stub size),
// depth first, leaving out the HSM's own temporary stubs. Links (entries the volume marks as reparse
// points) are neither descended into nor yielded: a link back to a parent would make the walk endless,
// and migrating a link's name would put a stub in place of the link; its target is walked where it lies.

import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, type FileDirectoryInformation } from '../../../main/io/index.js';
import { childOf } from '../catalog/volume-path.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { isHsmTempName } from './release-file.js';

export interface WalkedFile {
  readonly path: string;
  readonly entry: FileDirectoryInformation;
}

export async function* walkFolder(volume: HsmVolume, directory = '\\', signal?: AbortSignal): AsyncGenerator<WalkedFile> {
  const entries = await volume.io.list(directory);
  for (const entry of entries) {
    if (signal?.aborted) return;
    if (isLink(entry)) continue;
    const path = childOf(directory, entry.fileName);
    if (entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) yield* walkFolder(volume, path, signal);
    else if (!isHsmTempName(entry.fileName)) yield { path, entry };
  }
}

/** Temporary stubs left by an interrupted migration whose journal entry is gone (fsck removes them). */
export async function* strayTempStubs(volume: HsmVolume, directory = '\\'): AsyncGenerator<string> {
  for (const entry of await volume.io.list(directory)) {
    if (isLink(entry)) continue;
    const path = childOf(directory, entry.fileName);
    if (entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) yield* strayTempStubs(volume, path);
    else if (isHsmTempName(entry.fileName)) yield path;
  }
}

function isLink(entry: FileDirectoryInformation): boolean {
  return (entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
}
