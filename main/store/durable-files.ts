// Crash-safe host file writes, shared by everything Strata keeps on disk beside its database (quarantined
// files and key, imported signature databases, vault files, CLI sessions, stub keys, tier objects):
// write a temp file next to the target, fsync it, rename it into place, fsync the folder. A crash leaves
// the old file or the new one, never half of one.

import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The name of a temp file for a target named `base`, given 12 random hex digits. */
export type TempNamer = (base: string, random: string) => string;

const hiddenTemp: TempNamer = (base, random) => `.${base}.${random}.tmp`;

/** A temp file in the target's folder (named by `nameTemp`), written by `fill`, then fsync'd. Returns its path. */
export async function writeTemp(target: string, fill: (file: FileHandle) => Promise<void>, mode = 0o600, nameTemp: TempNamer = hiddenTemp): Promise<string> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const temp = join(dirname(target), nameTemp(basename(target), randomBytes(6).toString('hex')));
  const file = await open(temp, 'wx', mode);
  try {
    await fill(file);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  return temp;
}

/** Moves a finished temp file into place (replacing, or refusing to replace when `overwrite` is false). */
export async function commitTemp(temp: string, target: string, overwrite: boolean): Promise<void> {
  try {
    if (overwrite) {
      await rename(temp, target);
    } else {
      // link() fails with EEXIST instead of replacing: no window in which an existing file is lost.
      await link(temp, target);
      await rm(temp, { force: true });
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(target));
}

export async function writeFileDurably(target: string, content: Uint8Array | string, options: { mode?: number; overwrite?: boolean } = {}): Promise<void> {
  const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const temp = await writeTemp(target, async (file) => void (await file.write(data, 0, data.length, 0)), options.mode ?? 0o600);
  await commitTemp(temp, target, options.overwrite ?? true);
}

/** Creates `path` (which must not exist) with `data`, fsync'd. */
export async function writeNewFileSynced(path: string, data: Uint8Array, mode = 0o600): Promise<void> {
  const file = await open(path, 'wx', mode);
  try {
    await file.write(data, 0, data.length, 0);
    await file.sync();
  } finally {
    await file.close();
  }
}

export async function removeDurably(path: string): Promise<void> {
  await rm(path, { force: true });
  await syncDirectory(dirname(path));
}

export async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
