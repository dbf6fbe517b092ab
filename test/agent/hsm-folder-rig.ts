// A real agent (in this process) protecting an HSM folder whose files were migrated to a tier as plaintext,
// and what the tests of encryption added to such a folder look at: the raw files, the tier's objects, the
// stock `age` tool's view of a file, and every file read back through the folder's full stack (crypt
// above the HSM) after the agent stopped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
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
import { runningAgent } from './running-agent.js';

export const STUB_MAGIC = 'strata-hsm-stub/1\n';
export const AGE_MAGIC = 'age-encryption.org/v1\n';
export const PASSPHRASE = 'correct horse battery staple';
const DAY_MS = 86_400_000;

export interface Rig {
  api: StrataApi;
  agent: Awaited<ReturnType<typeof runningAgent>>;
  folder: string;
  cold: string;
  files: Map<string, Buffer>;
}

/** An HSM folder whose cold files are all released to the tier (as plaintext: no encryption yet). */
export async function tieredFolder(t: Parameters<typeof runningAgent>[0]): Promise<Rig> {
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

/** Turns encryption on for the folder (HSM kept): with the folder's vault, made here unless `vault` says it exists. */
export async function addEncryption(rig: Rig, vault: 'create' | 'exists' = 'create'): Promise<void> {
  const current = await rig.api.getFolder({ folder: 'Archive' });
  await rig.api.updateFolder({ folder: 'Archive', policy: { hsm: current.policy.hsm, crypt: { settings: { vault: 'archive', autoLockMinutes: 0 } } } });
  if (vault === 'create') await rig.api.createVault({ folder: 'Archive', passphrase: PASSPHRASE });
}

export function tierObjects(cold: string): string[] {
  const objects = join(cold, 'objects');
  return readdirSync(objects).flatMap((shard) => readdirSync(join(objects, shard)).map((id) => join(objects, shard, id)));
}

export function rawStartsWith(path: string, magic: string): boolean {
  return readFileSync(path).subarray(0, magic.length).toString('latin1') === magic;
}

/** The content of an age file, decrypted by the stock `age` tool with the folder's vault identity. */
export async function ageDecrypt(folder: string, path: string): Promise<Buffer> {
  const identity = await unlockVault(await loadSodium(), folder, PASSPHRASE);
  const keyFile = join(folder, '..', 'vault-identity.txt');
  writeFileSync(keyFile, `${identity.toString()}\n`, { mode: 0o600 });
  identity.wipe();
  return execFileSync('age', ['-d', '-i', keyFile, path]);
}

/** Every file read through the folder's full stack (crypt above the HSM) after the agent stopped. */
export async function readThroughStrata(rig: Rig): Promise<Map<string, Buffer>> {
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

export function isPlaintextOf(object: string, files: Map<string, Buffer>): boolean {
  const bytes = readFileSync(object);
  return [...files.values()].some((content) => bytes.equals(content));
}
