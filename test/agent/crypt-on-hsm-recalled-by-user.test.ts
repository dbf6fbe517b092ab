// Encryption added to a folder the HSM already tiers, and a file whose data went to the tier as plaintext
// brought back by the user through Strata before ingest took it in: the HSM's recall writes that plaintext
// into the file below the crypt filter, as a write of Strata's own. The file must still end up encrypted
// (it was passed over for ever as "written by Strata", plaintext on disk in an encrypted folder).
// Over a real agent in this process (real folders, SQLite, tier folder), the stock `age` tool and the
// folder's full filter stack (crypt above the HSM) to read the files back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSodium } from '../../main/age/index.js';
import { createVault } from '../../filters/crypt/vault/vault.js';
import { eventually } from '../e2e/agent-process.js';
import { AGE_MAGIC, PASSPHRASE, addEncryption, ageDecrypt, rawStartsWith, readThroughStrata, tieredFolder } from './hsm-folder-rig.js';

test('a plaintext file in cold storage that the user brings back through Strata before ingest took it in is encrypted all the same', async (t) => {
  const rig = await tieredFolder(t);
  // A vault this agent did not create: until an unlock proves it is the user's, ingest takes nothing in,
  // so the user's recall surely comes first (whatever ingest's timing).
  await createVault(await loadSodium(), rig.folder, PASSPHRASE);
  await addEncryption(rig, 'exists');
  const recall = await rig.api.recallFile({ folder: 'Archive', path: 'report.bin' });
  assert.equal(recall.recalled, true, 'report.bin was in cold storage');
  assert.ok(readFileSync(join(rig.folder, 'report.bin')).equals(rig.files.get('report.bin')!), 'the recall wrote the plaintext on disk, below the crypt filter');
  // The watcher offers the recalled file at once (not only the walk after the unlock): ingest tries it and
  // says why it is left for now.
  const left = await eventually(async () => (await rig.api.queryEvents({ folder: 'Archive', actions: ['ingested'] })).events
    .find((event) => event.path === 'report.bin' && event.result === 'failed' && /Strata itself wrote it/.test(event.detail ?? '')), 'ingest to look at the recalled report.bin', 30_000);
  assert.match(left.detail!, /is not one this Strata created or unlocked/);

  await rig.api.unlockFolder({ folder: 'Archive', passphrase: PASSPHRASE });
  await eventually(() => [...rig.files.keys()].every((name) => rawStartsWith(join(rig.folder, name), AGE_MAGIC)), 'every file of the folder stored as an age file', 30_000);
  await rig.agent.runtime.whenIdle();
  for (const [name, content] of rig.files) {
    assert.ok((await ageDecrypt(rig.folder, join(rig.folder, name))).equals(content), `age -d of ${name} gives its content`);
  }
  const read = await readThroughStrata(rig);
  for (const [name, content] of rig.files) assert.ok(read.get(name)?.equals(content), `${name} reads back through Strata with its content`);
});
