// Leftover temporary files of saves that never ended (the process died between creating a save's temporary
// file and renaming it over its target; each may hold a whole file of ciphertext): the volume is walked
// below the filter when the filter attaches to it, and a temporary file is removed only when no save can
// still be writing it (its writer is gone: names.ts, main/store/temp-owner.ts). Temporary files of saves
// under way, in this process or in another live one (a CLI command beside the agent), are kept.

import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, NT_SUCCESS, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, statusName,
  type FileDirectoryInformation,
} from '../../main/io/index.js';
import type { Below } from './below.js';
import { statusOf } from './crypt-status.js';
import { componentsOf, isHiddenEntry, isLeftoverTempName, isTempName, joinName } from './names.js';

export interface TempSweep {
  /** Leftovers removed (volume-relative names). */
  readonly removed: string[];
  /** Temporary files kept: their writer may still be at work (this process, a live one, another host). */
  readonly kept: string[];
  /** Leftovers that could not be removed (the status says why); the next sweep tries again. */
  readonly failed: { name: string; status: string }[];
  /** The walk stopped before the end (the filter detached from the volume). */
  stopped: boolean;
}

/**
 * Starts the sweep on the next turn (not inside InstanceSetup: it runs in the mount's completion, before
 * the volume is usable); `stop()` ends it at the next entry. The result never rejects: a failure is noted.
 */
export function startTempSweep(below: Below): { readonly done: Promise<TempSweep>; stop(): void } {
  let stopping = false;
  const done = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => sweepLeftoverTemps(below, () => stopping))
    .catch((error: unknown): TempSweep => ({ removed: [], kept: [], failed: [{ name: '\\', status: statusName(statusOf(error)) }], stopped: stopping }));
  return { done, stop: () => void (stopping = true) };
}

/** Walks the volume below the filter and removes the temporary files no live save can be writing. */
export async function sweepLeftoverTemps(below: Below, shouldStop: () => boolean): Promise<TempSweep> {
  const sweep: TempSweep = { removed: [], kept: [], failed: [], stopped: false };
  const directories = [''];
  for (let directory = directories.pop(); directory !== undefined; directory = directories.pop()) {
    for (const entry of await listed(below, directory, sweep)) {
      if (shouldStop()) {
        sweep.stopped = true;
        return sweep;
      }
      // A link (FILE_ATTRIBUTE_REPARSE_POINT) is no save's temporary file and is not walked: a
      // link back to a parent would make the sweep endless; what it leads to is swept where it lies.
      if ((entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) continue;
      const name = joinName([...componentsOf(directory), entry.fileName]);
      const isDirectory = (entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
      // A directory with a temporary-looking name is no save's: hidden, never removed, not walked.
      if (isTempName(entry.fileName)) {
        if (isDirectory) continue;
        if (isLeftoverTempName(entry.fileName, entry.lastWriteTime)) await remove(below, name, sweep);
        else sweep.kept.push(name);
      } else if (isDirectory && !isHiddenEntry(directory, entry.fileName)) {
        directories.push(name);
      }
    }
  }
  sweep.stopped = shouldStop();
  return sweep;
}

/** The directory's entries; none when it went away meanwhile or cannot be listed (then noted as failed). */
async function listed(below: Below, directory: string, sweep: TempSweep): Promise<FileDirectoryInformation[]> {
  try {
    return await below.list(directory);
  } catch (error) {
    const status = statusOf(error);
    if (status !== STATUS_OBJECT_NAME_NOT_FOUND && status !== STATUS_OBJECT_PATH_NOT_FOUND) {
      sweep.failed.push({ name: directory === '' ? '\\' : directory, status: statusName(status) });
    }
    return [];
  }
}

async function remove(below: Below, name: string, sweep: TempSweep): Promise<void> {
  const opened = await below.tryOpen(name);
  let status = opened.status;
  if (opened.handle !== null) status = await below.deleteAndClose(opened.handle);
  if (NT_SUCCESS(status)) sweep.removed.push(name);
  // Gone meanwhile (another process's sweep got there first): nothing left to remove.
  else if (status !== STATUS_OBJECT_NAME_NOT_FOUND) sweep.failed.push({ name, status: statusName(status) });
}
