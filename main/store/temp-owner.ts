// Who writes a temporary file: temporary names carry their writer's tag (host, process id, and a random id
// of the process's run), so that a sweep after a crash removes the leftovers of writers that are gone and
// never the file of a save still under way in another process (a CLI command beside the agent, two agents
// sharing a tier). Shared by the crypt filter's saves, the HSM tier's puts, the signature library's imports
// and the agent's private files. Whether a tag's writer still runs is judged by process-identity.ts.

import { randomBytes } from 'node:crypto';
import { recordedProcessState, thisHostId } from './process-identity.js';

/**
 * A temporary name without a writer's tag was written by a Strata from before tags: it counts as a
 * leftover once nobody has written to it for this long (a live writer of that kind writes steadily).
 */
export const UNTAGGED_TEMP_AGE_MS = 24 * 60 * 60 * 1000;

/** A writer's tag ("<host>-<pid>-<run>"), for names that embed one among other parts. */
export const TEMP_OWNER_TAG = /[0-9a-f]{8}-[1-9][0-9]{0,9}-[0-9a-f]{8}/;

const TAG = new RegExp(`^(${TEMP_OWNER_TAG.source})(?=$|[^0-9a-f])`);

const thisRun = randomBytes(4).toString('hex');

/** This process's tag for temporary names: "<host>-<pid>-<run>" (8 hex, decimal, 8 hex). */
export function tempOwnerTag(): string {
  return `${thisHostId()}-${process.pid}-${thisRun}`;
}

export type TempOwnerState =
  /** This process, this run: its own temporary file, possibly in use. */
  | 'this-run'
  /** A live process of this host (or one that now has the writer's pid): kept. */
  | 'alive'
  /** The writer has ended (a zombie has too): a leftover. */
  | 'gone'
  /** Another host, or no tag: whether the writer lives cannot be told from here. */
  | 'unknown';

/** The state of the writer whose tag starts `tagged` (the part of a temporary name from the tag on). */
export function tempOwnerState(tagged: string): TempOwnerState {
  const tag = TAG.exec(tagged)?.[1];
  if (tag === undefined) return 'unknown';
  const [host, pidText, run] = tag.split('-') as [string, string, string];
  const pid = Number(pidText);
  const writer = recordedProcessState({ host, pid });
  if (writer === 'other-host') return 'unknown';
  // Our own pid under another run id: the earlier process that had it is over (we are alive with it).
  if (pid === process.pid) return run === thisRun ? 'this-run' : 'gone';
  return writer === 'running' ? 'alive' : 'gone';
}

/**
 * Whether a temporary file is a leftover nobody can be writing: its tag names a writer that is gone, or it
 * has no tag and has not been written for UNTAGGED_TEMP_AGE_MS. A temporary file of another host is kept.
 */
export function isLeftoverTemp(tagged: string, lastWriteMs: number, now = Date.now()): boolean {
  if (TAG.test(tagged)) return tempOwnerState(tagged) === 'gone';
  return now - lastWriteMs > UNTAGGED_TEMP_AGE_MS;
}
