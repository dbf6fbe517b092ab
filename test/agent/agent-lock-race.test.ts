// Agents starting at the same moment on one data dir, as real processes: in every round exactly one
// takes the lock and the others are refused with "another agent is running" (never a raw fs error),
// whether the lock left there is a dead agent's, garbled, or absent.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { LOCK_FILE } from '../../main/agent/server/agent-lock.js';
import { tempDir } from './agent-fixtures.js';

const WORKER = new URL('./lock-race-worker.js', import.meta.url).pathname;
const WORKERS = 3;
const ROUNDS = 60;
/** Far enough ahead that every worker has read the round before the start time. */
const BARRIER_MS = 30;

interface Answer {
  outcome: 'acquired' | 'refused' | 'error';
  detail?: string;
}

function startWorker(): { child: ChildProcessWithoutNullStreams; next(): Promise<Answer> } {
  const child = spawn(process.execPath, [WORKER]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    next: async () => {
      const line = await lines.next();
      if (line.done === true) throw new Error('a lock race worker exited early');
      return JSON.parse(line.value) as Answer;
    },
  };
}

it('agents racing for one data dir: exactly one takes the lock in every round, the others are refused', { timeout: 60_000 }, async (t) => {
  const root = tempDir(t, 'strata-lock-race-');
  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const workers = Array.from({ length: WORKERS }, startWorker);
  t.after(() => workers.forEach(({ child }) => child.stdin.end()));
  const failures: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const dataDir = join(root, `round-${round}`);
    const left = ['a dead agent\'s lock', 'a garbled lock', 'no lock'][round % 3]!;
    mkdirSync(dataDir);
    if (left === 'a dead agent\'s lock') writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: dead, url: null, startedAt: new Date().toISOString() }));
    if (left === 'a garbled lock') writeFileSync(join(dataDir, LOCK_FILE), '{"pid": 1');
    const startAt = Date.now() + BARRIER_MS;
    for (const { child } of workers) child.stdin.write(`${dataDir}\t${startAt}\n`);
    const answers = await Promise.all(workers.map((worker) => worker.next()));
    const acquired = answers.filter((a) => a.outcome === 'acquired').length;
    const errors = answers.filter((a) => a.outcome === 'error').map((a) => a.detail);
    if (acquired !== 1 || errors.length > 0) failures.push(`round ${round} (${left}): ${acquired} acquired${errors.length > 0 ? `; raw errors: ${errors.join(' | ')}` : ''}`);
    const leftovers = readdirSync(dataDir).filter((name) => name !== LOCK_FILE && name !== `${LOCK_FILE}.takeover`);
    if (leftovers.length > 0) failures.push(`round ${round} (${left}): left behind ${leftovers.join(', ')}`);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${ROUNDS} rounds went wrong`);
});
