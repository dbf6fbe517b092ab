// Importing a signed policy file through the GUI, in real Chromium against a real agent: the page says
// the file is signed and shows the key it names as a claim; with a trusted public key file that is not
// the signer's, or with a tampered file, the import is refused in words naming the files and why, and
// nothing is applied; with the signer's public key the signature verifies and the import applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeys, signPolicyDocument } from '../../main/agent/policy/policy-signing.js';
import { E2E, openView, screenshot, signedInPage, startAgentProcess, tempDir } from './gui-harness.js';

test('a signed policy file is refused with a wrong key or tampered, and imported once its signature verifies with the right key', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const keys = tempDir(t);
  const { publicKey: teamKey } = await generateSigningKeys(join(keys, 'team.key'), join(keys, 'team.pub'));
  const { publicKey: otherKey } = await generateSigningKeys(join(keys, 'other.key'), join(keys, 'other.pub'));
  const music = join(agent.root, 'Music');
  mkdirSync(music);
  const signed = await signPolicyDocument({ ...(await agent.api.exportPolicy({})), folders: [{ name: 'Music', path: music, policy: {} }] }, join(keys, 'team.key'));
  const files = tempDir(t);
  writeFileSync(join(files, 'team-policy.json'), JSON.stringify(signed, null, 2));
  writeFileSync(join(files, 'tampered.json'), JSON.stringify({ ...signed, folders: [{ name: 'Music', path: music, policy: { scan: { settings: {} } } }] }, null, 2));
  const before = { ...(await agent.api.exportPolicy({})), exportedAt: '' };
  const nothingApplied = async () => assert.deepEqual({ ...(await agent.api.exportPolicy({})), exportedAt: '' }, before, 'nothing was applied');

  const page = await signedInPage(t, agent);
  await openView(page, '#/policy', 'Policy file');
  await page.getByLabel('Policy file').setInputFiles(join(files, 'team-policy.json'));
  const signature = page.getByRole('region', { name: 'Signature' });
  await signature.getByText('Signed with Ed25519 by this key (claimed)').waitFor();
  await signature.getByText(teamKey).waitFor();
  await signature.getByText('Not verified: choose a trusted public key to check it.').waitFor();

  // The wrong key: refused, the preview and its Apply button gone, nothing applied.
  await page.getByLabel('Trusted public key').setInputFiles(join(keys, 'other.pub'));
  const refusal = page.getByRole('alert').filter({ hasText: 'Not imported: team-policy.json did not pass the signature check with other.pub.' });
  await refusal.waitFor();
  const words = await refusal.innerText();
  assert.match(words, /The signature of the policy document does not verify with the key in other\.pub: it was signed with another key/);
  assert.ok(words.includes(teamKey) && words.includes(otherKey), words);
  assert.match(words, /Nothing was changed\./);
  assert.equal(await page.locator('.preview').count(), 0, 'no preview, so nothing to apply');
  await screenshot(page, 'policy-import-signature-refused');
  await nothingApplied();

  // The right key, but a file changed after signing.
  await page.getByLabel('Trusted public key').setInputFiles(join(keys, 'team.pub'));
  await page.getByLabel('Policy file').setInputFiles(join(files, 'tampered.json'));
  await page.getByRole('alert').filter({ hasText: 'Not imported: tampered.json did not pass the signature check with team.pub.' }).getByText(/the document was changed after it was signed/).waitFor();
  assert.equal(await page.locator('.preview').count(), 0);
  await nothingApplied();

  // The right key and the file as signed: verified, previewed, applied.
  await page.getByLabel('Policy file').setInputFiles(join(files, 'team-policy.json'));
  await signature.getByRole('status').filter({ hasText: `Signature verified with the key in team.pub (${teamKey}).` }).waitFor();
  const preview = page.locator('.preview');
  await preview.getByRole('heading', { name: 'What importing team-policy.json would change' }).waitFor();
  await screenshot(page, 'policy-import-signature-verified');
  await preview.getByRole('button', { name: 'Apply 1 change…' }).click();
  await page.getByRole('dialog', { name: 'Apply team-policy.json?' }).getByRole('button', { name: 'Apply' }).click();
  await page.getByText('Imported: 1 change applied.').waitFor();
  assert.deepEqual((await agent.api.listFolders({})).folders.map((f) => f.name), ['Music']);
  assert.deepEqual(page.problems.filter((p) => !p.includes('400')), [], 'no console errors beyond the refused requests');
});
