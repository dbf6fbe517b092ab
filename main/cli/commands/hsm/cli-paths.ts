// Paths given to `strata hsm` commands: a path inside the folder ("docs/a.txt", or an absolute host
// path below the folder) becomes the volume path the HSM tables use ("\docs\a.txt"). Anything that
// would leave the folder is refused with a message naming it.

import { isAbsolute, relative, sep } from 'node:path';
import { hostRelativeOf, volumeComponentOf } from '../../../volumes/index.js';
import { UsageError } from '../../cli-error.js';

export function volumePathOf(folder: string, path: string): string {
  let inside = path;
  if (isAbsolute(path)) {
    inside = relative(folder, path);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new UsageError(`'${path}' is not inside the folder ${folder}`);
  }
  const parts = inside.split(sep === '\\' ? /[\\/]+/ : /\/+/).filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..')) throw new UsageError(`'${path}' climbs out of the folder ('..' is not allowed)`);
  if (parts.some((part) => part.includes('\\') || part.includes('\0'))) throw new UsageError(`'${path}' contains a backslash or NUL character`);
  if (parts.length === 0) throw new UsageError(`'${path}' names the folder itself; give a file or directory inside it`);
  return `\\${parts.map(volumeComponentOf).join('\\')}`;
}

/** The volume path as a person writes it inside the folder ("docs/a.txt"). */
export function displayPath(volumePath: string): string {
  return hostRelativeOf(volumePath);
}
