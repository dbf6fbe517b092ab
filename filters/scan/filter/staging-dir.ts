// The folder that holds the scan filter's undo journals. They hold the original content of files being
// overwritten — plaintext, even in an encrypted folder, since the filter sits above encryption — so the
// folder must be this user's alone: created 0700, and an existing one is used only if it is a real
// folder (not a link), owned by this user and closed to group and others (main/store/folder-access.ts).
// A folder someone else made (a classic attack on a predictable name in a shared temp folder) is refused
// with an error naming it.

import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderAccessProblem } from '../../../main/store/folder-access.js';

export class StagingDirError extends Error {
  override readonly name = 'StagingDirError';
}

/** Where journals go when no folder is given (tests, benchmarks): a per-user folder in the OS temp folder. */
export function defaultStagingDir(): string {
  return join(tmpdir(), `strata-scan-staging-${process.getuid?.() ?? 'user'}`);
}

/** Creates `dir` (0700) if it is missing, then checks that it is private to this user; throws StagingDirError if not. */
export function ensurePrivateStagingDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StagingDirError(`cannot create the undo-journal folder ${dir}: ${(error as Error).message}`);
  }
  checkPrivate(dir);
}

function checkPrivate(dir: string): void {
  const problem = folderAccessProblem(lstatSync(dir), 'private');
  // Others could have read journals there, or planted one for a recovery to "restore" into a file.
  if (problem !== null) throw new StagingDirError(`the undo-journal folder ${dir} ${problem.text}: refusing to keep the original content of files there; remove it or give Strata another folder`);
}
