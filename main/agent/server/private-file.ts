// Writes a small owner-only file atomically: temp file created 0600, written, fsynced, then renamed over
// the target (or hard-linked to a name that must not exist yet), then the folder fsynced, so a crash
// leaves either the old file or the new one, never a torn one. A crash can leave the temp file, which
// names its writer (its tag: host, PID, run): its owner sweeps such leftovers (temp-files.ts).

import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor } from './temp-files.js';

export function writePrivateFileAtomic(path: string, content: string): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/**
 * Creates `path` whole with `content`, owner-only, only if no file has that name: the content goes to a
 * fsynced temp file that is hard-linked to the name (a link never replaces a file). False when the name
 * was taken; the caller fsyncs the folder if it needs the name durable.
 */
export function linkNewPrivateFile(path: string, content: string): boolean {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

export function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
