// The folder's files in Chromium on a real agent process: a symbolic link to a directory, one to a file
// and a named pipe are shown for what they are (in words, with no size), with no action on them and no
// way into the linked directory, while the ordinary file and folder beside them keep theirs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { makeFifo } from '../volumes/host-special-files.js';
import { E2E, openView, screenshot, signedInPage, startAgentProcess } from './gui-harness.js';

const LINK_TO_FOLDER = 'Link to a folder — not followed';
const NOT_OPENED = 'Link, named pipe, socket or device — not opened';

/** The row of the files table whose name cell is exactly `name`. */
function rowOf(page: Page, name: string): Locator {
  return page.locator('table.files tbody tr').filter({ has: page.locator('td:first-child').getByText(name, { exact: true }) });
}

test('links and a named pipe are shown as such in the folder\'s files, with no size, no action and no way into the linked folder', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Mixed');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  mkdirSync(join(agent.root, 'cold'));
  writeFileSync(join(folder, 'real.txt'), 'hello');
  symlinkSync('real.txt', join(folder, 'link-to-file'));
  symlinkSync('sub', join(folder, 'link-to-dir'));
  makeFifo(join(folder, 'pipe'));
  await agent.api.setTier({ name: 'nas', path: join(agent.root, 'cold') });
  const added = await agent.api.addFolder({ path: folder, name: 'Mixed', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } } } });

  const page = await signedInPage(t, agent);
  await openView(page, `#/folders/${added.id}`, 'Mixed');
  // The ordinary entries keep what they had: a file with its size and actions, a folder to open.
  const real = rowOf(page, 'real.txt');
  await real.getByRole('button', { name: 'Keep real.txt local' }).waitFor();
  assert.equal(await real.locator('[title="5 bytes"]').count(), 1);
  assert.equal(await rowOf(page, 'sub/').getByRole('button', { name: 'Open folder sub' }).count(), 1);

  const linkToDir = rowOf(page, 'link-to-dir');
  await linkToDir.getByText(LINK_TO_FOLDER).waitFor();
  for (const name of ['link-to-file', 'pipe']) await rowOf(page, name).getByText(NOT_OPENED).waitFor();
  for (const name of ['link-to-dir', 'link-to-file', 'pipe']) {
    const row = rowOf(page, name);
    assert.equal(await row.getByRole('button').count(), 0, `no action on ${name}, and no way into it`);
    assert.equal(await row.locator('[title$=" bytes"]').count(), 0, `no size for ${name}`);
    assert.doesNotMatch(await row.innerText(), /\bLocal\b|\d+ bytes?\b/, `${name} is not shown as a local file`);
  }
  await screenshot(page, 'folder-files-reparse');
  assert.deepEqual(page.problems, []);
});
