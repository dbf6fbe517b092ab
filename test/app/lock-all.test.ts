// The tray's "Lock all" over a real agent: every unlocked encrypted folder is locked (the agent wipes
// its key), folders without encryption are left alone, and a second Lock all has nothing to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { lockAllFolders } from '../../app/lock-all.js';
import type { StrataApi } from '../../main/api/index.js';
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
