// Encryption added to a folder the HSM already tiers: the files whose data sat in the tier as plaintext
// (migrated before the folder was encrypted) are brought back and encrypted like every other file, the
// plaintext cold copies go, and nothing is lost on the way — not even when the tier cannot be reached
// or a cold copy fails its check (the stub stays as it was, the failure is reported, and the file is
// encrypted once the tier is back).
// Over a real agent in this process (real folders, SQLite, tier folder), the stock `age` tool and the
// folder's full filter stack (crypt above the HSM) to read the files back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../e2e/agent-process.js';
import { AGE_MAGIC, STUB_MAGIC, addEncryption, ageDecrypt, isPlaintextOf, rawStartsWith, readThroughStrata, tierObjects, tieredFolder } from './hsm-folder-rig.js';

test('encryption added to an HSM folder encrypts the files in cold storage and removes their plaintext cold copies', async (t) => {
  const rig = await tieredFolder(t);
  await addEncryption(rig);
  await eventually(() => [...rig.files.keys()].every((name) => rawStartsWith(join(rig.folder, name), AGE_MAGIC)), 'every file of the folder stored as an age file', 30_000);
  await rig.agent.runtime.whenIdle();
  for (const [name, content] of rig.files) {
    assert.ok((await ageDecrypt(rig.folder, join(rig.folder, name))).equals(content), `age -d of ${name} gives its content`);
  }
  // The recall hands the plaintext cold copies back to the tier for deletion once the file is local.
  await eventually(() => tierObjects(rig.cold).every((object) => !isPlaintextOf(object, rig.files)), 'no plaintext object left in the tier', 30_000);
  const listed = (await rig.api.listFiles({ folder: 'Archive' })).entries.find((entry) => entry.name === 'report.bin');
  assert.deepEqual([listed?.size, listed?.encrypted], [rig.files.get('report.bin')!.length, true], 'listed at its plaintext size, encrypted');

  // Cold again: what goes to the tier now is ciphertext.
  await rig.api.runJobs({ folder: 'Archive', protection: 'hsm' });
  for (const name of rig.files.keys()) assert.ok(rawStartsWith(join(rig.folder, name), STUB_MAGIC), `${name} released again`);
  const objects = tierObjects(rig.cold);
  assert.equal(objects.length, rig.files.size);
  for (const object of objects) assert.ok(rawStartsWith(object, AGE_MAGIC), `the tier object ${object} is an age file`);
  const events = (await rig.api.queryEvents({ folder: 'Archive' })).events;
  assert.deepEqual(events.filter((e) => e.action === 'ingested' && e.result === 'ok').map((e) => e.path).sort(), [...rig.files.keys()].sort(), 'each file taken in once');

  const read = await readThroughStrata(rig);
  for (const [name, content] of rig.files) assert.ok(read.get(name)?.equals(content), `${name} reads back through Strata with its content`);
});

test('a recall that fails while encrypting an HSM folder (tier gone) leaves the stub as it was; the file is encrypted once the tier is back', async (t) => {
  const rig = await tieredFolder(t);
  const stubs = new Map([...rig.files.keys()].map((name) => [name, readFileSync(join(rig.folder, name))]));
  const away = `${rig.cold}.unplugged`;
  renameSync(rig.cold, away);
  await addEncryption(rig);
  await eventually(async () => {
    const failed = (await rig.api.queryEvents({ folder: 'Archive' })).events.filter((e) => e.action === 'ingested' && e.result === 'failed');
    return [...rig.files.keys()].every((name) => failed.some((e) => e.path === name && /cold storage/.test(e.detail ?? '') && /STATUS_FILE_IS_OFFLINE/.test(e.detail ?? '')));
  }, 'each file reported as not encrypted because its tier is away', 30_000);
  for (const [name, stub] of stubs) assert.ok(readFileSync(join(rig.folder, name)).equals(stub), `${name} is still its stub, byte for byte`);
  assert.equal(tierObjects(away).length, rig.files.size, 'the cold copies are untouched');

  renameSync(away, rig.cold);
  await eventually(() => [...rig.files.keys()].every((name) => rawStartsWith(join(rig.folder, name), AGE_MAGIC)), 'every file encrypted once the tier is back', 30_000);
  await rig.agent.runtime.whenIdle();
  await eventually(() => tierObjects(rig.cold).every((object) => !isPlaintextOf(object, rig.files)), 'no plaintext object left in the tier', 30_000);
  const read = await readThroughStrata(rig);
  for (const [name, content] of rig.files) assert.ok(read.get(name)?.equals(content), `${name} reads back through Strata with its content`);
});

test('a recall that fails while encrypting an HSM folder (a damaged cold copy) leaves the stub as it was; the file is encrypted once the copy is whole', async (t) => {
  const rig = await tieredFolder(t);
  const stub = readFileSync(join(rig.folder, 'report.bin'));
  const object = tierObjects(rig.cold).find((path) => readFileSync(path).equals(rig.files.get('report.bin')!))!;
  // Cut short past its first bytes: the header can still be looked at without a recall, the recall fails its check.
  truncateSync(object, 100_000);
  await addEncryption(rig);
  await eventually(async () => {
    const failed = (await rig.api.queryEvents({ folder: 'Archive' })).events.filter((e) => e.action === 'ingested' && e.result === 'failed' && e.path === 'report.bin');
    return failed.some((e) => /could not be brought back/.test(e.detail ?? '') && /STATUS_FILE_CORRUPT_ERROR/.test(e.detail ?? ''));
  }, 'report.bin reported as not encrypted because its recall failed', 30_000);
  assert.ok(readFileSync(join(rig.folder, 'report.bin')).equals(stub), 'report.bin is still its stub, byte for byte');
  assert.ok(existsSync(object), 'its cold copy is still in the tier');

  writeFileSync(object, rig.files.get('report.bin')!);
  await eventually(() => [...rig.files.keys()].every((name) => rawStartsWith(join(rig.folder, name), AGE_MAGIC)), 'every file encrypted once the cold copy is whole', 30_000);
  await rig.agent.runtime.whenIdle();
  await eventually(() => tierObjects(rig.cold).every((path) => !isPlaintextOf(path, rig.files)), 'no plaintext object left in the tier', 30_000);
  const read = await readThroughStrata(rig);
  for (const [name, content] of rig.files) assert.ok(read.get(name)?.equals(content), `${name} reads back through Strata with its content`);
});
