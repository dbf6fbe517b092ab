// Whether a folder Strata keeps files in is this user's own. Whoever owns a folder, or can write to it,
// can delete, rename or replace the files in it whatever their own modes say, and can plant files of their
// own there. So a folder is accepted only if it is a real folder (not a link: a link's target can change),
// owned by this user, and closed to other users: 'private' folders (plaintext journals) to any access,
// 'owner-writable' folders (HSM tier objects, readable by design) to writing. Used by the scan filter's
// undo-journal folder and the HSM's local tiers; the caller chooses lstat or stat (when a link to the
// folder is acceptable) and words the refusal.

import type { Stats } from 'node:fs';

export type FolderAccess = 'private' | 'owner-writable';

export interface FolderAccessProblem {
  /** What is wrong: a link, not a folder, another owner, or a mode open to others. */
  readonly kind: 'link' | 'not-a-folder' | 'owner' | 'mode';
  /** The predicate of a sentence about the folder: "is owned by uid 1001, not by this user (uid 1000)". */
  readonly text: string;
}

/**
 * Why the folder `info` describes is not this user's own as `access` requires, or null when it is. Hosts
 * without owner ids (Windows) have no mode bits to judge either: there only the kind of entry is.
 */
export function folderAccessProblem(info: Stats, access: FolderAccess, uid: number | undefined = process.getuid?.()): FolderAccessProblem | null {
  if (info.isSymbolicLink()) return { kind: 'link', text: 'is a symbolic link' };
  if (!info.isDirectory()) return { kind: 'not-a-folder', text: 'is not a folder' };
  if (uid === undefined) return null;
  if (info.uid !== uid) return { kind: 'owner', text: `is owned by uid ${info.uid}, not by this user (uid ${uid})` };
  const mode = info.mode & 0o777;
  if (access === 'private' && (mode & 0o077) !== 0) return { kind: 'mode', text: `is open to other users (mode ${mode.toString(8)})` };
  if (access === 'owner-writable' && (mode & 0o022) !== 0) return { kind: 'mode', text: `can be written by ${writers(mode)} (mode ${mode.toString(8)})` };
  return null;
}

function writers(mode: number): string {
  if ((mode & 0o022) === 0o022) return 'its group and all other users';
  return (mode & 0o020) !== 0 ? 'its group' : 'all other users';
}
