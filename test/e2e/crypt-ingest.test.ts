// An encrypted folder under a real agent process: files written by plain fs.writeFile end up as age
// files within 5 s (the stock age CLI decrypts them with the vault's key), even while the vault is
// locked; files that already are age files are left alone; unlock and lock hold and wipe the key; the
// auto-lock job locks an idle vault.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSodium } from '../../main/age/index.js';
import { unlockVault } from '../../filters/crypt/vault/vault.js';
import type { Folder } from '../../main/api/index.js';
import { eventually, spawnAgent, tempDir, type AgentProcess } from './agent-process.js';

const PASSPHRASE = 'correct horse battery staple';
const AGE_MAGIC = 'age-encryption.org/v1\n';

/** Decrypts with the stock `age` CLI, given the vault's identity written to a key file. */
function ageDecrypt(file: string, keyFile: string): string {
  const run = spawnSync('age', ['-d', '-i', keyFile, file], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

async function vaultKeyFile(folder: string, dir: string): Promise<string> {
  const identity = await unlockVault(await loadSodium(), folder, PASSPHRASE);
  const path = join(dir, 'vault-key.txt');
  writeFileSync(path, `${identity.toString()}\n`, { mode: 0o600 });
  identity.wipe();
  return path;
}

async function encryptedFolder(t: Parameters<typeof tempDir>[0], autoLockMinutes = 15): Promise<{ agent: AgentProcess; folder: string; root: string }> {
  const root = tempDir(t);
  const folder = tempDir(t);
  const agent = await spawnAgent(t, join(root, 'data'));
  const added = await agent.api.addFolder({ path: folder, name: 'Secret', policy: { crypt: { settings: { vault: 'home', autoLockMinutes } } } });
  const crypt = (f: Folder) => f.runtime?.protections.find((p) => p.kind === 'crypt');
  assert.equal(crypt(await agent.api.getFolder({ folder: added.id }))?.state, 'failed', 'no vault yet: the protection says so');
  assert.match(crypt(await agent.api.getFolder({ folder: added.id }))?.message ?? '', /has no vault yet/);
  const created = await agent.api.createVault({ folder: 'Secret', passphrase: PASSPHRASE });
  assert.deepEqual([crypt(created)?.state, crypt(created)?.lock], ['active', 'locked'], 'a new vault starts locked');
  return { agent, folder, root };
}

describe('encryption through the agent', () => {
  it('files written by fs.writeFile are encrypted within 5 s, even with the vault locked; age files are left alone', async (t) => {
    const { agent, folder, root } = await encryptedFolder(t);
    const started = Date.now();
    await writeFile(join(folder, 'diary.txt'), 'dear diary');
    await eventually(async () => (await readFile(join(folder, 'diary.txt'), 'latin1')).startsWith(AGE_MAGIC), 'diary.txt to be an age file', 5000);
    assert.ok(Date.now() - started < 5000);
    const keyFile = await vaultKeyFile(folder, root);
    assert.equal(ageDecrypt(join(folder, 'diary.txt'), keyFile), 'dear diary', 'the stock age CLI opens it with the vault key');

    // An age file dropped in (encrypted by someone else to the vault) is already protected: not re-encrypted.
    const recipient = JSON.parse(readFileSync(join(folder, '.strata-vault', 'vault.json'), 'utf8')).recipient as string;
    const plain = join(root, 'plain.txt');
    writeFileSync(plain, 'made elsewhere');
    assert.equal(spawnSync('age', ['-r', recipient, '-o', join(folder, 'made-elsewhere.age'), plain]).status, 0);
    const bytes = readFileSync(join(folder, 'made-elsewhere.age'));
    await eventually(async () => (await agent.api.queryEvents({ actions: ['ingested'] })).events.length >= 1, 'the first ingest event');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(readFileSync(join(folder, 'made-elsewhere.age')), bytes, 'an age file is left exactly as it was');
    const ingested = (await agent.api.queryEvents({ actions: ['ingested'] })).events.map((e) => e.path);
    assert.deepEqual(ingested, ['diary.txt']);
  });

  it('unlock holds the key (a wrong passphrase is refused), lock wipes it; both are logged', async (t) => {
    const { agent } = await encryptedFolder(t);
    await assert.rejects(agent.api.unlockFolder({ folder: 'Secret', passphrase: 'not it' }), (e: Error & { code?: string; path?: string }) => e.code === 'invalid-request' && e.path === '$.passphrase');
    const unlocked = await agent.api.unlockFolder({ folder: 'Secret', passphrase: PASSPHRASE });
    assert.equal(unlocked.runtime?.protections.find((p) => p.kind === 'crypt')?.lock, 'unlocked');
    const locked = await agent.api.lockFolder({ folder: 'Secret' });
    assert.equal(locked.runtime?.protections.find((p) => p.kind === 'crypt')?.lock, 'locked');
    const events = (await agent.api.queryEvents({ actions: ['locked', 'unlocked'] })).events.map((e) => `${e.action}:${e.result}`).reverse();
    assert.deepEqual(events, ['unlocked:refused', 'unlocked:ok', 'locked:ok']);
    assert.ok(!JSON.stringify(await agent.api.queryEvents({ limit: 1000 })).includes(PASSPHRASE), 'the passphrase is never logged');
  });

  it('the auto-lock job locks a vault left idle', async (t) => {
    const { agent } = await encryptedFolder(t, 0.05);
    await agent.api.unlockFolder({ folder: 'Secret', passphrase: PASSPHRASE });
    const lockOf = async () => (await agent.api.getFolder({ folder: 'Secret' })).runtime?.protections.find((p) => p.kind === 'crypt')?.lock;
    assert.equal(await lockOf(), 'unlocked');
    await eventually(async () => (await lockOf()) === 'locked', 'the idle vault to lock itself', 10_000);
    const locked = (await agent.api.queryEvents({ actions: ['locked'] })).events;
    assert.equal(locked.length, 1);
  });
});
