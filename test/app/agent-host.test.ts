// How the desktop app finds its agent: it joins one already running on the data dir (and leaves it
// running on quit), or runs one itself (and stops it on quit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { bringUpAgent } from '../../app/agent-host.js';
import { startAgent } from '../../main/agent/agent-service.js';
import { readAgentLock } from '../../main/agent/server/agent-lock.js';
import { appAgent, tempDir } from './app-fixtures.js';

test('with no agent on the data dir the app runs one, and stopping the app stops it', async (t) => {
  const link = await appAgent(t);
  assert.equal(link.owned, true);
  assert.equal(readAgentLock(link.dataDir)?.url, link.url);
  assert.equal((await link.api.status({})).pid, process.pid);
  await link.stop();
  assert.equal(readAgentLock(link.dataDir), null);
});

test('an agent already running on the data dir is joined, not duplicated, and outlives the app', async (t) => {
  const root = tempDir(t);
  const dataDir = join(root, 'data');
  mkdirSync(join(root, 'media'));
  const agent = await startAgent({ dataDir, version: 'test', verifier: true, mediaRoots: [join(root, 'media')] });
  t.after(() => agent.stop());
  const link = await bringUpAgent(dataDir, 'test');
  assert.equal(link.owned, false);
  assert.equal(link.url, agent.url);
  const folder = join(root, 'Docs');
  mkdirSync(folder);
  await link.api.addFolder({ path: folder });
  assert.equal(agent.core.policy.store.listFolders().length, 1, 'the joined agent did the work');
  await link.stop();
  assert.equal(readAgentLock(dataDir)?.url, agent.url, 'the agent still runs after the app let go');
});
