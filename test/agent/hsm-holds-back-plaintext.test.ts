// In a folder with both HSM and encryption, plaintext on disk is waiting to be encrypted: the HSM must not
// move it to the tier (its only cold copy would be plaintext, and a stub Strata wrote is passed over by
// ingest for ever). Age files go as usual. Over a real agent in this process (real folders, SQLite, tier
// folder), with a vault made outside the agent so that nothing is ingested until the unlock trusts it:
// the plaintext stays on disk whatever ingest's timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { loadSodium } from '../../main/age/index.js';
import { createVault, vaultRecipient } from '../../filters/crypt/vault/vault.js';
import { eventually } from '../e2e/agent-process.js';
import { AGE_MAGIC, PASSPHRASE, STUB_MAGIC, addEncryption, isPlaintextOf, rawStartsWith, tierObjects, tieredFolder } from './hsm-folder-rig.js';
import { runningAgent } from './running-agent.js';

const OLD = new Date(Date.now() - 400 * 86_400_000);

/** Whether a logged migration run's summary matches `pattern`. */
async function migrationLogged(api: StrataApi, folder: string, pattern: RegExp): Promise<boolean> {
  const runs = (await api.queryEvents({ folder, actions: ['job-run'] })).events.map((e) => e.detail ?? '').filter((detail) => detail.startsWith('HSM migration'));
  return runs.some((detail) => pattern.test(detail));
}

test('in a folder with encryption on, the HSM leaves plaintext files local and migrates age files', async (t) => {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const root = join(agent.dataDir, '..');
  const folder = join(root, 'Vaulted');
  const cold = join(root, 'cold');
  mkdirSync(folder);
  mkdirSync(cold);
  const sodium = await loadSodium();
  // Not created by this agent: untrusted until an unlock, so ingest leaves the plaintext where it is.
  await createVault(sodium, folder, PASSPHRASE);
  const plaintext = Buffer.concat([Buffer.from('PLAINTEXT DIARY '.repeat(1000)), randomBytes(50_000)]);
  writeFileSync(join(folder, 'diary.txt'), plaintext);
  const clear = join(root, 'clear.bin');
  writeFileSync(clear, randomBytes(80_000));
  execFileSync('age', ['-r', (await vaultRecipient(sodium, folder)).toString(), '-o', join(folder, 'sealed.bin'), clear]);
  const sealed = readFileSync(join(folder, 'sealed.bin'));
  for (const name of ['diary.txt', 'sealed.bin']) utimesSync(join(folder, name), OLD, OLD);
  await api.setTier({ name: 'nas', path: cold });
  await api.addFolder({
    path: folder,
    name: 'Vaulted',
    policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } }, crypt: { settings: { vault: 'vaulted', autoLockMinutes: 0 } } },
  });

  await api.runJobs({ folder: 'Vaulted', protection: 'hsm' });
  assert.ok(readFileSync(join(folder, 'diary.txt')).equals(plaintext), 'the plaintext file stays on disk as it was');
  assert.ok(rawStartsWith(join(folder, 'sealed.bin'), STUB_MAGIC), 'the age file was migrated');
  const objects = tierObjects(cold);
  assert.equal(objects.length, 1, 'one object in the tier');
  assert.ok(readFileSync(objects[0]!).equals(sealed), 'and it is the age file, byte for byte');
  assert.equal(isPlaintextOf(objects[0]!, new Map([['diary.txt', plaintext]])), false, 'no tier object holds the plaintext');
  assert.ok(await migrationLogged(api, 'Vaulted', /1 released .*\(1 waiting to be encrypted\), 0 failed/), 'the run says why the plaintext file stayed');
});

test('a plaintext file recalled by the user while the vault is untrusted is not migrated again; once trusted it is encrypted and migrates as ciphertext', async (t) => {
  const rig = await tieredFolder(t);
  await createVault(await loadSodium(), rig.folder, PASSPHRASE);
  await addEncryption(rig, 'exists');
  const recall = await rig.api.recallFile({ folder: 'Archive', path: 'report.bin' });
  assert.equal(recall.recalled, true, 'report.bin was in cold storage');
  assert.ok(readFileSync(join(rig.folder, 'report.bin')).equals(rig.files.get('report.bin')!), 'the recall left plaintext on disk');

  // "Migrate now" while the plaintext waits to be encrypted: it stays local.
  await rig.api.runJobs({ folder: 'Archive', protection: 'hsm' });
  assert.ok(readFileSync(join(rig.folder, 'report.bin')).equals(rig.files.get('report.bin')!), 'report.bin is still its plaintext, not a stub');
  assert.ok(await migrationLogged(rig.api, 'Archive', /0 released .*\(1 waiting to be encrypted\), 0 failed/), 'the run says why report.bin stayed');

  await rig.api.unlockFolder({ folder: 'Archive', passphrase: PASSPHRASE });
  await eventually(() => [...rig.files.keys()].every((name) => rawStartsWith(join(rig.folder, name), AGE_MAGIC)), 'every file of the folder stored as an age file', 30_000);
  await rig.agent.runtime.whenIdle();

  await rig.api.runJobs({ folder: 'Archive', protection: 'hsm' });
  for (const name of rig.files.keys()) assert.ok(rawStartsWith(join(rig.folder, name), STUB_MAGIC), `${name} migrated once encrypted`);
  await eventually(() => tierObjects(rig.cold).every((object) => !isPlaintextOf(object, rig.files)), 'no plaintext object left in the tier', 30_000);
  const objects = tierObjects(rig.cold);
  assert.equal(objects.length, rig.files.size);
  for (const object of objects) assert.ok(rawStartsWith(object, AGE_MAGIC), `the tier object ${object} is an age file`);
});
