// Protected folders through the GUI in Chromium against a real agent process: adding one, refusals in
// words next to the field (with the store unchanged), renaming, and removing after a confirmation
// that leaves the files in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROTECTION_KINDS, type ProtectionKind } from '../../main/api/index.js';
import { E2E, openView, screenshot, signedInPage, startAgentProcess, type AgentProcess } from './gui-harness.js';

const PROTECTION_LABELS: Record<ProtectionKind, string> = {
  crypt: 'Encrypt the files in this folder',
  scan: 'Scan files written to this folder',
  hsm: 'Move files nobody uses to cheaper storage',
};

test('a folder added through the form appears on the dashboard with its state', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const page = await signedInPage(t, agent);
  await page.getByText('No folders are protected yet.').waitFor();
  const folder = join(agent.root, 'Documents');
  mkdirSync(folder);
  await page.getByRole('link', { name: 'Add folder' }).click();
  await page.getByLabel('Folder', { exact: true }).fill(folder);
  await page.getByLabel('Name (optional)').fill('My documents');
  await page.getByRole('button', { name: 'Add folder' }).click();
  await page.getByRole('heading', { level: 1, name: 'My documents' }).waitFor();
  await page.getByText(folder, { exact: true }).first().waitFor();
  await page.getByRole('link', { name: 'Folders' }).click();
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'My documents' }) });
  await card.getByText('Watched, no protection on').waitFor();
  const stored = (await agent.api.listFolders({})).folders;
  assert.deepEqual(stored.map((f) => [f.name, f.path]), [['My documents', folder]]);
  assert.deepEqual(page.problems, []);
});

test('a relative path is refused next to the Folder field, in words, and nothing is stored', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const page = await signedInPage(t, agent);
  await openView(page, '#/add', 'Add a protected folder');
  await page.getByLabel('Folder', { exact: true }).fill('Documents/mine');
  await page.getByRole('button', { name: 'Add folder' }).click();
  const field = page.getByLabel('Folder', { exact: true });
  await page.getByText("'Documents/mine' is not an absolute path").first().waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  assert.match(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).innerText(), /not an absolute path/);
  assert.doesNotMatch(await page.locator('main').innerText(), /invalid-request|\$\.path/);
  await screenshot(page, 'add-folder-refused');
  assert.deepEqual((await agent.api.listFolders({})).folders, []);
});

/** The protections this build cannot provide, found by asking the agent (a refused add stores nothing). */
async function unavailableKinds(agent: AgentProcess): Promise<ProtectionKind[]> {
  const probe = join(agent.root, 'probe');
  mkdirSync(probe, { recursive: true });
  const kinds: ProtectionKind[] = [];
  for (const kind of PROTECTION_KINDS) {
    const policy = { crypt: { crypt: { settings: { vault: 'probe' } } }, scan: { scan: { settings: {} } }, hsm: { hsm: { settings: { tier: 'probe' } } } }[kind];
    if (kind === 'hsm') await agent.api.setTier({ name: 'probe', path: join(agent.root, 'cold') });
    try {
      const added = await agent.api.addFolder({ path: probe, policy });
      await agent.api.removeFolder({ folder: added.id });
    } catch (error) {
      if ((error as { code?: string }).code === 'unavailable') kinds.push(kind);
    }
  }
  await agent.api.removeTier({ name: 'probe' }).catch(() => undefined);
  return kinds;
}

test('a protection this build cannot provide is refused beside its switch, in words, and nothing is stored', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const missing = await unavailableKinds(agent);
  if (missing.length === 0) return t.skip('every filter is available in this build');
  const kind = missing[0]!;
  const page = await signedInPage(t, agent);
  await openView(page, '#/add', 'Add a protected folder');
  const folder = join(agent.root, 'Music');
  mkdirSync(folder);
  await page.getByLabel('Folder', { exact: true }).fill(folder);
  await page.getByLabel(PROTECTION_LABELS[kind]).check();
  if (kind === 'crypt') await page.getByLabel('Vault name').fill('home');
  if (kind === 'hsm') {
    await agent.api.setTier({ name: 'nas', path: join(agent.root, 'cold') });
    await page.reload();
    await page.getByLabel(PROTECTION_LABELS[kind]).check();
    await page.getByLabel('Folder', { exact: true }).fill(folder);
    await page.getByLabel('Cold tier').selectOption('nas');
  }
  await page.getByRole('button', { name: 'Add folder' }).click();
  await page.getByText('This version of Strata cannot do that.').waitFor();
  const fieldset = page.getByRole('group').filter({ has: page.getByLabel(PROTECTION_LABELS[kind]) });
  await fieldset.getByText(`the ${kind} filter is not available in this build`).waitFor();
  assert.deepEqual((await agent.api.listFolders({})).folders, []);
});

test('renaming asks for the new name; stopping protection asks first, and the files stay', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Photos');
  mkdirSync(folder);
  writeFileSync(join(folder, 'holiday.jpg'), 'not really a photo');
  const added = await agent.api.addFolder({ path: folder, name: 'Photos' });
  const page = await signedInPage(t, agent);
  await openView(page, `#/folders/${added.id}`, 'Photos');

  await page.getByRole('button', { name: 'Rename…' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename folder' });
  await rename.getByLabel('New name').fill('x'.repeat(101));
  await rename.getByRole('button', { name: 'Rename' }).click();
  await rename.getByText('a name has at most 100 characters').waitFor();
  assert.equal(await rename.getByLabel('New name').getAttribute('aria-invalid'), 'true');
  assert.equal((await agent.api.getFolder({ folder: added.id })).name, 'Photos', 'a refused name changes nothing');
  await rename.getByLabel('New name').fill('Holidays');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('heading', { level: 1, name: 'Holidays' }).waitFor();
  assert.equal((await agent.api.getFolder({ folder: added.id })).name, 'Holidays');

  await page.getByRole('button', { name: 'Stop protecting…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Stop protecting Holidays?' });
  await confirm.getByText('The files stay where they are').waitFor();
  await screenshot(page, 'folder-remove-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await agent.api.listFolders({})).folders.length, 1, 'cancel keeps the folder');
  await page.getByRole('button', { name: 'Stop protecting…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop protecting' }).click();
  await page.getByRole('heading', { level: 1, name: 'Protected folders' }).waitFor();
  assert.deepEqual((await agent.api.listFolders({})).folders, []);
  assert.ok(existsSync(join(folder, 'holiday.jpg')), 'the files stay in place');
});
