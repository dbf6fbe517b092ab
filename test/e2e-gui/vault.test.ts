// Encrypted folders through the GUI against a real agent process: a folder added with all three
// protections gets its vault created and unlocked from the add form; it locks on request; a wrong
// passphrase is refused in words beside the field and leaves it locked; the right one unlocks it. A folder
// that already has a vault is not given a new one: the form says so and asks for that vault's passphrase,
// and nothing in it is encrypted until that passphrase opens it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Locator } from 'playwright-core';
import { loadSodium } from '../../main/age/index.js';
import { createVault } from '../../filters/crypt/vault/vault.js';
import { eventually } from '../e2e/agent-process.js';
import { E2E, screenshot, signedInPage, startAgentProcess, type AgentProcess } from './gui-harness.js';

const PASSPHRASE = 'correct horse battery staple';

/** A state badge reading exactly `word` (after its shape mark). */
function badge(within: Locator, word: string): Locator {
  return within.locator('.badge', { hasText: new RegExp(`^\\W*${word}$`) });
}

async function cryptLock(agent: AgentProcess, id: string): Promise<string | undefined> {
  return (await agent.api.getFolder({ folder: id })).runtime?.protections.find((p) => p.kind === 'crypt')?.lock;
}

test('a folder added with all three protections is created, encrypted and unlocked; it locks and unlocks from its page', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Private');
  mkdirSync(folder);
  mkdirSync(join(agent.root, 'cold'));
  await agent.api.setTier({ name: 'nas', path: join(agent.root, 'cold') });
  const page = await signedInPage(t, agent);
  await page.getByRole('link', { name: 'Add folder' }).click();
  await page.getByLabel('Folder', { exact: true }).fill(folder);
  await page.getByLabel('Encrypt the files in this folder').check();
  await page.getByLabel('Vault name').fill('private');
  await page.getByLabel('Vault passphrase').fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill('something else');
  await page.getByLabel('Scan files written to this folder').check();
  await page.getByLabel('Move files nobody uses to cheaper storage').check();
  await page.getByLabel('Cold tier').selectOption('nas');
  await page.getByRole('button', { name: 'Add folder' }).click();
  await page.getByText('the two passphrases differ').waitFor();
  assert.deepEqual((await agent.api.listFolders({})).folders, [], 'a mistyped passphrase adds nothing');

  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Add folder' }).click();
  await page.getByRole('heading', { level: 1, name: 'Private' }).waitFor({ timeout: 30_000 });
  const vault = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Vault' }) });
  await badge(vault, 'Unlocked').waitFor();
  for (const name of ['Encryption', 'Virus scanning', 'Cold storage']) await page.getByRole('row', { name: new RegExp(`${name}\\s+on`) }).waitFor();
  const id = (await agent.api.listFolders({})).folders[0]!.id;
  assert.equal(await cryptLock(agent, id), 'unlocked');
  await screenshot(page, 'vault-unlocked');

  // Encrypted at rest: a file written by another program becomes an age file on disk.
  writeFileSync(join(folder, 'note.txt'), 'meet at noon');
  for (let i = 0; i < 100 && !readFileSync(join(folder, 'note.txt')).subarray(0, 21).equals(Buffer.from('age-encryption.org/v1')); i++) await sleep(100);
  assert.equal(readFileSync(join(folder, 'note.txt')).subarray(0, 21).toString(), 'age-encryption.org/v1');

  await vault.getByRole('button', { name: 'Lock now' }).click();
  await badge(vault, 'Locked').waitFor();
  assert.equal(await cryptLock(agent, id), 'locked');

  await vault.getByRole('button', { name: 'Unlock…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Unlock Private' });
  await dialog.getByLabel('Passphrase').fill('not the passphrase');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await dialog.getByText(/the passphrase does not open the vault/).waitFor();
  assert.equal(await dialog.getByLabel('Passphrase').getAttribute('aria-invalid'), 'true');
  assert.equal(await cryptLock(agent, id), 'locked', 'a wrong passphrase changes nothing');
  await screenshot(page, 'unlock-dialog-wrong-passphrase');
  await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await dialog.waitFor({ state: 'detached' });
  await badge(vault, 'Unlocked').waitFor();
  assert.equal(await cryptLock(agent, id), 'unlocked');
  assert.deepEqual(page.problems.filter((p) => !p.includes('status of 400')), [], 'only the refused unlock logged an error');
});

test('a locked folder can be unlocked from the dashboard', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Letters');
  mkdirSync(folder);
  await agent.api.addFolder({ path: folder, name: 'Letters', policy: { crypt: { settings: { vault: 'letters' } } } });
  await agent.api.createVault({ folder: 'Letters', passphrase: PASSPHRASE });
  const page = await signedInPage(t, agent);
  const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Letters' }) });
  await badge(card, 'Locked').waitFor();
  await card.getByRole('button', { name: 'Unlock Letters' }).click();
  const dialog = page.getByRole('dialog', { name: 'Unlock Letters' });
  await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await badge(card, 'Unlocked').waitFor();
});

test('adding a folder that already has a vault asks for that vault\'s own passphrase, and encrypts nothing until it opens', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Carried');
  mkdirSync(folder);
  await createVault(await loadSodium(), folder, 'the passphrase of the old vault');
  writeFileSync(join(folder, 'note.txt'), 'written before the folder was added');
  const page = await signedInPage(t, agent);
  await page.getByRole('link', { name: 'Add folder' }).click();
  await page.getByLabel('Folder', { exact: true }).fill(folder);
  await page.getByLabel('Encrypt the files in this folder').check();
  await page.getByLabel('Vault name').fill('carried');
  await page.getByLabel('Vault passphrase').fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Add folder' }).click();
  const dialog = page.getByRole('dialog', { name: 'Carried already has a vault' });
  await dialog.waitFor({ timeout: 30_000 });
  await dialog.getByText(/the passphrase you chose was not used/).waitFor();
  await screenshot(page, 'add-folder-existing-vault');
  await eventually(async () => (await agent.api.queryEvents({ folder: 'Carried', actions: ['ingested'], results: ['failed'], search: 'note.txt' })).events.length > 0, 'ingest to refuse note.txt');
  assert.equal(readFileSync(join(folder, 'note.txt'), 'utf8'), 'written before the folder was added', 'nothing is encrypted to a vault not yet opened');

  await dialog.getByLabel('Passphrase of the existing vault').fill(PASSPHRASE);
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await dialog.getByText(/the passphrase does not open the vault/).waitFor();
  await dialog.getByLabel('Passphrase of the existing vault').fill('the passphrase of the old vault');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { level: 1, name: 'Carried' }).waitFor();
  const vault = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Vault' }) });
  await badge(vault, 'Unlocked').waitFor();
  await eventually(() => readFileSync(join(folder, 'note.txt')).subarray(0, 21).equals(Buffer.from('age-encryption.org/v1')), 'note.txt encrypted once the vault is opened');
  assert.deepEqual(page.problems.filter((p) => !p.includes('status of 400') && !p.includes('status of 409')), [], 'only the refused create and unlock logged errors');
});
