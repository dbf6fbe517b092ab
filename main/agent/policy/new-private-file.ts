// Creates a small owner-only file that must not exist yet (a signing key): the content goes to a temp file
// (0600, fsynced), which is then hard-linked to the name — a link never replaces an existing file, so an
// existing key is refused rather than destroyed, and a crash leaves the whole file or none of it.

import { lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDirectory, linkNewPrivateFile } from '../server/private-file.js';

/** Raised when the file to create is already there (the caller names what it is). */
export class FileExistsError extends Error {
  override readonly name = 'FileExistsError';
  constructor(readonly path: string) {
    super(`${path} already exists`);
  }
}

/** True when something (a file, a folder, even a dangling symlink) has this name. */
export function nameTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Writes `content` to `path`, owner-only; throws FileExistsError when `path` exists, leaving it untouched. */
export function createPrivateFileExclusively(path: string, content: string): void {
  if (nameTaken(path) || !linkNewPrivateFile(path, content)) throw new FileExistsError(path);
  fsyncDirectory(dirname(path));
}
