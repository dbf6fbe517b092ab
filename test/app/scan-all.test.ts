// The tray's "Scan now" over a real agent: every folder with virus scanning on gets a full scan, the
// others are left alone, and pressing it again while they run joins the running scans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanAllFolders } from '../../app/scan-all.js';
import { appAgent } from './app-fixtures.js';

test('Scan now scans every folder with virus scanning on and only those', async (t) => {
  const agent = await appAgent(t);
  for (const name of ['Inbox', 'Downloads', 'Plain']) {
    mkdirSync(join(agent.root, name));
    writeFileSync(join(agent.root, name, 'note.txt'), `a note in ${name}`);
  }
  for (const name of ['Inbox', 'Downloads']) await agent.api.addFolder({ path: join(agent.root, name), name, policy: { scan: { settings: {} } } });
  await agent.api.addFolder({ path: join(agent.root, 'Plain'), name: 'Plain' });

  const first = await scanAllFolders(agent.api);
  assert.deepEqual({ started: first.started.sort(), failed: first.failed }, { started: ['Downloads', 'Inbox'], failed: [] });
  const scans = (await agent.api.listScans({})).scans;
  assert.deepEqual(scans.map((scan) => scan.folderName).sort(), ['Downloads', 'Inbox']);
  const again = await scanAllFolders(agent.api);
  assert.equal(again.started.length, 2);
  assert.ok((await agent.api.listScans({})).scans.length <= 4);
});

test('Pause from the tray pauses the agent, and Resume resumes it', async (t) => {
  const agent = await appAgent(t);
  const paused = await agent.api.pauseProtection({ minutes: 60 });
  assert.equal((await agent.api.status({})).pause.until, paused.until);
  await agent.api.resumeProtection({});
  assert.equal((await agent.api.status({})).pause.paused, false);
});
