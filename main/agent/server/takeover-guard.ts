// The mutex under which a dead agent's lock file is taken over: an exclusive transaction on a small
// SQLite database beside the lock (`agent.lock.takeover`). SQLite's locks are the operating system's
// file locks (fcntl, LockFileEx), which the kernel drops when their process dies, so a starter that dies
// while holding the guard never leaves it stale: unlike a guard file, nothing has to be taken over.
// Node has no flock in core; better-sqlite3 is already how the agent reaches SQLite.

import Database from 'better-sqlite3';

/** How long a starter waits for another one's takeover; a takeover itself takes a few file operations. */
const GUARD_WAIT_MS = 10_000;

export class TakeoverGuardBusyError extends Error {
  override readonly name = 'TakeoverGuardBusyError';
  constructor(readonly guardPath: string) {
    super(`could not take over the agent lock: another starting agent held ${guardPath} for more than ${GUARD_WAIT_MS / 1000} s`);
  }
}

/** Runs `fn` while no other process runs it for the same `guardPath`. */
export function withTakeoverGuard<T>(guardPath: string, fn: () => T): T {
  const db = new Database(guardPath, { timeout: GUARD_WAIT_MS });
  try {
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new TakeoverGuardBusyError(guardPath);
      throw error;
    }
    try {
      return fn();
    } finally {
      db.exec('COMMIT');
    }
  } finally {
    db.close();
  }
}
