// Who may change a local tier's folders. A tier object is the only copy of a released file; it is created
// 0600, but whoever owns a folder it lies in, or can write to that folder, can delete it or swap it for
// other content (a tier pre-created in a shared temp folder by someone else, with a matching marker, is
// the classic case). So the tier's root, objects/, objects/<2 hex>/ and tmp/ must each be owned by this
// user and writable by nobody else (main/store/folder-access.ts); a tier that is not is refused with
// STATUS_ACCESS_DENIED, naming the folder and what is wrong, when it is added, at every connection and
// at every open of an object, so a tier whose folders were opened up later is not used. The root may be
// reached through a link (a mount point often is: the folder it leads to is judged); the folders inside
// it must not be links.
//
// File systems without Unix owners (FAT, exFAT, NTFS, SMB shares) show every entry with the owner and
// mode of their mount options (uid=, umask=/dmask=, dir_mode=): a disk mounted for this user with the
// usual umask 022 or 077 passes; one mounted umask=000 (every entry 0777, writable by every local user)
// is refused until it is mounted with a umask that closes writing to others.

import { lstatSync, statSync, type Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { STATUS_ACCESS_DENIED } from '../../../main/io/index.js';
import { folderAccessProblem } from '../../../main/store/folder-access.js';
import { TierError } from './tier.js';
import { statusOfHostError } from './tier-status.js';

/** The folders of a tier at `root` judged at each connection: the root first (a link to it is followed). */
export function tierFolders(root: string): string[] {
  return [root, join(root, 'objects'), join(root, 'tmp')];
}

/**
 * Why the tier at `root` may not be used (a sentence naming the folder), or null. Synchronous, for the
 * policy's checks. Folders that do not exist are skipped (the tier creates them, 0700), as are those that
 * cannot be looked at (the tier's own checks name them when it is added).
 */
export function tierFoldersProblemSync(root: string): string | null {
  for (const folder of tierFolders(root)) {
    let info: Stats;
    try {
      info = folder === root ? statSync(folder) : lstatSync(folder);
    } catch {
      continue;
    }
    const problem = problemOf(folder, info);
    if (problem !== null) return problem;
  }
  return null;
}

/** Throws STATUS_ACCESS_DENIED for the first of `folders` (the first is `root`) that fails the rule; missing ones are skipped. */
export async function assertTierFoldersGuarded(tier: string, root: string, folders: readonly string[]): Promise<void> {
  for (const folder of folders) {
    let info: Stats;
    try {
      info = folder === root ? await stat(folder) : await lstat(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new TierError(tier, statusOfHostError(error), `${folder}: ${(error as Error).message}`);
    }
    const problem = problemOf(folder, info);
    if (problem !== null) throw new TierError(tier, STATUS_ACCESS_DENIED, problem);
  }
}

function problemOf(folder: string, info: Stats): string | null {
  const problem = folderAccessProblem(info, 'owner-writable');
  if (problem === null) return null;
  const remedy = problem.kind === 'mode'
    ? `run chmod go-w ${folder} (a disk without Unix permissions, such as FAT, exFAT or a network share, takes its mode from how it is mounted: mount it with umask=022)`
    : 'use a folder of your own that only you can write to';
  return `the tier folder ${folder} ${problem.text}: whoever owns it or can write to it can delete or replace the tier's cold copies, the only copy of released files; ${remedy}`;
}
