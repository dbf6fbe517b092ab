// The agent and the CLI's unlock sessions (`strata vault unlock` leaves the vault key in the data dir):
// the agent removes ended sessions at start and while it runs, a lock through the agent (its API, the
// auto-lock) ends the folder's CLI session, so the next CLI command needs the passphrase again, and
// `strata vault lock` wipes the running agent's key too.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { sessionFileOf, sessionFiles, strataCli, writeSession } from '../cli/crypt-session-fixtures.js';
import { eventually } from '../e2e/agent-process.js';
import { tempDir, type Cleanup } from './agent-fixtures.js';
import { runningAgent } from './running-agent.js';

const PASSPHRASE = 'a long passphrase';

/** A running agent with an encrypted folder 'Secret' (vault created), and a passphrase file. */
async function agentWithVault(t: Cleanup, autoLockMinutes = 0) {
  const running = await runningAgent(t);
  const agent = Object.assign(running, { api: createHttpClient({ baseUrl: running.url, token: running.token }) as StrataApi });
  const root = tempDir(t);
  const folder = join(root, 'secret');
  mkdirSync(folder);
  const passFile = join(root, 'pass.txt');
  writeFileSync(passFile, `${PASSPHRASE}\n`);
  await agent.api.addFolder({ path: folder, name: 'Secret', policy: { crypt: { settings: { vault: 'secret', autoLockMinutes } } } });
  await agent.api.createVault({ folder: 'Secret', passphrase: PASSPHRASE });
  return { agent, folder, passFile };
}

const lockOf = async (api: StrataApi) => (await api.getFolder({ folder: 'Secret' })).runtime?.protections.find((p) => p.kind === 'crypt')?.lock;

/** `strata vault unlock` (a CLI session), checked to serve a command without a passphrase. */
async function cliUnlock(dataDir: string, folder: string, passFile: string): Promise<void> {
  const unlocked = await strataCli(dataDir, 'vault', 'unlock', folder, '--passphrase-file', passFile, '--minutes', '30');
  assert.equal(unlocked.code, 0, unlocked.stderr);
  assert.deepEqual(sessionFiles(dataDir).length, 1);
  // A command that needs the key (a listing does not): the session serves it.
  const put = await strataCli(dataDir, 'files', 'put', folder, 'session-probe.txt', passFile);
  assert.equal(put.code, 0, `the session serves a command: ${put.stderr}`);
}

async function assertNeedsPassphrase(dataDir: string, folder: string): Promise<void> {
  assert.deepEqual(sessionFiles(dataDir), [], 'the session file is gone');
  const read = await strataCli(dataDir, 'files', 'cat', folder, 'session-probe.txt');
  assert.equal(read.code, 1);
  assert.match(read.stderr, /the vault of .* is locked: run 'strata vault unlock/);
}

describe('the agent and the CLI unlock sessions', () => {
  it('the agent removes ended sessions (expired, of another boot) at start, and keeps live ones', async (t) => {
    const dataDir = join(tempDir(t), 'data');
    writeSession(dataDir, '/expired', { expiresInMinutes: -1 });
    writeSession(dataDir, '/other-boot', { expiresInMinutes: 10, bootId: '00000000-0000-0000-0000-000000000000' });
    writeSession(dataDir, '/live', { expiresInMinutes: 10 });
    await runningAgent(t, { dataDir });
    assert.deepEqual(sessionFiles(dataDir), [sessionFileOf(dataDir, '/live').split('/').pop()]);
  });

  it('the agent removes a session that ended while it runs', async (t) => {
    const agent = await runningAgent(t, { sessionSweepMs: 50 });
    writeSession(agent.dataDir, '/live', { expiresInMinutes: 10 });
    writeSession(agent.dataDir, '/expired', { expiresInMinutes: -1 });
    await eventually(() => sessionFiles(agent.dataDir).length === 1, 'the expired session to go');
    assert.deepEqual(sessionFiles(agent.dataDir), [sessionFileOf(agent.dataDir, '/live').split('/').pop()]);
  });

  it("locking a folder through the agent ends its CLI session; the next CLI command needs the passphrase", async (t) => {
    const { agent, folder, passFile } = await agentWithVault(t);
    await agent.api.unlockFolder({ folder: 'Secret', passphrase: PASSPHRASE });
    await cliUnlock(agent.dataDir, folder, passFile);
    await agent.api.lockFolder({ folder: 'Secret' });
    assert.equal(await lockOf(agent.api), 'locked');
    await assertNeedsPassphrase(agent.dataDir, folder);
  });

  it("locking a folder the agent holds locked already still ends its CLI session", async (t) => {
    const { agent, folder, passFile } = await agentWithVault(t);
    await cliUnlock(agent.dataDir, folder, passFile);
    await agent.api.lockFolder({ folder: 'Secret' });
    await assertNeedsPassphrase(agent.dataDir, folder);
  });

  it("the auto-lock ends the folder's CLI session", async (t) => {
    const { agent, folder, passFile } = await agentWithVault(t, 60);
    await agent.api.unlockFolder({ folder: 'Secret', passphrase: PASSPHRASE });
    await cliUnlock(agent.dataDir, folder, passFile);
    // The crypt protection's job is its auto-lock: run now, as its idle timer would.
    await agent.api.runJobs({ folder: 'Secret', protection: 'crypt' });
    assert.equal(await lockOf(agent.api), 'locked');
    await assertNeedsPassphrase(agent.dataDir, folder);
  });

  it("`strata vault lock` ends the CLI session and wipes the running agent's key", async (t) => {
    const { agent, folder, passFile } = await agentWithVault(t);
    await agent.api.unlockFolder({ folder: 'Secret', passphrase: PASSPHRASE });
    await cliUnlock(agent.dataDir, folder, passFile);
    const locked = await strataCli(agent.dataDir, '--json', 'vault', 'lock', folder);
    assert.equal(locked.code, 0, locked.stderr);
    assert.equal(await lockOf(agent.api), 'locked');
    assert.deepEqual(JSON.parse(locked.stdout), { folder, wasUnlocked: true, sessionEnded: true, agentLocked: true });
    await assertNeedsPassphrase(agent.dataDir, folder);
  });
});
