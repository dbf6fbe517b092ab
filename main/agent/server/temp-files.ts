// The temp files private-file.ts writes through, and the sweep of those a writer left behind. A write
// goes to `<target>.<pid>-<12 hex>.tmp` beside its target and is then renamed or linked into place; a
// writer killed in between (SIGKILL, power loss) leaves the temp file, and with it whatever it held (the
// API token, the vault key of a CLI unlock session). The PID in the name says whose it is: a temp file is
// a leftover when its writer no longer runs, when it is our own (these writes are synchronous, so none of
// ours is under way while we sweep), or when it is older than any such write takes (its PID was reused).
// Older Strata versions, and main/store's writeFileDurably, name temp files `[.]<target>.<12 hex>.tmp`,
// without a PID: those are leftovers once they are that old.

import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive } from './process-identity.js';

/** No write of a small file takes this long: a temp file this old is a leftover, whoever wrote it. */
export const STALE_TEMP_MS = 10 * 60_000;

const TEMP_NAME = /^(.+)\.(?:(\d+)-)?[0-9a-f]{12}\.tmp$/;

/** A fresh temp file name beside `path`, naming this process as its writer. */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

export interface SweepOptions {
  /** Only the temp files of this file name (default: those of every file in the folder). */
  target?: string;
  /** The caller holds what every writer of `target` must hold (the agent lock): every temp file of it is a leftover. */
  noOtherWriter?: boolean;
}

/** Removes the leftover temp files in `dir` (see the header) and returns their names. */
export function sweepTempLeftovers(dir: string, options: SweepOptions = {}): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const temp = TEMP_NAME.exec(name);
    if (temp === null) continue;
    const [, target, writer] = temp;
    if (options.target !== undefined && target !== options.target && target !== `.${options.target}`) continue;
    const path = join(dir, name);
    if (options.noOtherWriter !== true && !isLeftover(path, writer === undefined ? undefined : Number(writer))) continue;
    rmSync(path, { force: true });
    removed.push(name);
  }
  return removed;
}

function isLeftover(path: string, writerPid: number | undefined): boolean {
  if (writerPid === process.pid) return true;
  if (writerPid !== undefined && !isPidAlive(writerPid)) return true;
  try {
    return statSync(path).mtimeMs < Date.now() - STALE_TEMP_MS;
  } catch {
    return false; // gone already: its writer renamed it into place
  }
}
