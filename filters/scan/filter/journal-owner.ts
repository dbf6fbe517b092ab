// Who made an undo journal: its file name carries the run that made it (process id and that process's
// start time), so that a later run can tell a journal of a live process, which it must leave alone, from
// one a dead process left behind. The start time guards against process-id reuse: a pid that is alive
// again belongs to the same run only if that process started at the same moment (judged, as every
// "does its writer still run" in Strata, by main/store/process-identity.ts).

import { randomBytes } from 'node:crypto';
import { isProcessRunning, processStartTime } from '../../../main/store/process-identity.js';

export interface JournalOwner {
  readonly pid: number;
  /** The process's start time (clock ticks since boot, from /proc), or null where the system does not tell. */
  readonly start: number | null;
}

/** `undo-<pid>-<start>-<random>`; the start is `x` where it is not known. */
const NAME = /^undo-(\d+)-(\d+|x)-([0-9a-f]{16})$/;
/** Journals of earlier versions (raw bytes, no record of their file): `undo-<pid>-<random>`. */
const LEGACY_NAME = /^undo-(\d+)-([0-9a-f]{16})$/;

let ownRun: JournalOwner | null = null;

/** This process's run. */
export function thisRun(): JournalOwner {
  ownRun ??= { pid: process.pid, start: processStartTime(process.pid) ?? null };
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
  if (current !== null) return { pid: Number(current[1]), start: current[2] === 'x' ? null : Number(current[2]), legacy: false };
  const legacy = LEGACY_NAME.exec(name);
  if (legacy !== null) return { pid: Number(legacy[1]), start: null, legacy: true };
  return null;
}

/**
 * Whether the run that owns a journal may still be using it (main/store/process-identity.ts: a zombie, a
 * free pid or one now started at another time is a dead run's). When in doubt (the system does not say
 * when a process started), a living pid counts as the owner: a journal kept too long is safer than one
 * pulled from under its writer.
 */
export function isRunAlive(owner: JournalOwner): boolean {
  return isProcessRunning({ pid: owner.pid, ...(owner.start === null ? {} : { startTime: owner.start }) });
}
