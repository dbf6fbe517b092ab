// Encrypting a folder that already holds files, watched in the GUI against a real agent process: once the
// vault exists every file there is taken in again through the stack (encrypted in place), the folder page
// shows it as a progress bar that moves while it runs, and at the end every file on disk is an age file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E, openView, screenshot, signedInPage, startAgentProcess } from './gui-harness.js';

const FILES = 80;
const AGE_MAGIC = 'age-encryption.org/v1\n';

test('encrypting a folder that already holds files shows its progress on the folder page until every file is an age file', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Letters');
  mkdirSync(folder);
  for (let i = 0; i < FILES; i++) writeFileSync(join(folder, `letter-${String(i).padStart(3, '0')}.txt`), Buffer.alloc(512 * 1024, 65 + (i % 26)));
  const added = await agent.api.addFolder({ path: folder, name: 'Letters', policy: { crypt: { settings: { vault: 'letters', autoLockMinutes: 0 } } } });

  const page = await signedInPage(t, agent);
  await openView(page, `#/folders/${added.id}`, 'Letters');
  await agent.api.createVault({ folder: added.id, passphrase: 'correct horse battery staple' });
  const bar = page.getByRole('progressbar', { name: 'Encrypting the files in this folder' });
  await bar.waitFor({ timeout: 30_000 });
  await screenshot(page, 'folder-encrypting');
  const words = await page.locator('.progress-words').first().innerText();
  assert.match(words, /^\d+ of \d+ files/, words);
  await bar.waitFor({ state: 'detached', timeout: 120_000 });

  const row = page.getByRole('row', { name: /Files taken in/ });
  await row.filter({ hasText: /, 0 waiting, 0 failed/ }).waitFor();
  const names = readdirSync(folder).filter((name) => name.startsWith('letter-'));
  assert.equal(names.length, FILES);
  for (const name of names) assert.equal(readFileSync(join(folder, name)).subarray(0, AGE_MAGIC.length).toString(), AGE_MAGIC, `${name} is an age file on disk`);
  assert.deepEqual(page.problems, []);
});
