// An encrypted folder's files go only to a vault recipient the user has proven to hold, over a real agent
// in this process (real folders, SQLite, filter stacks, the I/O verifier on): a vault.json planted in a
// folder gets nothing encrypted to it; an existing vault is trusted once its passphrase opens it, and then
// what was left plaintext is taken in; a vault.json swapped on a trusted folder is refused at the next
// start, not trusted again by it; a vault the agent created is trusted from the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X25519Identity, decrypt, loadSodium } from '../../main/age/index.js';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { createVault, unlockVault } from '../../filters/crypt/vault/vault.js';
import { eventually } from '../e2e/agent-process.js';
import { rejectsWith, tempDir } from './agent-fixtures.js';
import { runningAgent } from './running-agent.js';

const sodium = await loadSodium();
const AGE = 'age-encryption.org/v1\n';
const CRYPT = { crypt: { settings: { vault: 'docs', autoLockMinutes: 0 } } };

async function agentOn(t: Parameters<typeof runningAgent>[0], dataDir: string) {
  const agent = await runningAgent(t, { dataDir });
  return Object.assign(agent, { api: createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi });
}

const onDisk = (path: string) => readFileSync(path, 'latin1');
const isAge = (path: string) => onDisk(path).startsWith(AGE);
const lockOf = async (api: StrataApi, folder: string) => (await api.getFolder({ folder })).runtime?.protections.find((p) => p.kind === 'crypt');

/** Waits for ingest's first word on a file (taken in, or not), and returns it. */
async function firstIngest(api: StrataApi, folder: string, path: string) {
  return eventually(async () => (await api.queryEvents({ folder, actions: ['ingested'] })).events.findLast((event) => event.path === path), `ingest to try ${path}`);
}

/** Waits for an event of the folder whose detail matches, and returns it. */
async function eventMatching(api: StrataApi, folder: string, detail: RegExp, filter: { actions?: Array<'error' | 'unlocked'> } = {}) {
  return eventually(async () => (await api.queryEvents({ folder, ...(filter.actions ? { actions: filter.actions } : {}) })).events
    .find((event) => detail.test(event.detail ?? '')), `an event matching ${detail}`);
}

test('a vault.json planted in a folder is not trusted: nothing is encrypted to its recipient, the reason is said, and no unlock gets past it without its key', async (t) => {
  const root = tempDir(t);
  const folder = join(root, 'Shared');
  mkdirSync(join(folder, '.strata-vault'), { recursive: true });
  writeFileSync(join(folder, 'secret.txt'), 'the user plaintext\n');
  const planter = X25519Identity.generate(sodium);
  writeFileSync(join(folder, '.strata-vault', 'vault.json'), JSON.stringify({ format: 'strata-vault', version: 1, recipient: planter.recipient().toString(), created: new Date().toISOString() }));
  const agent = await agentOn(t, join(root, 'data'));

  await agent.api.addFolder({ path: folder, name: 'Shared', policy: CRYPT });
  assert.deepEqual(await lockOf(agent.api, 'Shared'), { kind: 'crypt', state: 'active', altitude: '141000', message: null, lock: 'locked' });
  const ingest = await firstIngest(agent.api, 'Shared', 'secret.txt');
  assert.equal(onDisk(join(folder, 'secret.txt')), 'the user plaintext\n', 'the file was not encrypted to the planted recipient');
  assert.equal(ingest.result, 'failed');
  assert.match(ingest.detail!, /is not one this Strata created or unlocked/);
  const refusal = await eventMatching(agent.api, 'Shared', /is not one this Strata created or unlocked/, { actions: ['error'] });
  assert.equal(refusal.result, 'refused');
  assert.ok(refusal.detail!.includes(planter.recipient().toString()), 'the refusal names the recipient');

  const exists = await rejectsWith(agent.api.createVault({ folder: 'Shared', passphrase: 'a new passphrase' }), 'conflict', '$.folder');
  assert.match(exists.message, /already has a vault/);
  await rejectsWith(agent.api.unlockFolder({ folder: 'Shared', passphrase: 'whatever the user types' }), 'conflict', '$.folder', /no identity file/);
  await agent.runtime.whenIdle();
  assert.equal(onDisk(join(folder, 'secret.txt')), 'the user plaintext\n');
  assert.equal((await lockOf(agent.api, 'Shared'))?.lock, 'locked');
});

test('an existing vault is trusted once its passphrase opens it: the files left plaintext are then encrypted to it, and it stays trusted after a restart', async (t) => {
  const root = tempDir(t);
  const folder = join(root, 'Carried');
  mkdirSync(folder);
  const info = await createVault(sodium, folder, 'the old passphrase');
  writeFileSync(join(folder, 'note.txt'), 'written before the folder was added\n');
  const dataDir = join(root, 'data');
  const first = await agentOn(t, dataDir);

  await first.api.addFolder({ path: folder, name: 'Carried', policy: CRYPT });
  await firstIngest(first.api, 'Carried', 'note.txt');
  assert.equal(onDisk(join(folder, 'note.txt')), 'written before the folder was added\n', 'nothing is encrypted before the unlock');
  // Ingest tries a file that fails three more times, further apart each time, then leaves it: only the walk
  // after the unlock that trusts the vault brings it back.
  await eventually(async () => (await first.api.queryEvents({ folder: 'Carried', actions: ['ingested'], results: ['failed'], search: 'note.txt' })).events
    .filter((event) => /is not one this Strata created or unlocked/.test(event.detail ?? '')).length === 4, 'ingest to give up on note.txt', 30_000);
  assert.equal(onDisk(join(folder, 'note.txt')), 'written before the folder was added\n', 'nothing is encrypted before the unlock');

  await rejectsWith(first.api.unlockFolder({ folder: 'Carried', passphrase: 'not the passphrase' }), 'invalid-request', '$.passphrase');
  assert.equal(onDisk(join(folder, 'note.txt')), 'written before the folder was added\n');
  await first.api.unlockFolder({ folder: 'Carried', passphrase: 'the old passphrase' });
  assert.equal((await lockOf(first.api, 'Carried'))?.lock, 'unlocked');
  await eventMatching(first.api, 'Carried', /trusted: its passphrase proved its key/, { actions: ['unlocked'] });
  await eventually(() => isAge(join(folder, 'note.txt')), 'the file left plaintext to be encrypted once the vault is trusted');
  const identity = await unlockVault(sodium, folder, 'the old passphrase');
  assert.equal(new TextDecoder().decode(decrypt(sodium, new Uint8Array(readFileSync(join(folder, 'note.txt'))), [identity])), 'written before the folder was added\n');
  assert.equal(identity.recipient().toString(), info.recipient);
  identity.wipe();
  await first.stop();

  const second = await agentOn(t, dataDir);
  assert.equal((await lockOf(second.api, 'Carried'))?.lock, 'locked');
  writeFileSync(join(folder, 'later.txt'), 'dropped while locked\n');
  await eventually(() => isAge(join(folder, 'later.txt')), 'a trusted vault encrypts new files while locked');
  const refusals = (await second.api.queryEvents({ folder: 'Carried', actions: ['error'] })).events.filter((event) => event.result === 'refused');
  assert.deepEqual(refusals.map((event) => event.detail).filter((detail) => /not one this Strata/.test(detail ?? '')).length, 1, 'only the first start refused the vault');
});

test('a vault the agent created is trusted at once; swapped on disk for another, it is refused at the next start until the new one is unlocked', async (t) => {
  const root = tempDir(t);
  const folder = join(root, 'Mine');
  mkdirSync(folder);
  const dataDir = join(root, 'data');
  const first = await agentOn(t, dataDir);
  await first.api.addFolder({ path: folder, name: 'Mine', policy: CRYPT });
  await first.api.createVault({ folder: 'Mine', passphrase: 'my own passphrase' });
  writeFileSync(join(folder, 'first.txt'), 'encrypted while locked\n');
  await eventually(() => isAge(join(folder, 'first.txt')), 'a vault Strata created to encrypt while locked');
  const mine = JSON.parse(readFileSync(join(folder, '.strata-vault', 'vault.json'), 'utf8')).recipient as string;
  await first.stop();

  const elsewhere = join(root, 'elsewhere');
  const theirs = await createVault(sodium, elsewhere, 'their passphrase');
  rmSync(join(folder, '.strata-vault'), { recursive: true });
  cpSync(join(elsewhere, '.strata-vault'), join(folder, '.strata-vault'), { recursive: true });
  writeFileSync(join(folder, 'second.txt'), 'dropped after the swap\n');

  const second = await agentOn(t, dataDir);
  const ingest = await firstIngest(second.api, 'Mine', 'second.txt');
  assert.equal(onDisk(join(folder, 'second.txt')), 'dropped after the swap\n', 'nothing is encrypted to the swapped-in recipient');
  assert.match(ingest.detail!, /the vault file changed on disk/);
  const refusal = await eventMatching(second.api, 'Mine', /the vault file changed on disk/, { actions: ['error'] });
  assert.ok(refusal.detail!.includes(`recipient ${theirs.recipient}, expected ${mine}`), refusal.detail!);
  await rejectsWith(second.api.unlockFolder({ folder: 'Mine', passphrase: 'my own passphrase' }), 'invalid-request', '$.passphrase');
  assert.equal(onDisk(join(folder, 'second.txt')), 'dropped after the swap\n');

  // Whoever holds the new vault's passphrase proves it is theirs: from then on the folder encrypts to it.
  await second.api.unlockFolder({ folder: 'Mine', passphrase: 'their passphrase' });
  await eventually(() => isAge(join(folder, 'second.txt')), 'the file to be encrypted once the new vault is proven');
});
