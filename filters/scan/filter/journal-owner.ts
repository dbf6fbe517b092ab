// Who made an undo journal: its file name carries the run that made it (process id and that process's
// start time), so that a later run can tell a journal of a live process, which it must leave alone, from
// one a dead process left behind. The start time guards against process-id reuse: a pid that is alive
// again belongs to the same run only if that process started at the same moment.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface JournalOwner {
  readonly pid: number;
  /** The process's start time (clock ticks since boot, from /proc), or null where the system does not tell. */
  readonly start: string | null;
}

/** `undo-<pid>-<start>-<random>`; the start is `x` where it is not known. */
const NAME = /^undo-(\d+)-(\d+|x)-([0-9a-f]{16})$/;
/** Journals of earlier versions (raw bytes, no record of their file): `undo-<pid>-<random>`. */
const LEGACY_NAME = /^undo-(\d+)-([0-9a-f]{16})$/;

let ownRun: JournalOwner | null = null;

/** This process's run. */
export function thisRun(): JournalOwner {
  ownRun ??= { pid: process.pid, start: processStart(process.pid)?.start ?? null };
  return ownRun;
}

/** A fresh journal file name owned by this run. */
export function newJournalName(): string {
  const { pid, start } = thisRun();
  return `undo-${pid}-${start ?? 'x'}-${randomBytes(8).toString('hex')}`;
}

/**
 * A name no run owns (pid 0), for a journal recovery had to keep: whichever run next attaches its volume
 * tries it again, this one included.
 */
export function parkedJournalName(): string {
  return `undo-0-x-${randomBytes(8).toString('hex')}`;
}

/** The owner a journal's name records; `legacy` for an earlier version's journal; null for a name that is not a journal's. */
export function ownerOfJournal(name: string): (JournalOwner & { readonly legacy: boolean }) | null {
  const current = NAME.exec(name);
  if (current !== null) return { pid: Number(current[1]), start: current[2] === 'x' ? null : current[2]!, legacy: false };
  const legacy = LEGACY_NAME.exec(name);
  if (legacy !== null) return { pid: Number(legacy[1]), start: null, legacy: true };
  return null;
}

/**
 * Whether the run that owns a journal may still be using it. When in doubt (the system does not say when
 * a process started), a living pid counts as the owner: a journal kept too long is safer than one
 * pulled from under its writer.
 */
export function isRunAlive(owner: JournalOwner): boolean {
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) return false;
  if (owner.pid === process.pid) return owner.start === null || owner.start === thisRun().start;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists (another user's); only ESRCH says it is gone.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = processStart(owner.pid);
  if (now === null) return true;
  // A zombie has exited: it writes nothing more, its journals are orphans.
  if (now.zombie) return false;
  return owner.start === null || now.start === owner.start;
}

/** Field 22 (starttime) and field 3 (state) of /proc/<pid>/stat; null where there is no /proc or no such process. */
function processStart(pid: number): { start: string; zombie: boolean } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ')': fields resume after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  if (start === undefined || !/^\d+$/.test(start)) return null;
  return { start, zombie: fields[0] === 'Z' };
}
