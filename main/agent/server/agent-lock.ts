// One agent per data dir: a lock file holding the agent's PID (and, once it listens, its URL). A second
// agent is refused with the first one's PID and address; a lock left by a dead agent is taken over.
// "Dead" is judged by main/store/process-identity.ts: on Linux the lock also records the boot id and the
// agent's start time, so a lock whose PID was reused (after a reboot or a wrap-around, by any process or
// by the starting agent itself), or names a zombie, is stale too; without /proc (macOS, Windows), or for a
// lock written by an older Strata without them, only the PID is judged, as before.
//
// The lock file appears whole (written to a temporary file, then hard-linked into place, which fails if
// the lock exists), so a lock that cannot be read is garbage, never one being written. Taking over a
// dead agent's lock happens under a separate guard (takeover-guard.ts): the holder is read again there
// and only a lock still stale is removed, so two starters cannot both take it over, nor can one remove
// the fresh lock of the other. The agent holding the lock sweeps the lock's temp files that dead
// writers left behind (temp-files.ts).

import { readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { identifyProcess, isProcessRunning, sameProcess } from '../../store/process-identity.js';
import { linkNewPrivateFile, writePrivateFileAtomic } from './private-file.js';
import { withTakeoverGuard } from './takeover-guard.js';
import { sweepTempLeftovers } from './temp-files.js';

export const LOCK_FILE = 'agent.lock';

const LockInfo = z.object({
  pid: z.int().min(1),
  /** Absent where /proc is not available, and in locks of older Strata versions (main/store/process-identity.ts). */
  bootId: z.string().min(1).optional(),
  startTime: z.int().min(0).optional(),
  url: z.string().nullable(),
  startedAt: z.string(),
});
export type AgentLockInfo = z.infer<typeof LockInfo>;

export class AgentAlreadyRunningError extends Error {
  override readonly name = 'AgentAlreadyRunningError';
  constructor(readonly info: AgentLockInfo, lockPath: string) {
    super(
      `another Strata agent (pid ${info.pid}${info.url === null ? '' : `, at ${info.url}`}) is running on this data dir; ` +
        `stop it first, or if no agent runs, delete ${lockPath}`,
    );
  }
}

export interface AgentLock {
  readonly path: string;
  /** Records where the agent listens, for clients to find it. */
  publish(url: string): void;
  /** Removes the lock if it is still ours. */
  release(): void;
}

/** A lock that keeps changing under us this many times in a row is an error, not a loop. */
const MAX_ATTEMPTS = 5;

export function acquireAgentLock(dataDir: string, pid = process.pid): AgentLock {
  const path = join(dataDir, LOCK_FILE);
  const info: AgentLockInfo = { ...identifyProcess(pid), url: null, startedAt: new Date().toISOString() };
  const content = JSON.stringify(info);
  for (let attempt = 1; ; attempt++) {
    if (linkNewPrivateFile(path, content)) break;
    const holder = readLockFile(path);
    // A holder that is this very process (same PID and start time) is a real conflict: a second start
    // in one process.
    if (holder !== null && isProcessRunning(holder)) throw new AgentAlreadyRunningError(holder, path);
    if (takeOverStaleLock(path, content)) break;
    if (attempt === MAX_ATTEMPTS) throw new Error(`could not take ${path}: other starters kept taking and dropping it (${MAX_ATTEMPTS} tries)`);
  }
  const lock: AgentLock = {
    path,
    publish: (url) => writePrivateFileAtomic(path, JSON.stringify({ ...info, url })),
    release: () => {
      const holder = readLockFile(path);
      if (holder !== null && sameProcess(holder, info)) unlinkSync(path);
    },
  };
  try {
    sweepTempLeftovers(dataDir, { target: LOCK_FILE });
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}

/**
 * Under the takeover guard: if the lock is still stale (another starter may have taken it over
 * meanwhile), removes it and creates ours. False when the lock was gone and taken by a starter that is
 * gone too (the caller looks again); throws when a live agent holds it.
 */
function takeOverStaleLock(path: string, content: string): boolean {
  return withTakeoverGuard(`${path}.takeover`, () => {
    const holder = readLockFile(path);
    if (holder !== null && isProcessRunning(holder)) throw new AgentAlreadyRunningError(holder, path);
    // Only takeovers remove a lock that is not their own, and they run one at a time: what was read
    // stale just now is still what lies there.
    rmSync(path, { force: true });
    if (linkNewPrivateFile(path, content)) return true;
    // A starter that found no lock at all created one between the removal and our create.
    const winner = readLockFile(path);
    if (winner !== null && isProcessRunning(winner)) throw new AgentAlreadyRunningError(winner, path);
    return false;
  });
}

/** The running agent of `dataDir`, or null when none runs (no lock, or a dead agent's lock). */
export function readAgentLock(dataDir: string): AgentLockInfo | null {
  const info = readLockFile(join(dataDir, LOCK_FILE));
  return info !== null && isProcessRunning(info) ? info : null;
}

function readLockFile(path: string): AgentLockInfo | null {
  try {
    const parsed = LockInfo.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
