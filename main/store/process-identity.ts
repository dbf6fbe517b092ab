// Which process a PID names, and whether a process recorded earlier still runs: the one rule behind every
// "is the writer of this file still at work" question in Strata (the agent lock and its temp files in
// main/agent/server, the writer tags of temporary names in temp-owner.ts, the scan filter's undo journals).
//
// A PID alone says little once its process is gone: after a reboot, or when PIDs wrap around, the same
// number belongs to another process (or to ourselves), and in another pid namespace (a container) it
// names another process altogether. So, as far as the system tells, a process is pinned down by
// - its host: this machine's name and pid namespace (/proc/self/ns/pid), hashed;
// - its boot (/proc/sys/kernel/random/boot_id);
// - its start time (field 22 of /proc/<pid>/stat, clock ticks since boot).
// A zombie (state Z, field 3) has exited though its PID and start time stay until its parent reaps it.
// Where there is no /proc (macOS, Windows) only the host name and the PID are known, and a process counts
// as running while its PID does (kill(pid, 0)).

import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** What identifies a process; each field but the PID is absent where it is not known. */
export interface ProcessIdentity {
  pid: number;
  /** The boot the process runs in; absent where /proc is not available. */
  bootId?: string;
  /** Clock ticks from boot to the process's start; absent where /proc/<pid>/stat is not readable. */
  startTime?: number;
}

/** A process as a record (a lock file, a file name) remembers it. */
export interface RecordedProcess extends ProcessIdentity {
  /** The host and pid namespace it ran in (thisHostId()); absent where the record does not say. */
  host?: string;
}

export type RecordedProcessState =
  /** It runs, as far as this system tells (a record without boot id or start time is judged by its PID). */
  | 'running'
  /** It has ended: its PID is free, a zombie's, or another process's (another boot or start time). */
  | 'gone'
  /** It ran on another host or in another pid namespace: whether it runs cannot be told from here. */
  | 'other-host';

/** The start time field of /proc/<pid>/stat, counted from 1 as proc(5) does. */
const START_TIME_FIELD = 22;
/** The state field: the first one after the command name in parentheses. */
const FIRST_FIELD_AFTER_COMMAND = 3;
/** Hex digits of the host id: enough to tell hosts sharing a folder apart, short enough for file names. */
const HOST_ID_HEX = 8;

/** Read once: neither changes while we run. */
let bootIdRead: { value: string | undefined } | undefined;
let hostIdRead: string | undefined;

/** This boot's id, or undefined where /proc does not tell it. */
export function currentBootId(): string | undefined {
  bootIdRead ??= { value: readTrimmed('/proc/sys/kernel/random/boot_id') };
  return bootIdRead.value;
}

/**
 * This machine and pid namespace (8 hex): PIDs mean something only there. A container with a pid
 * namespace of its own is another host, even if it shares the folder and the host name.
 */
export function thisHostId(): string {
  if (hostIdRead === undefined) {
    let namespace = '';
    try {
      namespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // No /proc (macOS, Windows): the host name alone.
    }
    hostIdRead = createHash('sha256').update(hostname()).update('\0').update(namespace).digest('hex').slice(0, HOST_ID_HEX);
  }
  return hostIdRead;
}

/**
 * The start time and zombie state of `pid` from /proc/<pid>/stat, or undefined when it cannot be read (no
 * /proc, no such process, or hidden by /proc's hidepid option). The command name (field 2) is in
 * parentheses and may itself contain spaces and ')', so the fields are counted from the last ')'.
 */
export function readProcessStat(pid: number): { startTime: number; zombie: boolean } | undefined {
  const stat = readTrimmed(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const commandEnd = stat.lastIndexOf(')');
  if (commandEnd < 0) return undefined;
  const fields = stat.slice(commandEnd + 1).trim().split(/\s+/);
  const startTime = fields[START_TIME_FIELD - FIRST_FIELD_AFTER_COMMAND];
  if (startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return { startTime: Number(startTime), zombie: fields[0] === 'Z' };
}

/** The start time of `pid` (see readProcessStat), or undefined when it cannot be read. */
export function processStartTime(pid: number): number | undefined {
  return readProcessStat(pid)?.startTime;
}

/** What identifies the process `pid` now (only its PID where /proc is not available). */
export function identifyProcess(pid: number): ProcessIdentity {
  const bootId = currentBootId();
  const startTime = bootId === undefined ? undefined : processStartTime(pid);
  return { pid, ...(bootId === undefined ? {} : { bootId }), ...(startTime === undefined ? {} : { startTime }) };
}

/**
 * Whether the process `recorded` describes still runs. Of another host (or pid namespace) it cannot be
 * told. Otherwise its PID must be alive and not a zombie's, and every field that both the record and this
 * system know must match: a record from another boot, or whose PID now belongs to a process started at
 * another time, names a process that is gone. A field the record lacks (an older writer, a system without
 * /proc) or this system cannot read (hidepid, or the process exited just now) is not judged: in doubt,
 * the process runs.
 */
export function recordedProcessState(recorded: RecordedProcess): RecordedProcessState {
  if (recorded.host !== undefined && recorded.host !== thisHostId()) return 'other-host';
  // kill(0, 0) or kill(-n, 0) would signal process groups: such a PID is no process's.
  if (!Number.isSafeInteger(recorded.pid) || recorded.pid <= 0 || !isPidAlive(recorded.pid)) return 'gone';
  const bootId = currentBootId();
  if (recorded.bootId !== undefined && bootId !== undefined && recorded.bootId !== bootId) return 'gone';
  const now = readProcessStat(recorded.pid);
  if (now === undefined) return 'running';
  if (now.zombie) return 'gone';
  return recorded.startTime === undefined || recorded.startTime === now.startTime ? 'running' : 'gone';
}

/** Whether the recorded process may still run: it does, or it ran on another host where that cannot be told. */
export function isProcessRunning(recorded: RecordedProcess): boolean {
  return recordedProcessState(recorded) !== 'gone';
}

/** Whether two records name the same process (as far as they tell). */
export function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.pid === b.pid && a.bootId === b.bootId && a.startTime === b.startTime;
}

function isPidAlive(pid: number): boolean {
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
