// Which process a PID names, and whether that process still runs. A PID alone says little once its
// process is gone: after a reboot, or when PIDs wrap around, the same number belongs to another process
// (or to ourselves). On Linux a process is pinned down by the boot it runs in
// (/proc/sys/kernel/random/boot_id) and its start time (field 22 of /proc/<pid>/stat, clock ticks since
// boot). Where there is no /proc (macOS, Windows) only the PID is known, and a process counts as running
// while its PID does (kill(pid, 0)), as it always did.

import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** The boot the process runs in; absent where /proc is not available. */
  bootId?: string;
  /** Clock ticks from boot to the process's start; absent where /proc/<pid>/stat is not readable. */
  startTime?: number;
}

/** The start time field of /proc/<pid>/stat, counted from 1 as proc(5) does. */
const START_TIME_FIELD = 22;
/** The state field: the first one after the command name in parentheses. */
const FIRST_FIELD_AFTER_COMMAND = 3;

/** Read once: a boot id does not change while we run. */
let bootIdRead: { value: string | undefined } | undefined;

/** This boot's id, or undefined where /proc does not tell it. */
export function currentBootId(): string | undefined {
  bootIdRead ??= { value: readTrimmed('/proc/sys/kernel/random/boot_id') };
  return bootIdRead.value;
}

/**
 * The start time of `pid` from /proc/<pid>/stat, or undefined when it cannot be read (no /proc, no such
 * process, or hidden by /proc's hidepid option). The command name (field 2) is in parentheses and may
 * itself contain spaces and ')', so the fields are counted from the last ')'.
 */
export function processStartTime(pid: number): number | undefined {
  const stat = readTrimmed(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const commandEnd = stat.lastIndexOf(')');
  if (commandEnd < 0) return undefined;
  const fields = stat.slice(commandEnd + 1).trim().split(/\s+/);
  const value = fields[START_TIME_FIELD - FIRST_FIELD_AFTER_COMMAND];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** What identifies the process `pid` now (only its PID where /proc is not available). */
export function identifyProcess(pid: number): ProcessIdentity {
  const bootId = currentBootId();
  const startTime = bootId === undefined ? undefined : processStartTime(pid);
  return { pid, ...(bootId === undefined ? {} : { bootId }), ...(startTime === undefined ? {} : { startTime }) };
}

/**
 * Whether the process `recorded` describes still runs. Its PID must be alive; where both the record and
 * this system know the boot id and start time, they must match too: a record from another boot, or whose
 * PID now belongs to a process started at another time, names a process that is gone. A record without
 * them (written where /proc was not available, or by an older Strata) is judged by its PID alone.
 */
export function isProcessRunning(recorded: ProcessIdentity): boolean {
  if (!isPidAlive(recorded.pid)) return false;
  const bootId = currentBootId();
  if (recorded.bootId === undefined || bootId === undefined) return true;
  if (recorded.bootId !== bootId) return false;
  if (recorded.startTime === undefined) return true;
  const startTime = processStartTime(recorded.pid);
  // Unreadable although the PID is alive: hidden by hidepid, or it exited just now. Judged by its PID.
  return startTime === undefined || startTime === recorded.startTime;
}

/** Whether two records name the same process (as far as they tell). */
export function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.pid === b.pid && a.bootId === b.bootId && a.startTime === b.startTime;
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readTrimmed(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}
