// The GUI's operations on a real agent process in Chromium: an EICAR file dropped into a folder is
// found in Quarantine and restored (confirmation by keyboard only; the "exists" case offers Replace),
// a migrated file is shown as a stub at its real size in the folder's files and pinned/unpinned there,
// a folder scan is started and cancelled, and protection is paused and resumed from the dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2E, openView, screenshot, signedInPage, startAgentProcess } from './gui-harness.js';
import { OLD_FILE_SIZE, moveColdFilesNow, writeOldFile } from './cold-files.js';

const EICAR = String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`;

async function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return (element?.innerText || element?.closest('label')?.textContent || '').trim();
  });
}

async function tabTo(page: Page, text: string): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusedText(page)) === text) return;
  }
  throw new Error(`Tab never reached "${text}"`);
}

test('an EICAR file dropped into a folder is found in Quarantine and restored by keyboard; a name taken meanwhile is offered for replacing', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Downloads');
  mkdirSync(folder);
  await agent.api.addFolder({ path: folder, name: 'Downloads', policy: { scan: { settings: { action: 'quarantine' } } } });
  const page = await signedInPage(t, agent);
  await openView(page, '#/quarantine', 'Quarantine');
  await page.getByText('The quarantine is empty.').waitFor();

  writeFileSync(join(folder, 'eicar.com'), EICAR); // as any other program would
  const row = page.locator('table.quarantine tbody tr').filter({ hasText: 'eicar.com' });
  await row.waitFor({ timeout: 15_000 });
  assert.match(await row.innerText(), /Downloads\s+Eicar-Test-Signature/);
  await page.waitForFunction(() => true);
  assert.equal(existsSync(join(folder, 'eicar.com')), false);

  // Keyboard only: the Restore button, the dialog (Cancel has the focus), the box, Restore.
  await row.getByRole('button', { name: 'Restore eicar.com…' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Restore eicar.com?' });
  await dialog.waitFor();
  assert.equal(await focusedText(page), 'Cancel', 'the safe choice has the focus');
  assert.equal(await dialog.getByRole('button', { name: 'Restore', exact: true }).isDisabled(), true, 'nothing restores before the box is ticked');
  await screenshot(page, 'quarantine-restore-dialog');
  await tabTo(page, 'I understand that this file is infected and I want it back');
  await page.keyboard.press('Space');
  await tabTo(page, 'Restore');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await page.getByText(`Restored to ${join(folder, 'eicar.com')}.`).waitFor();
  await page.getByText('The quarantine is empty.').waitFor();
  assert.equal(readFileSync(join(folder, 'eicar.com'), 'utf8'), EICAR);
  await page.waitForTimeout(2500);
  assert.ok(existsSync(join(folder, 'eicar.com')), 'the restored file stays restored');
  assert.equal((await agent.api.listQuarantine({})).items.length, 0);

  // A second threat, and a clean file takes its name before it is restored.
  writeFileSync(join(folder, 'b.com'), EICAR);
  const second = page.locator('table.quarantine tbody tr').filter({ hasText: 'b.com' });
  await second.waitFor({ timeout: 15_000 });
  for (let i = 0; i < 100 && existsSync(join(folder, 'b.com')); i++) await page.waitForTimeout(50);
  writeFileSync(join(folder, 'b.com'), 'mine');
  await second.getByRole('button', { name: 'Restore b.com…' }).click();
  const again = page.getByRole('dialog', { name: 'Restore b.com?' });
  await again.getByLabel('I understand that this file is infected and I want it back').check();
  await again.getByRole('button', { name: 'Restore', exact: true }).click();
  await again.getByText('A file named b.com is already there.').waitFor();
  await screenshot(page, 'quarantine-restore-exists');
  assert.equal(readFileSync(join(folder, 'b.com'), 'utf8'), 'mine', 'nothing is replaced without asking');
  await again.getByRole('button', { name: 'Replace the existing file' }).click();
  await again.waitFor({ state: 'detached' });
  assert.equal(readFileSync(join(folder, 'b.com'), 'utf8'), EICAR);

  // Delete, confirmed by keyboard.
  writeFileSync(join(folder, 'c.com'), EICAR);
  const third = page.locator('table.quarantine tbody tr').filter({ hasText: 'c.com' });
  await third.waitFor({ timeout: 15_000 });
  await third.getByRole('button', { name: 'Delete c.com…' }).focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete c.com for good?' });
  await confirm.waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await focusedText(page), 'Delete for good');
  await page.keyboard.press('Enter');
  await confirm.waitFor({ state: 'detached' });
  await page.getByText('Deleted c.com for good.').waitFor();
  assert.equal((await agent.api.listQuarantine({})).items.length, 0);
  // The browser logs the agent's 409 answer to the first restore of b.com; that refusal is the point.
  assert.deepEqual(page.problems.filter((p) => !/status of 409/.test(p)), []);
});

test('a migrated file is shown as a stub with its real size; Keep local brings it back and pins it; Unpin lets it go', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Archive');
  mkdirSync(join(folder, 'reports'), { recursive: true });
  mkdirSync(join(agent.root, 'cold'));
  await agent.api.setTier({ name: 'nas', path: join(agent.root, 'cold') });
  const added = await agent.api.addFolder({ path: folder, name: 'Archive', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } } } });
  const file = join(folder, 'reports', 'old-report.bin');
  const size = OLD_FILE_SIZE;
  writeOldFile(file);

  const page = await signedInPage(t, agent);
  await openView(page, `#/folders/${added.id}`, 'Archive');
  await moveColdFilesNow(page);
  assert.ok(statSync(file).size < size, 'on disk it is a small stub');
  await page.getByRole('button', { name: 'Open folder reports' }).click();
  const row = page.locator('table.files tbody tr').filter({ hasText: 'old-report.bin' });
  await row.filter({ hasText: 'In cold storage (stub)' }).waitFor();
  assert.match(await row.innerText(), /256 KiB/);
  assert.equal(await row.locator('[title="262,144 bytes"]').count(), 1, 'the exact real size too');
  const cold = page.getByRole('region', { name: 'Cold storage' });
  await cold.getByText('256 KiB').first().waitFor();
  await screenshot(page, 'folder-files-stub');

  await row.getByRole('button', { name: 'Keep reports/old-report.bin local' }).click();
  await row.filter({ hasText: 'Pinned' }).waitFor();
  assert.match(await row.innerText(), /Local/);
  assert.equal(statSync(file).size, size, 'brought back in full');
  await cold.getByText('Pinned (always kept local): reports/old-report.bin').waitFor();
  await row.getByRole('button', { name: 'Unpin reports/old-report.bin' }).click();
  await cold.getByText('Nothing is pinned.').waitFor();
  assert.deepEqual((await agent.api.coldStorageStatus({ folder: 'Archive' })).pinned, []);
  assert.deepEqual(page.problems, []);
});

test('a folder scan is started from Scans, shows its progress, and is cancelled', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Big');
  mkdirSync(folder);
  for (let i = 0; i < 120; i++) writeFileSync(join(folder, `part-${String(i).padStart(3, '0')}.bin`), Buffer.alloc(512 * 1024, i));
  await agent.api.addFolder({ path: folder, name: 'Big', policy: { scan: { settings: { action: 'report' } } } });
  for (let i = 0; i < 600 && (await agent.api.getFolder({ folder: 'Big' })).runtime?.ingest.done !== 120; i++) await new Promise((r) => setTimeout(r, 100));

  const page = await signedInPage(t, agent);
  await openView(page, '#/scans', 'Scans and jobs');
  await page.getByRole('button', { name: 'Scan Big now' }).click();
  const running = page.getByRole('list', { name: 'Scans running' });
  await running.getByRole('button', { name: 'Cancel scanning Big' }).click();
  const result = page.locator('.scan-result').filter({ hasText: 'Big' });
  await result.getByText('cancelled before the end').waitFor({ timeout: 15_000 });
  const [scan] = (await agent.api.listScans({})).scans;
  assert.equal(scan!.state, 'cancelled');
  assert.ok(scan!.files < 120);

  await page.getByRole('button', { name: 'Scan Big now' }).click();
  await running.getByText(/files? so far/).waitFor();
  await screenshot(page, 'scans-running');
  await page.locator('.scan-result').filter({ hasText: /finished/ }).waitFor({ timeout: 60_000 });
  assert.match(await page.locator('.scan-result').first().innerText(), /120 files/);
  await screenshot(page, 'scans-results');
  assert.deepEqual(page.problems, []);
});

test('protection is paused for an hour from the dashboard, says until when, and is resumed', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const page = await signedInPage(t, agent);
  await page.getByRole('button', { name: 'Pause protection for 1 hour' }).click();
  const notice = page.getByRole('status', { name: 'Protection paused' });
  await notice.getByText(/^Protection is paused until \d\d:\d\d\.$/).waitFor();
  const { pause } = await agent.api.status({});
  assert.equal(pause.paused, true);
  assert.ok(Math.abs(Date.parse(pause.until!) - Date.now() - 3_600_000) < 60_000);
  await screenshot(page, 'dashboard-paused');
  await openView(page, '#/events', 'Event log');
  await page.getByRole('cell', { name: 'Protection paused' }).first().waitFor();
  await openView(page, '#/', 'Protected folders');
  await notice.getByRole('button', { name: 'Resume protection now' }).click();
  await page.getByRole('button', { name: 'Pause protection for 1 hour' }).waitFor();
  assert.equal((await agent.api.status({})).pause.paused, false);
  assert.deepEqual(page.problems, []);
});
