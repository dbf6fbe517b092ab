// How a user names a protected folder in a request: by id, by name (any case) or by path. A reference
// that is an absolute path is a path and only a path (also through symlinks): a folder whose name reads
// like another folder's path must never be the one a `strata folder remove /that/path` hits. A name
// that matches one folder while the same string is another folder's id is refused as ambiguous.

import { realpathSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { ApiRequestError } from '../../api/index.js';
import type { FolderRecord, PolicyStore } from './policy-store.js';

/** True for an absolute path in POSIX or Windows form: such a reference names a folder by path. */
export function isPathReference(ref: string): boolean {
  return posix.isAbsolute(ref) || win32.isAbsolute(ref);
}

/** Why `name` cannot name a protected folder (it reads as a path), or null. */
export function folderNameProblem(name: string): string | null {
  return isPathReference(name) ? `the folder name '${name}' reads as a path, and a path names a folder by where it is; choose a name without a leading separator or drive` : null;
}

export function findFolderByRef(store: PolicyStore, ref: string, field = '$.folder'): FolderRecord | undefined {
  if (isPathReference(ref)) {
    const id = store.folderIdBy('path', ref) ?? store.folderIdBy('path', realPathOf(ref));
    return id === undefined ? undefined : store.getFolder(id);
  }
  const byId = store.folderIdBy('id', ref);
  const byName = store.folderIdBy('name', ref);
  if (byId !== undefined && byName !== undefined && byId !== byName) {
    throw new ApiRequestError('conflict', `'${ref}' is the id of one protected folder and the name of another; give the other's path`, field);
  }
  const id = byId ?? byName;
  return id === undefined ? undefined : store.getFolder(id);
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
