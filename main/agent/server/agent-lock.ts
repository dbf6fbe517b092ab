// One agent per data dir: a lock file holding the agent's PID (and, once it listens, its URL). A second
// agent is refused with the first one's PID and address; a lock left by a dead agent is taken over.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writePrivateFileAtomic } from './private-file.js';

export const LOCK_FILE = 'agent.lock';

const LockInfo = z.object({ pid: z.int().min(1), url: z.string().nullable(), startedAt: z.string() });
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

export function acquireAgentLock(dataDir: string, pid = process.pid): AgentLock {
  const path = join(dataDir, LOCK_FILE);
  const info: AgentLockInfo = { pid, url: null, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(info));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = readLockFile(path);
      if (holder !== null && isAlive(holder.pid)) throw new AgentAlreadyRunningError(holder, path);
      // Stale: move it aside rather than delete, so two agents starting together cannot both take over.
      try {
        renameSync(path, `${path}.stale-${pid}`);
        unlinkSync(`${path}.stale-${pid}`);
      } catch {
        // another starter moved it first; the next attempt decides
      }
    }
  }
  return {
    path,
    publish: (url) => writePrivateFileAtomic(path, JSON.stringify({ ...info, url })),
    release: () => {
      if (readLockFile(path)?.pid === pid) unlinkSync(path);
    },
  };
}

/** The running agent of `dataDir`, or null when none runs (no lock, or a dead agent's lock). */
export function readAgentLock(dataDir: string): AgentLockInfo | null {
  const info = readLockFile(join(dataDir, LOCK_FILE));
  return info !== null && isAlive(info.pid) ? info : null;
}

function readLockFile(path: string): AgentLockInfo | null {
  try {
    const parsed = LockInfo.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
