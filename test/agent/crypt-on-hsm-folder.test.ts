// Encryption added to a folder the HSM already tiers: the files whose data sat in the tier as plaintext
// (migrated before the folder was encrypted) are brought back and encrypted like every other file, the
// plaintext cold copies go, and nothing is lost on the way — not even when the tier cannot be reached
// or a cold copy fails its check (the stub stays as it was, the failure is reported, and the file is
// encrypted once the tier is back).
// Over a real agent in this process (real folders, SQLite, tier folder), the stock `age` tool and the
// folder's full filter stack (crypt above the HSM) to read the files back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSodium } from '../../main/age/index.js';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { openFolderStack } from '../../main/agent/folder-stack.js';
import { FILE_OPEN, NT_SUCCESS, STATUS_END_OF_FILE } from '../../main/io/index.js';
import { CryptoPool } from '../../filters/crypt/crypto-pool.js';
import { registerCryptFilter } from '../../filters/crypt/index.js';
import { KeyRing } from '../../filters/crypt/key-ring.js';
import { unlockVault, vaultRecipient } from '../../filters/crypt/vault/vault.js';
import { openHsmFolder } from '../../filters/hsm/hsm-folder.js';
import { eventually } from '../e2e/agent-process.js';
import { runningAgent } from './running-agent.js';

const STUB_MAGIC = 'strata-hsm-stub/1\n';
const AGE_MAGIC = 'age-encryption.org/v1\n';
const PASSPHRASE = 'correct horse battery staple';
const DAY_MS = 86_400_000;

interface Rig {
  api: StrataApi;
  agent: Awaited<ReturnType<typeof runningAgent>>;
  folder: string;
  cold: string;
  files: Map<string, Buffer>;
}

/** An HSM folder whose cold files are all released to the tier (as plaintext: no encryption yet). */
async function tieredFolder(t: Parameters<typeof runningAgent>[0]): Promise<Rig> {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const root = join(agent.dataDir, '..');
  const folder = join(root, 'Archive');
  const cold = join(root, 'cold');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  mkdirSync(cold);
  await api.setTier({ name: 'nas', path: cold });
  const files = new Map<string, Buffer>([
    ['report.bin', Buffer.concat([Buffer.from('PLAINTEXT REPORT '.repeat(2000)), randomBytes(200_000)])],
    ['sub/note.txt', Buffer.from('PLAINTEXT NOTE that must not stay readable')],
  ]);
  const old = new Date(Date.now() - 400 * DAY_MS);
  for (const [name, content] of files) {
    writeFileSync(join(folder, name), content);
    utimesSync(join(folder, name), old, old);
  }
  await api.addFolder({ path: folder, name: 'Archive', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } } } });
  await api.runJobs({ folder: 'Archive', protection: 'hsm' });
  for (const name of files.keys()) assert.ok(readFileSync(join(folder, name), 'latin1').startsWith(STUB_MAGIC), `${name} was released to a stub`);
  assert.equal(tierObjects(cold).length, files.size);
  return { api, agent, folder, cold, files };
}

/** Turns encryption on for the folder (HSM kept) and creates its vault: the agent then takes files in. */
async function addEncryption(rig: Rig): Promise<void> {
  const current = await rig.api.getFolder({ folder: 'Archive' });
  await rig.api.updateFolder({ folder: 'Archive', policy: { hsm: current.policy.hsm, crypt: { settings: { vault: 'archive', autoLockMinutes: 0 } } } });
  await rig.api.createVault({ folder: 'Archive', passphrase: PASSPHRASE });
}

function tierObjects(cold: string): string[] {
  const objects = join(cold, 'objects');
  return readdirSync(objects).flatMap((shard) => readdirSync(join(objects, shard)).map((id) => join(objects, shard, id)));
}

function rawStartsWith(path: string, magic: string): boolean {
  return readFileSync(path).subarray(0, magic.length).toString('latin1') === magic;
}

/** The content of an age file, decrypted by the stock `age` tool with the folder's vault identity. */
async function ageDecrypt(folder: string, path: string): Promise<Buffer> {
  const identity = await unlockVault(await loadSodium(), folder, PASSPHRASE);
  const keyFile = join(folder, '..', 'vault-identity.txt');
  writeFileSync(keyFile, `${identity.toString()}\n`, { mode: 0o600 });
  identity.wipe();
  return execFileSync('age', ['-d', '-i', keyFile, path]);
}

/** Every file read through the folder's full stack (crypt above the HSM) after the agent stopped. */
async function readThroughStrata(rig: Rig): Promise<Map<string, Buffer>> {
  await rig.agent.stop();
  const sodium = await loadSodium();
  const keyRing = new KeyRing(await vaultRecipient(sodium, rig.folder), 0);
  keyRing.unlock(await unlockVault(sodium, rig.folder, PASSPHRASE));
  const pool = await CryptoPool.create(1);
  const session = await openHsmFolder({
    dataDir: rig.agent.dataDir,
    folder: rig.folder,
    openStack: (path, options) => openFolderStack(path, options),
    setup: (manager) => void registerCryptFilter(manager, { sodium, keyRing, pool, lockedWaitMs: 1000 }),
  });
  const read = new Map<string, Buffer>();
  try {
    for (const name of rig.files.keys()) {
      const opened = await session.stack.api.createFile(session.stack.pathOf(name), { disposition: FILE_OPEN });
      assert.ok(NT_SUCCESS(opened.status), `open ${name} through Strata: 0x${opened.status.toString(16)}`);
      const chunks: Buffer[] = [];
      for (let offset = 0; ; ) {
        const got = await session.stack.api.read(opened.handle!, 1 << 20, offset);
        if (got.status === STATUS_END_OF_FILE || got.information === 0) break;
        assert.ok(NT_SUCCESS(got.status), `read ${name} through Strata: 0x${got.status.toString(16)}`);
        chunks.push(Buffer.from(got.data.subarray(0, got.information)));
        offset += got.information;
      }
      await session.stack.api.close(opened.handle!);
      read.set(name, Buffer.concat(chunks));
    }
  } finally {
    await session.close();
    keyRing.lock();
    await pool.close();
  }
  return read;
}

function isPlaintextOf(object: string, files: Map<string, Buffer>): boolean {
  const bytes = readFileSync(object);
  return [...files.values()].some((content) => bytes.equals(content));
}

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
