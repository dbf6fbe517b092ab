// Who writes a temporary file: temporary names carry their writer's tag (host, process id, and a random id
// of the process's run), so that a sweep after a crash removes the leftovers of writers that are gone and
// never the file of a save still under way in another process (a CLI command beside the agent, two agents
// sharing a tier). Shared by the crypt filter's saves, the HSM tier's puts and the signature library's imports.

import { createHash, randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * A temporary name without a writer's tag was written by a Strata from before tags: it counts as a
 * leftover once nobody has written to it for this long (a live writer of that kind writes steadily).
 */
export const UNTAGGED_TEMP_AGE_MS = 24 * 60 * 60 * 1000;

const TAG = /^([0-9a-f]{8})-([1-9][0-9]{0,9})-([0-9a-f]{8})(?=$|[^0-9a-f])/;

const thisRun = randomBytes(4).toString('hex');
let thisHost: string | null = null;

/**
 * This machine and process-id namespace: process ids mean something only there. A container with a pid
 * namespace of its own is another host, even if it shares the folder and the host name.
 */
function hostId(): string {
  if (thisHost === null) {
    let namespace = '';
    try {
      namespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // No /proc (macOS, Windows): the host name alone.
    }
    thisHost = createHash('sha256').update(hostname()).update('\0').update(namespace).digest('hex').slice(0, 8);
  }
  return thisHost;
}

/** This process's tag for temporary names: "<host>-<pid>-<run>" (8 hex, decimal, 8 hex). */
export function tempOwnerTag(): string {
  return `${hostId()}-${process.pid}-${thisRun}`;
}

export type TempOwnerState =
  /** This process, this run: its own temporary file, possibly in use. */
  | 'this-run'
  /** A live process of this host (or one that now has the writer's pid): kept. */
  | 'alive'
  /** The writer has ended: a leftover. */
  | 'gone'
  /** Another host, or no tag: whether the writer lives cannot be told from here. */
  | 'unknown';

/** The state of the writer whose tag starts `tagged` (the part of a temporary name from the tag on). */
export function tempOwnerState(tagged: string): TempOwnerState {
  const match = TAG.exec(tagged);
  if (match === null) return 'unknown';
  const [, host, pidText, run] = match;
  if (host !== hostId()) return 'unknown';
  const pid = Number(pidText);
  // Our own pid under another run id: the earlier process that had it is over (we are alive with it).
  if (pid === process.pid) return run === thisRun ? 'this-run' : 'gone';
  return processExists(pid) ? 'alive' : 'gone';
}

/**
 * Whether a temporary file is a leftover nobody can be writing: its tag names a writer that is gone, or it
 * has no tag and has not been written for UNTAGGED_TEMP_AGE_MS. A temporary file of another host is kept.
 */
export function isLeftoverTemp(tagged: string, lastWriteMs: number, now = Date.now()): boolean {
  if (TAG.test(tagged)) return tempOwnerState(tagged) === 'gone';
  return now - lastWriteMs > UNTAGGED_TEMP_AGE_MS;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
