// Every view of the GUI rendered in Chromium, in light and dark, saved under test-artifacts/gui/ for a
// person to look at; each must render without a script error or a CSP violation. A page opened without
// the agent's sign-in link says so in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { E2E, openBrowser, openView, screenshot, signedInPage, startAgentProcess } from './gui-harness.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

test('a screenshot of every view, light and dark, each without a script error or CSP violation', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  for (const name of ['Documents', 'Photos']) {
    mkdirSync(join(agent.root, name));
    // Documents is scanned: its folder view shows its files and work, and a threat fills the quarantine.
    await agent.api.addFolder({ path: join(agent.root, name), name, ...(name === 'Documents' ? { policy: { scan: { settings: { action: 'quarantine' as const } } } } : {}) });
  }
  writeFileSync(join(agent.root, 'Documents', 'report.txt'), 'quarterly figures');
  writeFileSync(join(agent.root, 'Documents', 'eicar.com'), String.raw`X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*`);
  for (let i = 0; i < 200 && (await agent.api.listQuarantine({})).items.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await agent.api.setTier({ name: 'nas', path: join(agent.root, 'cold') });
  writeFileSync(join(agent.root, 'local.hdb'), '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n');
  await agent.api.setSignatureSet({ name: 'local', paths: [join(agent.root, 'local.hdb')] });
  const folder = (await agent.api.listFolders({})).folders[0]!;

  const context = await openBrowser(t);
  const page = await signedInPage(t, agent, context);
  const views: Array<[string, string, string | RegExp]> = [
    ['dashboard', '#/', 'Protected folders'],
    ['add-folder', '#/add', 'Add a protected folder'],
    ['folder', `#/folders/${folder.id}`, folder.name],
    ['scans', '#/scans', 'Scans and jobs'],
    ['quarantine', '#/quarantine', 'Quarantine'],
    ['events', '#/events', 'Event log'],
    ['settings', '#/settings', 'Settings'],
    ['policy', '#/policy', 'Policy file'],
  ];
  const saved: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, hash, heading] of views) {
      await openView(page, hash, heading);
      if (name === 'add-folder') {
        for (const label of ['Encrypt the files in this folder', 'Scan files written to this folder', 'Move files nobody uses to cheaper storage']) await page.getByLabel(label).check();
      }
      await page.waitForTimeout(150);
      saved.push(await screenshot(page, `${name}-${scheme}`));
    }
    await openView(page, '#/quarantine', 'Quarantine');
    await page.getByRole('button', { name: 'Restore eicar.com…' }).click();
    await page.getByRole('dialog').waitFor();
    saved.push(await screenshot(page, `quarantine-restore-${scheme}`));
    await page.keyboard.press('Escape');
    await openView(page, `#/folders/${folder.id}`, folder.name);
    await page.getByRole('button', { name: 'Stop protecting…' }).click();
    await page.getByRole('dialog').waitFor();
    saved.push(await screenshot(page, `confirm-dialog-${scheme}`));
    await page.keyboard.press('Escape');
  }
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, 'rgb(18, 22, 28)', 'the dark palette is applied');
  for (const file of saved) assert.deepEqual(readFileSync(file).subarray(0, 4), PNG);
  assert.deepEqual(page.problems, [], 'no script error and no CSP violation on any view');
});

test('the theme chosen in Settings wins over the system and survives a reload', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const page = await signedInPage(t, agent);
  await page.emulateMedia({ colorScheme: 'light' });
  await openView(page, '#/settings', 'Settings');
  await page.getByLabel('Dark', { exact: true }).check();
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(18, 22, 28)');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.getByLabel('Same as the system').check();
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(246, 247, 249)');
});

test('a page opened without the sign-in link is refused, and a signed-in one runs under the strict CSP', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const context = await openBrowser(t);
  const stranger = await context.newPage();
  await stranger.goto(`${agent.url}/`);
  await stranger.getByText('This page is not signed in to the Strata agent.', { exact: false }).waitFor();
  assert.doesNotMatch(await stranger.content(), new RegExp(agent.token));

  const page = await signedInPage(t, agent, context); // the sign-in itself: sign-in-link.test.ts
  // An inline script is exactly what the CSP must stop.
  const blocked = await page.evaluate(() => new Promise<boolean>((resolve) => {
    document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
    setTimeout(() => resolve(false), 1000);
  }));
  assert.equal(blocked, true);
  assert.equal(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected), undefined);
});
