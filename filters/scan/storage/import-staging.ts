// The staging folders of signature imports (<data dir>/signatures/.staging-<tag>-<hex>): an import copies
// its files there and validates them before moving them in. A process killed meanwhile leaves its folder
// behind; the library sweeps those of writers that are gone when it opens, and keeps those of imports that
// may still be under way (this process, or another live one). Names carry the writer's tag
// (main/store/temp-owner.ts).

import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isLeftoverTemp, tempOwnerTag } from '../../../main/store/temp-owner.js';

const STAGING_MARK = '.staging-';

export interface StagingSweep {
  /** Leftover staging folders removed (names in the library's folder). */
  readonly removed: string[];
  /** Staging folders kept: their import may still be under way. */
  readonly kept: string[];
  /** Leftovers that could not be removed, and why. */
  readonly failed: { name: string; reason: string }[];
}

/** A fresh staging folder name for an import of this process. */
export function stagingNameFor(): string {
  return `${STAGING_MARK}${tempOwnerTag()}-${randomBytes(6).toString('hex')}`;
}

/** Removes the staging folders in `directory` whose import's process is gone. A missing folder holds none. */
export function sweepStaging(directory: string): StagingSweep {
  const sweep: StagingSweep = { removed: [], kept: [], failed: [] };
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') sweep.failed.push({ name: '.', reason: reasonOf(error) });
    return sweep;
  }
  for (const name of names.sort()) {
    if (!name.startsWith(STAGING_MARK)) continue;
    const path = join(directory, name);
    try {
      if (!isLeftoverTemp(name.slice(STAGING_MARK.length), statSync(path).mtimeMs)) {
        sweep.kept.push(name);
        continue;
      }
      rmSync(path, { recursive: true, force: true });
      sweep.removed.push(name);
    } catch (error) {
      // Gone meanwhile: its import ended, or another process's sweep removed it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') sweep.failed.push({ name, reason: reasonOf(error) });
    }
  }
  return sweep;
}

function reasonOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
