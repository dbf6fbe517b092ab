// The leftovers of puts that never ended in a local tier's tmp/ folder (a process killed while it copied
// a file to the tier leaves a partial, possibly full-size copy): removed when their writer is gone, kept
// while it may still be at work (a put of this process, or of another live process sharing the tier).
// Names carry the writer's tag (main/store/temp-owner.ts): tmp/put-<tag>-<hex>.tmp, tmp/marker-<tag>-<hex>.tmp.

import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isLeftoverTemp, tempOwnerTag } from '../../../main/store/temp-owner.js';

export type TierTempKind = 'put' | 'marker';

export interface TierTmpSweep {
  /** Leftovers removed (names in tmp/). */
  readonly removed: string[];
  /** Temporary files kept: their writer may still be at work. */
  readonly kept: string[];
  /** Leftovers that could not be removed, and why. */
  readonly failed: { name: string; reason: string }[];
}

const TEMP_NAME = /^(?:put|marker)-(.+)\.tmp$/;

/** A fresh name in tmp/ for a temporary file of this process ("put-<tag>-<16 hex>.tmp"). */
export function tierTempName(kind: TierTempKind): string {
  return `${kind}-${tempOwnerTag()}-${randomBytes(8).toString('hex')}.tmp`;
}

/** Removes from `tmpDir` the temporary files of puts whose writer is gone. A missing folder holds none. */
export async function sweepTierTmp(tmpDir: string): Promise<TierTmpSweep> {
  const sweep: TierTmpSweep = { removed: [], kept: [], failed: [] };
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') sweep.failed.push({ name: '.', reason: reasonOf(error) });
    return sweep;
  }
  for (const name of names.sort()) {
    const tagged = TEMP_NAME.exec(name)?.[1];
    if (tagged === undefined) continue;
    const path = join(tmpDir, name);
    try {
      if (!isLeftoverTemp(tagged, (await stat(path)).mtimeMs)) {
        sweep.kept.push(name);
        continue;
      }
      await unlink(path);
      sweep.removed.push(name);
    } catch (error) {
      // Gone meanwhile: its put renamed it into place, or another process's sweep removed it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') sweep.failed.push({ name, reason: reasonOf(error) });
    }
  }
  return sweep;
}

function reasonOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
