// Vault unlock and create on a thread of their own (vault-thread.ts): the same results and the same error
// classes as in-thread, and the calling thread keeps running while scrypt works (on the agent's main
// thread it stalled every folder's I/O for about a second per unlock).

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { decrypt, encrypt, loadSodium } from '../../../main/age/index.js';
import { createVault, readVaultInfo, unlockVault } from '../../../filters/crypt/vault/vault.js';
import { VaultError, VaultExistsError, WrongPassphraseError } from '../../../filters/crypt/vault/vault-error.js';
import { vaultPaths } from '../../../filters/crypt/vault/vault-layout.js';
import { createVaultOffThread, unlockVaultOffThread } from '../../../filters/crypt/vault/vault-thread.js';

const sodium = await loadSodium();
let root: string;
before(async () => (root = await mkdtemp(join(tmpdir(), 'strata-vault-thread-'))));
after(() => rm(root, { recursive: true, force: true }));

describe('vault operations on a thread of their own', () => {
  it('create off-thread makes a vault the in-thread unlock opens, and the off-thread unlock gives the same key', async () => {
    const folder = join(root, 'made-off-thread');
    const info = await createVaultOffThread(folder, 'passphrase one');
    assert.equal((await readVaultInfo(folder)).recipient, info.recipient);
    const inThread = await unlockVault(sodium, folder, 'passphrase one');
    const offThread = await unlockVaultOffThread(sodium, folder, 'passphrase one');
    assert.equal(offThread.recipient().toString(), info.recipient);
    const file = encrypt(sodium, [inThread.recipient()], new TextEncoder().encode('to the vault key'));
    assert.equal(new TextDecoder().decode(decrypt(sodium, file, [offThread])), 'to the vault key');
    inThread.wipe();
    offThread.wipe();
  });

  it('errors come back as the classes the in-thread functions throw, naming the files', async () => {
    const folder = join(root, 'errors');
    await createVault(sodium, folder, 'right');
    const identityBefore = await readFile(vaultPaths(folder).identity);
    await assert.rejects(unlockVaultOffThread(sodium, folder, 'wrong'), (error: unknown) => error instanceof WrongPassphraseError && error.identityPath === vaultPaths(folder).identity);
    await assert.rejects(createVaultOffThread(folder, 'another'), (error: unknown) => error instanceof VaultExistsError && error.message.includes(vaultPaths(folder).info));
    await assert.rejects(unlockVaultOffThread(sodium, join(root, 'no-vault'), 'x'), (error: unknown) => error instanceof VaultError && error.message.includes('has no vault'));
    await assert.rejects(createVaultOffThread(join(root, 'empty-passphrase'), ''), (error: unknown) => error instanceof VaultError && error.message.includes('passphrase is empty'));
    assert.deepEqual(await readFile(vaultPaths(folder).identity), identityBefore);
  });

  it('the calling thread runs on while an unlock works: a timer set after the unlock starts fires before it ends', async () => {
    const folder = join(root, 'responsive');
    await createVault(sodium, folder, 'slow to derive');
    let settled = false;
    const unlocking = unlockVaultOffThread(sodium, folder, 'slow to derive').finally(() => (settled = true));
    // scrypt at 2^18 is hundreds of milliseconds of work: on the calling thread, this timer could only fire after it.
    await delay(10);
    assert.equal(settled, false, 'the unlock was over before a 10 ms timer set after it could fire: scrypt ran on this thread');
    (await unlocking).wipe();
  });
});
