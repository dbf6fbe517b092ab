// Where a cold tier may be. Its objects are files: inside a protected folder they would be taken in
// (encrypted, scanned, quarantined) or migrated again as that folder's files, and a protected folder
// inside a tier would have its files among the tier's; inside Strata's data dir they would sit among
// the agent's own state. Paths are compared resolved (symlinks of what exists followed), as folders are
// stored. Checked where a tier or a folder is added or moved (setTier, addFolder, import), not in the
// whole-policy check, so a store that already has such a tier can still be changed to fix it. The HSM's
// own rule (a tier holding cold copies does not move) is hsm-tier-binding.ts's. A tier folder that
// exists already must be this user's and writable by nobody else (the HSM's rule, tier-folder-guard.ts,
// which it applies again when it adds the tier and at every connection): judged here too so that setTier
// and import refuse it at once, with the field named.

import { isInside } from '../../api/index.js';
import { tierFoldersProblemSync } from '../../../filters/hsm/tier/tier-folder-guard.js';
import { plannedRealPath, realDataDir } from './folder-path.js';

export interface PlaceProblem {
  code: 'invalid-request' | 'conflict';
  message: string;
}

/** A tier's path against the data dir: inside it (or at it) is refused. */
export function tierDataDirProblem(tier: { name: string; path: string }, dataDir: string): PlaceProblem | null {
  const real = plannedRealPath(tier.path);
  const data = realDataDir(dataDir);
  if (!isInside(real, data)) return null;
  return { code: 'invalid-request', message: `tier '${tier.name}': ${shown(tier.path, real)} is inside Strata's data dir (${data}); put the tier elsewhere` };
}

/** A tier's folder (if it exists) that another user owns or can write to is refused. */
export function tierAccessProblem(tier: { name: string; path: string }): PlaceProblem | null {
  const problem = tierFoldersProblemSync(tier.path);
  return problem === null ? null : { code: 'invalid-request', message: `tier '${tier.name}': ${problem}` };
}

/** A tier against one protected folder (its stored, resolved path): neither may hold the other. `real`: the tier's path resolved, if known. */
export function tierFolderProblem(tier: { name: string; path: string; real?: string }, folder: { name: string; path: string }): PlaceProblem | null {
  const real = tier.real ?? plannedRealPath(tier.path);
  if (isInside(real, folder.path)) {
    return { code: 'conflict', message: `tier '${tier.name}': ${shown(tier.path, real)} is inside the protected folder ${folder.path} ('${folder.name}'); its cold copies would be taken in as that folder's files: put the tier outside protected folders` };
  }
  if (isInside(folder.path, real)) {
    return { code: 'conflict', message: `tier '${tier.name}': ${shown(tier.path, real)} holds the protected folder ${folder.path} ('${folder.name}'); a tier and a protected folder cannot nest` };
  }
  return null;
}

function shown(path: string, real: string): string {
  return path === real ? path : `${path} (${real})`;
}
