// The staging folders of signature imports (<data dir>/signatures/.staging-<tag>-<hex>): an import copies
// its files there and validates them before moving them in. A process killed meanwhile leaves its folder
// behind; the library sweeps those of writers that are gone when it opens, and keeps those of imports that
// may still be under way (this process, or another live one). Names carry the writer's tag
// (main/store/temp-owner.ts).

import { randomBytes } from 'node:crypto';
import { tempOwnerTag } from '../../../main/store/temp-owner.js';
import { sweepTaggedTemps, type TempSweep } from '../../../main/store/temp-sweep.js';

const STAGING_MARK = '.staging-';

export type StagingSweep = TempSweep;

/** A fresh staging folder name for an import of this process. */
export function stagingNameFor(): string {
  return `${STAGING_MARK}${tempOwnerTag()}-${randomBytes(6).toString('hex')}`;
}

/** Removes the staging folders in `directory` whose import's process is gone. A missing folder holds none. */
export function sweepStaging(directory: string): Promise<StagingSweep> {
  return sweepTaggedTemps(directory, (name) => (name.startsWith(STAGING_MARK) ? name.slice(STAGING_MARK.length) : undefined));
}
