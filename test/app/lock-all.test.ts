// The tray's "Lock all" over a real agent: every unlocked encrypted folder is locked (the agent wipes
// its key), folders without encryption are left alone, and a second Lock all has nothing to do; the CLI's
// unlock sessions of those folders end too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockAllFolders } from '../../app/lock-all.js';
import type { StrataApi } from '../../main/api/index.js';
import { sessionFiles, strataCli } from '../cli/crypt-session-fixtures.js';
import { appAgent } from './app-fixtures.js';

async function lockStates(api: StrataApi): Promise<Record<string, string | undefined>> {
  const { folders } = await api.status({});
  return Object.fromEntries(folders.map((f) => [f.name, f.runtime.protections.find((p) => p.kind === 'crypt')?.lock]));
}

test('Lock all locks every unlocked vault and only those', async (t) => {
  const agent = await appAgent(t);
  for (const name of ['Secrets', 'Diary', 'Plain']) mkdirSync(join(agent.root, name));
  for (const name of ['Secrets', 'Diary']) {
    await agent.api.addFolder({ path: join(agent.root, name), name, policy: { crypt: { settings: { vault: name.toLowerCase(), autoLockMinutes: 0 } } } });
    await agent.api.createVault({ folder: name, passphrase: `${name} passphrase` });
    await agent.api.unlockFolder({ folder: name, passphrase: `${name} passphrase` });
  }
  await agent.api.addFolder({ path: join(agent.root, 'Plain'), name: 'Plain' });
  assert.deepEqual(await lockStates(agent.api), { Diary: 'unlocked', Plain: undefined, Secrets: 'unlocked' });

  const first = await lockAllFolders(agent.api);
  assert.deepEqual({ locked: first.locked.sort(), failed: first.failed }, { locked: ['Diary', 'Secrets'], failed: [] });
  assert.deepEqual(await lockStates(agent.api), { Diary: 'locked', Plain: undefined, Secrets: 'locked' });
  assert.deepEqual(await lockAllFolders(agent.api), { locked: [], failed: [] });
});

test("Lock all ends the CLI unlock sessions of every encrypted folder, also one whose key the agent did not hold", async (t) => {
  const agent = await appAgent(t);
  const passFile = join(agent.root, 'pass.txt');
  writeFileSync(passFile, 'shared passphrase\n');
  for (const name of ['Secrets', 'Diary']) {
    mkdirSync(join(agent.root, name));
    await agent.api.addFolder({ path: join(agent.root, name), name, policy: { crypt: { settings: { vault: name.toLowerCase(), autoLockMinutes: 0 } } } });
    await agent.api.createVault({ folder: name, passphrase: 'shared passphrase' });
    const unlocked = await strataCli(agent.dataDir, 'vault', 'unlock', join(agent.root, name), '--passphrase-file', passFile);
    assert.equal(unlocked.code, 0, unlocked.stderr);
  }
  await agent.api.unlockFolder({ folder: 'Secrets', passphrase: 'shared passphrase' });
  assert.equal(sessionFiles(agent.dataDir).length, 2);

  assert.deepEqual(await lockAllFolders(agent.api), { locked: ['Secrets'], failed: [] });
  assert.deepEqual(sessionFiles(agent.dataDir), []);
  // A command that needs the key (a listing does not).
  const read = await strataCli(agent.dataDir, 'files', 'cat', join(agent.root, 'Diary'), 'any.txt');
  assert.equal(read.code, 1);
  assert.match(read.stderr, /the vault of .* is locked: run 'strata vault unlock/);
});
