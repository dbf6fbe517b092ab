// The leftovers of puts that never ended in a local tier's tmp/ folder (a process killed while it copied
// a file to the tier leaves a partial, possibly full-size copy): removed when their writer is gone, kept
// while it may still be at work (a put of this process, or of another live process sharing the tier).
// Names carry the writer's tag (main/store/temp-owner.ts): tmp/put-<tag>-<hex>.tmp, tmp/marker-<tag>-<hex>.tmp.

import { randomBytes } from 'node:crypto';
import { tempOwnerTag } from '../../../main/store/temp-owner.js';
import { sweepTaggedTemps, type TempSweep } from '../../../main/store/temp-sweep.js';

export type TierTempKind = 'put' | 'marker';

export type TierTmpSweep = TempSweep;

const TEMP_NAME = /^(?:put|marker)-(.+)\.tmp$/;

/** A fresh name in tmp/ for a temporary file of this process ("put-<tag>-<16 hex>.tmp"). */
export function tierTempName(kind: TierTempKind): string {
  return `${kind}-${tempOwnerTag()}-${randomBytes(8).toString('hex')}.tmp`;
}

/** Removes from `tmpDir` the temporary files of puts whose writer is gone. A missing folder holds none. */
export function sweepTierTmp(tmpDir: string): Promise<TierTmpSweep> {
  return sweepTaggedTemps(tmpDir, (name) => TEMP_NAME.exec(name)?.[1]);
}
