// Policy export and import through the GUI: the exported file is the agent's policy document; a changed
// copy is previewed as a diff in words (a dry run that changes nothing), then applied all at once;
// a broken file is refused with its line, or each problem with its field, and nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyDocument } from '../../main/api/index.js';
import { E2E, openView, screenshot, signedInPage, startAgentProcess, tempDir } from './gui-harness.js';

test('export the policy, then import a changed copy through the diff preview and see it applied', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const docs = join(agent.root, 'Docs');
  mkdirSync(docs);
  await agent.api.addFolder({ path: docs, name: 'Docs' });
  await agent.api.setTier({ name: 'nas', path: join(agent.root, 'cold-a') });
  const page = await signedInPage(t, agent);
  await openView(page, '#/policy', 'Policy file');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export policy…' }).click()]);
  assert.match(download.suggestedFilename(), /^strata-policy-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = join(tempDir(t), download.suggestedFilename());
  await download.saveAs(exported);
  const document = PolicyDocument.parse(JSON.parse(readFileSync(exported, 'utf8')));
  assert.deepEqual(document, await agent.api.exportPolicy({}).then((d) => ({ ...d, exportedAt: document.exportedAt })));
  await page.getByText(/Saved strata-policy-.*1 folder\(s\), 1 tier\(s\)/).waitFor();

  // The copy: one more folder and the tier moved.
  const music = join(agent.root, 'Music');
  mkdirSync(music);
  const changed = { ...document, folders: [...document.folders, { name: 'Music', path: music, policy: {} }], tiers: [{ name: 'nas', path: join(agent.root, 'cold-b') }] };
  const file = join(tempDir(t), 'changed.json');
  writeFileSync(file, JSON.stringify(changed, null, 2));
  await page.getByLabel('Policy file').setInputFiles(file);
  const preview = page.locator('.preview');
  await preview.getByRole('heading', { name: 'What importing changed.json would change' }).waitFor();
  const rows = preview.locator('table.diff tbody tr');
  await rows.first().waitFor();
  const lines = await rows.allInnerTexts();
  assert.ok(lines.some((l) => l.includes(`Add folder ${music}`)), lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('Change cold tier nas') && l.includes(join(agent.root, 'cold-b'))), lines.join('\n'));
  await screenshot(page, 'policy-import-preview');
  assert.equal((await agent.api.listFolders({})).folders.length, 1, 'the preview is a dry run');

  await preview.getByRole('button', { name: `Apply ${lines.length} changes…` }).click();
  await page.getByRole('dialog', { name: 'Apply changed.json?' }).getByRole('button', { name: 'Apply' }).click();
  await page.getByText(`Imported: ${lines.length} changes applied.`).waitFor();
  assert.deepEqual((await agent.api.listFolders({})).folders.map((f) => f.name).sort(), ['Docs', 'Music']);
  assert.equal((await agent.api.exportPolicy({})).tiers[0]!.path, join(agent.root, 'cold-b'));
  await page.getByRole('link', { name: 'Folders' }).click();
  await page.getByRole('link', { name: 'Music' }).waitFor();
});

test('a file that is not JSON is refused with its line; a wrong policy lists each problem by field; nothing changes', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const before = await agent.api.exportPolicy({});
  const page = await signedInPage(t, agent);
  await openView(page, '#/policy', 'Policy file');
  const dir = tempDir(t);

  writeFileSync(join(dir, 'broken.json'), '{\n  "format": "strata-policy",\n  "version": 1\n  "folders": []\n}\n');
  await page.getByLabel('Policy file').setInputFiles(join(dir, 'broken.json'));
  await page.getByText(/broken\.json is not valid JSON at line 4, column \d+/).waitFor();

  const wrong = { ...before, version: 2, folders: [{ name: 'X', path: 'relative', policy: {} }] };
  writeFileSync(join(dir, 'wrong.json'), JSON.stringify(wrong));
  await page.getByLabel('Policy file').setInputFiles(join(dir, 'wrong.json'));
  const notice = page.getByRole('alert').filter({ hasText: 'Some values need attention.' });
  await notice.waitFor();
  const text = await notice.innerText();
  assert.match(text, /version:/);
  assert.match(text, /folders › 1 › path: 'relative' is not an absolute path/);
  assert.doesNotMatch(text, /\$\.|invalid-request/);
  await screenshot(page, 'policy-import-refused');
  const after = await agent.api.exportPolicy({});
  assert.deepEqual({ ...after, exportedAt: '' }, { ...before, exportedAt: '' });
});
