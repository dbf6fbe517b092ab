// The agent as a real process: `strata agent --json` prints one line with its loopback URL and an
// authenticated GUI link; one agent per data dir; the CLI talks to it; unauthenticated requests get 401
// and no data; SIGTERM stops it cleanly and a SIGKILLed agent's lock is taken over at the next start.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Folder } from '../../main/api/index.js';
import { spawnAgent, strata, strataJson, tempDir } from './agent-process.js';

describe('agent process', () => {
  it('prints one JSON line with its url and a ui link that signs in; refuses a second agent on the data dir', async (t) => {
    const dataDir = join(tempDir(t), 'data');
    const agent = await spawnAgent(t, dataDir);
    assert.match(agent.ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(agent.ready.ui, `${agent.ready.url}/#token=${encodeURIComponent(agent.token)}`, 'the token rides in the fragment, which no browser sends');
    assert.equal(agent.ready.pid, agent.child.pid);
    const landing = await fetch(agent.ready.ui, { redirect: 'manual' });
    assert.equal(landing.status, 200);
    assert.equal(landing.headers.get('set-cookie'), null);

    const second = strata(['agent', '--json'], dataDir);
    assert.equal(second.status, 1);
    assert.match(second.stderr, new RegExp(`another Strata agent \\(pid ${agent.child.pid}, at ${agent.ready.url.replace(/[.]/g, '\\.')}\\)`));
    assert.equal(second.stdout, '');
  });

  it('unauthenticated and wrong-token requests are refused with 401 and no data', async (t) => {
    const root = tempDir(t);
    const agent = await spawnAgent(t, join(root, 'data'));
    await agent.api.addFolder({ path: tempDir(t), name: 'Private' });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${agent.token}x`]) {
      const response = await fetch(`${agent.ready.url}/api/listFolders`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: '{}' });
      assert.equal(response.status, 401);
      const text = await response.text();
      assert.doesNotMatch(text, /Private/);
      assert.equal(JSON.parse(text).error.code, 'unauthorized');
    }
  });

  it('the CLI goes through the running agent, which reports live state; without an agent it works in-process', async (t) => {
    const root = tempDir(t);
    const dataDir = join(root, 'data');
    const folderPath = tempDir(t);
    const offline = strataJson<Folder>(['folder', 'add', folderPath, '--name', 'Docs'], dataDir);
    assert.equal(offline.runtime, null, 'no agent: the policy is stored, nothing runs');
    const agent = await spawnAgent(t, dataDir);
    const shown = strataJson<Folder>(['folder', 'show', 'Docs'], dataDir);
    assert.equal(shown.runtime?.state, 'running');
    const other = tempDir(t);
    strataJson<Folder>(['folder', 'add', other, '--name', 'Other'], dataDir);
    const events = strataJson<{ events: Array<{ action: string; folderName: string | null }> }>(['events', '--folder', 'Other'], dataDir);
    assert.deepEqual(events.events.map((e) => e.action).sort(), ['folder-added', 'folder-mounted']);
    assert.equal((await agent.api.getFolder({ folder: 'Other' })).runtime?.state, 'running', 'the agent mounted the folder the CLI added');
    assert.equal(await agent.stop(), 0, 'SIGTERM stops the agent cleanly');
    assert.equal(existsSync(join(dataDir, 'agent.lock')), false);
    assert.equal(existsSync(join(dataDir, 'agent.token')), false);
    const list = strataJson<{ folders: Folder[] }>(['folder', 'list'], dataDir);
    assert.deepEqual(list.folders.map((f) => [f.name, f.runtime]), [['Docs', null], ['Other', null]]);
  });

  it("a SIGKILLed agent's lock is taken over by the next one", async (t) => {
    const dataDir = join(tempDir(t), 'data');
    const first = await spawnAgent(t, dataDir);
    await first.kill9();
    assert.equal(existsSync(join(dataDir, 'agent.lock')), true, 'the dead agent left its lock');
    const second = await spawnAgent(t, dataDir);
    assert.notEqual(second.ready.url, first.ready.url);
    assert.deepEqual((await second.api.status({})).pid, second.child.pid);
  });
});
