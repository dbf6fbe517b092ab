// One agent per data dir: the lock file, its takeover when its agent died, and the token file's secrecy.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { acquireAgentLock, AgentAlreadyRunningError, LOCK_FILE, readAgentLock } from '../../main/agent/server/agent-lock.js';
import { issueApiToken, readApiToken, tokensMatch } from '../../main/agent/server/api-token.js';
import { tempDir } from './agent-fixtures.js';

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
