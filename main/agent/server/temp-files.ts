// The temp files private-file.ts writes through, and the sweep of those a writer left behind. A write
// goes to `<target>.<tag>-<12 hex>.tmp` beside its target, the tag naming its writer (host, pid and run,
// main/store/temp-owner.ts), and is then renamed or linked into place; a writer killed in between
// (SIGKILL, power loss) leaves the temp file, and with it whatever it held (the API token, the vault key
// of a CLI unlock session). A temp file is a leftover when its writer is gone, when it is our own (these
// writes are synchronous, so none of ours is under way while we sweep), or when it is older than any such
// write takes (its PID was reused, or another host wrote it). Older Strata versions name temp files
// `<target>.<pid>-<12 hex>.tmp` (the PID judged on this host, by main/store/process-identity.ts), or,
// like main/store's writeFileDurably, `[.]<target>.<12 hex>.tmp` without a writer: those are leftovers
// once that old.

import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessRunning } from '../../store/process-identity.js';
import { TEMP_OWNER_TAG, tempOwnerState, tempOwnerTag } from '../../store/temp-owner.js';

/** No write of a small file takes this long: a temp file this old is a leftover, whoever wrote it. */
export const STALE_TEMP_MS = 10 * 60_000;

/** Groups: target, then the writer's tag or (older names) its PID, or neither. */
const TEMP_NAME = new RegExp(`^(.+)\\.(?:(${TEMP_OWNER_TAG.source})-|(\\d+)-)?[0-9a-f]{12}\\.tmp$`);

/** A fresh temp file name beside `path`, naming this process as its writer. */
export function tempPathFor(path: string): string {
  return `${path}.${tempOwnerTag()}-${randomBytes(6).toString('hex')}.tmp`;
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
    const [, target, tag, pid] = temp;
    if (options.target !== undefined && target !== options.target && target !== `.${options.target}`) continue;
    const path = join(dir, name);
    if (options.noOtherWriter !== true && !writerIsDone(tag, pid) && !isOlderThanAnyWrite(path)) continue;
    rmSync(path, { force: true });
    removed.push(name);
  }
  return removed;
}

/** Whether the writer a temp name records is this process or gone (false when it names none). */
function writerIsDone(tag: string | undefined, pid: string | undefined): boolean {
  if (tag !== undefined) {
    const state = tempOwnerState(tag);
    return state === 'this-run' || state === 'gone';
  }
  if (pid === undefined) return false;
  return Number(pid) === process.pid || !isProcessRunning({ pid: Number(pid) });
}

function isOlderThanAnyWrite(path: string): boolean {
  try {
    return statSync(path).mtimeMs < Date.now() - STALE_TEMP_MS;
  } catch {
    return false; // gone already: its writer renamed it into place
  }
}
