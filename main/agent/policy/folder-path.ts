// Checks a folder a user wants protected: it exists, is a folder, and is neither the filesystem root
// nor Strata's own data dir (or around it). Returns the real path (symlinks resolved), so nesting
// checks compare like with like. A folder a policy file names that does not exist yet gets the checks
// that need no directory, on the path it will have (its existing ancestors' symlinks resolved).

import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, parse } from 'node:path';
import { ApiRequestError, isInside } from '../../api/index.js';

export function checkFolderPath(path: string, dataDir: string, field = '$.path'): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new ApiRequestError('invalid-request', `there is no folder at ${path}`, field);
  }
  if (!statSync(real).isDirectory()) throw new ApiRequestError('invalid-request', `${path} is a file, not a folder`, field);
  assertPlaceAllowed(path, real, dataDir, field);
  return real;
}

/** For a folder that does not exist yet: the path it will have, refused if that is the root or in or around the data dir. */
export function checkPlannedFolderPath(path: string, dataDir: string, field = '$.path'): string {
  const planned = plannedRealPath(path);
  assertPlaceAllowed(path, planned, dataDir, field);
  return planned;
}

/**
 * The real path `path` has or will have: the deepest ancestor that exists with its symlinks resolved,
 * the rest as written. The path itself when nothing of it resolves.
 */
export function plannedRealPath(path: string): string {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      return rest.length === 0 ? realpathSync(head) : join(realpathSync(head), ...rest);
    } catch {
      const parent = dirname(head);
      if (parent === head) return path;
      rest.unshift(basename(head));
      head = parent;
    }
  }
}

/** The data dir as compared with other paths: resolved when it exists. */
export function realDataDir(dataDir: string): string {
  return plannedRealPath(dataDir);
}

function assertPlaceAllowed(path: string, real: string, dataDir: string, field: string): void {
  if (parse(real).root === real) throw new ApiRequestError('invalid-request', `${real} is the root of a filesystem; protect a folder inside it`, field);
  const data = realDataDir(dataDir);
  if (isInside(real, data) || isInside(data, real)) {
    const shown = real === path ? real : `${path} (${real})`;
    throw new ApiRequestError('invalid-request', `${shown} holds or is inside Strata's data dir (${data}); choose another folder`, field);
  }
}
