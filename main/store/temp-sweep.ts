// The sweep of a folder's tagged temporary entries (files or whole staging folders): each whose writer is
// gone (temp-owner.ts) is removed, the others are kept, and what could not be removed is reported. Used by
// the HSM tier's tmp/ folder and the signature library's import staging.

import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isLeftoverTemp } from './temp-owner.js';

export interface TempSweep {
  /** Leftovers removed (names in the folder). */
  readonly removed: string[];
  /** Entries kept: their writer may still be at work. */
  readonly kept: string[];
  /** Leftovers that could not be removed, and why. */
  readonly failed: { name: string; reason: string }[];
}

/**
 * Removes from `directory` the entries whose writer is gone. `tagOf` gives the part of a name from its
 * writer's tag on, or undefined for a name that is not a temporary entry. A missing folder holds none.
 */
export async function sweepTaggedTemps(directory: string, tagOf: (name: string) => string | undefined): Promise<TempSweep> {
  const sweep: TempSweep = { removed: [], kept: [], failed: [] };
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') sweep.failed.push({ name: '.', reason: reasonOf(error) });
    return sweep;
  }
  for (const name of names.sort()) {
    const tagged = tagOf(name);
    if (tagged === undefined) continue;
    const path = join(directory, name);
    try {
      if (!isLeftoverTemp(tagged, (await stat(path)).mtimeMs)) {
        sweep.kept.push(name);
        continue;
      }
      await rm(path, { recursive: true });
      sweep.removed.push(name);
    } catch (error) {
      // Gone meanwhile: its writer moved it into place, or another process's sweep removed it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') sweep.failed.push({ name, reason: reasonOf(error) });
    }
  }
  return sweep;
}

function reasonOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
