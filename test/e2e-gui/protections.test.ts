// The filters through the GUI, against a real agent process: an EICAR file dropped into a scanned folder
// by another program shows up in Quarantine and as a threat on the dashboard; a cold file moved by
// "Move cold files now" becomes a stub on disk while the GUI reports its real size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E, openView, screenshot, signedInPage, startAgentProcess } from './gui-harness.js';
import { OLD_FILE_SIZE, moveColdFilesNow, writeOldFile } from './cold-files.js';

const EICAR = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;

test('an EICAR file dropped into a scanned folder is found in Quarantine and counted as a threat', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Downloads');
  mkdirSync(folder);
  const page = await signedInPage(t, agent);
  await openView(page, '#/add', 'Add a protected folder');
  await page.getByLabel('Folder', { exact: true }).fill(folder);
  await page.getByLabel('Scan files written to this folder').check();
  await page.getByLabel('When a threat is found').selectOption('quarantine');
  await page.getByRole('button', { name: 'Add folder' }).click();
  await page.getByRole('heading', { level: 1, name: 'Downloads' }).waitFor();
  await page.getByText('Virus scanning').first().waitFor();
  await page.getByRole('row', { name: /Virus scanning\s+on/ }).waitFor();

  await openView(page, '#/quarantine', 'Quarantine');
  writeFileSync(join(folder, 'eicar.com'), EICAR); // as any other program would
  const row = page.locator('table.events tbody tr').filter({ hasText: 'eicar.com' }).filter({ hasText: 'Quarantined' });
  await row.waitFor({ timeout: 15_000 });
  assert.match(await row.innerText(), /Eicar-Test-Signature/);
  // The filter quarantines the refused copy (the row) before ingest removes the original: a moment apart.
  for (let waited = 0; existsSync(join(folder, 'eicar.com')) && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(existsSync(join(folder, 'eicar.com')), false, 'the infected file does not stay in the folder');
  await screenshot(page, 'quarantine-eicar');

  await page.getByRole('link', { name: 'Folders' }).click();
  const threats = page.locator('.tile').filter({ hasText: 'Threats found' });
  await threats.locator('dd', { hasText: /^1\s*Review$/ }).waitFor();
});

test('"Move cold files now" turns a cold file into a stub, and the GUI shows its real size', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Archive');
  mkdirSync(folder);
  const cold = join(agent.root, 'cold');
  mkdirSync(cold);
  await agent.api.setTier({ name: 'nas', path: cold });
  const added = await agent.api.addFolder({ path: folder, name: 'Archive', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 0, minSizeBytes: 0 } } } });
  const file = join(folder, 'old-report.bin');
  const size = OLD_FILE_SIZE;
  writeOldFile(file);

  const page = await signedInPage(t, agent);
  await openView(page, `#/folders/${added.id}`, 'Archive');
  await moveColdFilesNow(page);
  const row = page.locator('table.events tbody tr').filter({ hasText: 'old-report.bin' }).filter({ hasText: 'Moved to cold storage' });
  await row.waitFor();
  assert.match(await row.innerText(), /256 KiB \(262,144 bytes\) to tier nas/);
  assert.ok(statSync(file).size < size, `on disk the file is now a small stub (${statSync(file).size} bytes)`);
  await screenshot(page, 'folder-after-migration');
});
