// The event log in the GUI is live: what another client does appears without a reload, the filters
// and the search narrow it the way the agent's query does, and older events page in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { E2E, openView, signedInPage, startAgentProcess } from './gui-harness.js';

test('events from another client appear live; filter and search narrow the list', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const page = await signedInPage(t, agent);
  await openView(page, '#/events', 'Event log');
  await page.getByText('New events appear as they happen.').waitFor();
  const rows = page.locator('table.events tbody tr');

  for (const name of ['Invoices', 'Recipes']) {
    const folder = join(agent.root, name);
    mkdirSync(folder);
    await agent.api.addFolder({ path: folder, name });
  }
  await rows.filter({ hasText: 'Recipes' }).filter({ hasText: 'Folder added' }).waitFor();
  await rows.filter({ hasText: 'Invoices' }).filter({ hasText: 'Folder added' }).waitFor();

  await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'Recipes' });
  await rows.filter({ hasText: 'Invoices' }).first().waitFor({ state: 'detached' });
  assert.ok((await rows.filter({ hasText: 'Recipes' }).count()) >= 1);

  // A live event for the chosen folder shows; one for another folder does not.
  const recipes = (await agent.api.listFolders({})).folders.find((f) => f.name === 'Recipes')!;
  await agent.api.updateFolder({ folder: recipes.id, name: 'Cooking' });
  await rows.filter({ hasText: 'Folder changed' }).waitFor();
  const invoices = (await agent.api.listFolders({})).folders.find((f) => f.name === 'Invoices')!;
  await agent.api.updateFolder({ folder: invoices.id, name: 'Bills' });
  await page.waitForTimeout(500);
  assert.equal(await rows.filter({ hasText: 'Bills' }).count(), 0, 'an event of another folder is not shown under this filter');

  await page.getByLabel('Folder', { exact: true }).selectOption({ label: 'All folders' });
  await page.getByLabel('What happened').selectOption({ label: 'Folder added' });
  await page.getByLabel('Search files and details').fill('nothing-matches-this');
  await page.getByText('Nothing to show.').waitFor();
  await page.getByLabel('Search files and details').fill('');
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2, 'two folders were added');
  assert.deepEqual(page.problems, []);
});

test('older events page in on demand', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Busy');
  mkdirSync(folder);
  const added = await agent.api.addFolder({ path: folder, name: 'Busy0' });
  for (let i = 1; i <= 105; i++) await agent.api.updateFolder({ folder: added.id, name: `Busy${i}` });
  const total = (await agent.api.queryEvents({ limit: 1000 })).events.length;
  assert.ok(total > 100);
  const page = await signedInPage(t, agent);
  await openView(page, '#/events', 'Event log');
  const rows = page.locator('table.events tbody tr');
  await rows.nth(99).waitFor();
  assert.equal(await rows.count(), 100);
  await page.getByRole('button', { name: 'Show older events' }).click();
  await rows.nth(total - 1).waitFor();
  assert.equal(await rows.count(), total);
  assert.equal(await page.getByRole('button', { name: 'Show older events' }).count(), 0, 'no more pages');
});
