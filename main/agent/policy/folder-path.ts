// Checks a folder a user wants protected: it exists, is a folder, and is neither the filesystem root
// nor Strata's own data dir (or around it). Returns the real path (symlinks resolved), so nesting
// checks compare like with like.

import { realpathSync, statSync } from 'node:fs';
import { parse } from 'node:path';
import { ApiRequestError, isInside } from '../../api/index.js';

export function checkFolderPath(path: string, dataDir: string, field = '$.path'): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new ApiRequestError('invalid-request', `there is no folder at ${path}`, field);
  }
  if (!statSync(real).isDirectory()) throw new ApiRequestError('invalid-request', `${path} is a file, not a folder`, field);
  if (parse(real).root === real) throw new ApiRequestError('invalid-request', `${real} is the root of a filesystem; protect a folder inside it`, field);
  const data = realOrSelf(dataDir);
  if (isInside(real, data) || isInside(data, real)) {
    throw new ApiRequestError('invalid-request', `${real} holds or is inside Strata's data dir (${data}); choose another folder`, field);
  }
  return real;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
