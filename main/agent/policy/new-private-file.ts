// Creates a small owner-only file that must not exist yet (a signing key): the content goes to a temp file
// (0600, fsynced), which is then hard-linked to the name — a link never replaces an existing file, so an
// existing key is refused rather than destroyed, and a crash leaves the whole file or none of it.

import { closeSync, fsyncSync, linkSync, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { fsyncDirectory } from '../server/private-file.js';

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
  if (nameTaken(path)) throw new FileExistsError(path);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
    throw error;
  } finally {
    unlinkSync(temp);
  }
  fsyncDirectory(dirname(path));
}
