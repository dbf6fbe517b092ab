// One agent per data dir: the lock file, its takeover when its agent died (also when its PID now names
// another process, or this one, or names a zombie), the sweep of temp files a killed writer left, and the
// token file's secrecy.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { acquireAgentLock, AgentAlreadyRunningError, LOCK_FILE, readAgentLock } from '../../main/agent/server/agent-lock.js';
import { issueApiToken, readApiToken, tokensMatch } from '../../main/agent/server/api-token.js';
import { currentBootId, processStartTime } from '../../main/store/process-identity.js';
import { startZombie } from '../store/process-fixtures.js';
import { tempDir } from './agent-fixtures.js';

/** The boot id and start times come from /proc: Linux only. */
const noProc = currentBootId() === undefined;
const LOCK_WORKER = new URL('./lock-race-worker.js', import.meta.url).pathname;

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

function writeLock(dir: string, holder: { pid: number; bootId?: string; startTime?: number }): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ ...holder, url: 'http://127.0.0.1:5555', startedAt: '2026-01-01T00:00:00Z' }), { mode: 0o600 });
}

function lockHolder(dir: string): { pid: number; startTime?: number } {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; startTime?: number };
}

describe('agent lock and token', () => {
  it('a second agent on the same data dir is refused with the first one\'s pid and address', (t) => {
    const dir = tempDir(t);
    const lock = acquireAgentLock(dir);
    lock.publish('http://127.0.0.1:1234');
    assert.throws(() => acquireAgentLock(dir), (error: unknown) => error instanceof AgentAlreadyRunningError && error.message.includes(`pid ${process.pid}`) && error.message.includes('http://127.0.0.1:1234'));
    assert.deepEqual(readAgentLock(dir)?.url, 'http://127.0.0.1:1234');
    lock.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    assert.equal(readAgentLock(dir), null);
  });

  it('the lock of an agent that died is taken over', (t) => {
    const dir = tempDir(t);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout), url: 'http://127.0.0.1:9', startedAt: new Date().toISOString() }));
    assert.equal(readAgentLock(dir), null, 'clients see no agent');
    const lock = acquireAgentLock(dir);
    assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    lock.release();
  });

  for (const [who, pid] of [['this process', process.pid], ['another live process (pid 1)', 1]] as const) {
    it(`a lock whose pid now names ${who}, started at another time, is stale and taken over`, { skip: noProc }, (t) => {
      const dir = tempDir(t);
      writeLock(dir, { pid, bootId: currentBootId()!, startTime: (processStartTime(pid) ?? 0) + 12_345 });
      assert.equal(readAgentLock(dir), null, 'clients see no agent');
      const lock = acquireAgentLock(dir);
      const held = lockHolder(dir);
      assert.equal(held.pid, process.pid);
      assert.equal(held.startTime, processStartTime(process.pid));
      lock.release();
      assert.equal(existsSync(join(dir, LOCK_FILE)), false);
    });

    it(`a lock from another boot whose pid now names ${who} is stale and taken over`, { skip: noProc }, (t) => {
      const dir = tempDir(t);
      writeLock(dir, { pid, bootId: '00000000-0000-4000-8000-000000000000', startTime: processStartTime(pid) ?? 0 });
      assert.equal(readAgentLock(dir), null, 'clients see no agent');
      acquireAgentLock(dir).release();
    });
  }

  it('a lock whose agent has exited but is not reaped yet (a zombie) is stale and taken over', { skip: noProc }, async (t) => {
    const dir = tempDir(t);
    const zombie = await startZombie(t);
    writeLock(dir, { pid: zombie, bootId: currentBootId()!, startTime: processStartTime(zombie)! });
    assert.equal(readAgentLock(dir), null, 'clients see no agent');
    const lock = acquireAgentLock(dir);
    assert.equal(lockHolder(dir).pid, process.pid);
    lock.release();
  });

  it('a lock without boot id and start time (an older Strata) is judged by its pid alone', (t) => {
    const dir = tempDir(t);
    writeLock(dir, { pid: process.pid });
    assert.equal(readAgentLock(dir)?.pid, process.pid);
    assert.throws(() => acquireAgentLock(dir), AgentAlreadyRunningError);
  });

  it('a lock held by a live agent in another process is refused, and taken over once that process is gone', async (t) => {
    const dir = tempDir(t);
    const holder = spawn(process.execPath, [LOCK_WORKER], { stdio: ['pipe', 'pipe', 'inherit'] });
    t.after(() => holder.kill());
    const answers = createInterface({ input: holder.stdout })[Symbol.asyncIterator]();
    holder.stdin.write(`${dir}\t0\n`);
    assert.deepEqual(JSON.parse((await answers.next()).value as string), { outcome: 'acquired' });
    assert.equal(readAgentLock(dir)?.pid, holder.pid);
    assert.throws(() => acquireAgentLock(dir), (error: unknown) => error instanceof AgentAlreadyRunningError && error.message.includes(`pid ${holder.pid}`));
    holder.stdin.end();
    await once(holder, 'exit');
    assert.equal(readAgentLock(dir), null);
    acquireAgentLock(dir).release();
  });

  it('temp files of the lock and the token left by killed writers are swept by the next agent', (t) => {
    const dir = tempDir(t);
    const dead = deadPid();
    const leftovers = [`${LOCK_FILE}.${dead}-0123456789ab.tmp`, `${LOCK_FILE}.0123456789ab.tmp`, `agent.token.${dead}-0123456789ab.tmp`, 'agent.token.1-0123456789ab.tmp', 'agent.token.0123456789ab.tmp'];
    // A starter that is alive (pid 1 stands for one) may be writing its lock right now: left alone.
    const liveStartersTemp = `${LOCK_FILE}.1-0123456789ab.tmp`;
    for (const name of [...leftovers, liveStartersTemp]) writeFileSync(join(dir, name), 'secret', { mode: 0o600 });
    // An older Strata's lock temp file names no writer: a leftover once older than any write takes.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, `${LOCK_FILE}.0123456789ab.tmp`), anHourAgo, anHourAgo);
    const lock = acquireAgentLock(dir);
    issueApiToken(dir);
    lock.release();
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [liveStartersTemp]);
  });

  it('a garbled lock file counts as stale', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, LOCK_FILE), '{not json');
    acquireAgentLock(dir).release();
  });

  it('the token is fresh at each start, owner-only, and compared in constant time', { skip: process.platform === 'win32' }, (t) => {
    const dir = tempDir(t);
    const first = issueApiToken(dir);
    const second = issueApiToken(dir);
    assert.notEqual(first, second);
    assert.ok(second.length >= 43);
    assert.equal(statSync(join(dir, 'agent.token')).mode & 0o777, 0o600);
    assert.equal(readApiToken(dir), second);
    assert.equal(tokensMatch(second, second), true);
    assert.equal(tokensMatch(first, second), false);
    assert.equal(tokensMatch(`${second}x`, second), false);
    assert.equal(tokensMatch(null, second), false);
  });
});
