// One passphrase change at a time per vault (passphrase-change-lock.ts): two at once each said "changed"
// while only the last one's passphrase opened the vault. Now the second is refused and changes nothing; a
// lock a crashed change left is taken over.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSodium } from '../../../main/age/index.js';
import { tempOwnerTag } from '../../../main/store/temp-owner.js';
import { passphraseChangeLockPath } from '../../../filters/crypt/vault/passphrase-change-lock.js';
import { changePassphrase, createVault, unlockVault } from '../../../filters/crypt/vault/vault.js';
import { VaultError } from '../../../filters/crypt/vault/vault-error.js';
import { vaultPaths } from '../../../filters/crypt/vault/vault-layout.js';

const sodium = await loadSodium();
let root: string;
before(async () => (root = await mkdtemp(join(tmpdir(), 'strata-passwd-lock-'))));
after(() => rm(root, { recursive: true, force: true }));

async function opens(folder: string, passphrase: string): Promise<boolean> {
  return unlockVault(sodium, folder, passphrase).then((identity) => (identity.wipe(), true), () => false);
}

describe('passphrase changes, one at a time', () => {
  it('of two changes at once, one is made and the other refused: the passphrase that says it is set opens the vault', async () => {
    const folder = join(root, 'both');
    await createVault(sodium, folder, 'old');
    const results = await Promise.allSettled([changePassphrase(sodium, folder, 'old', 'first'), changePassphrase(sodium, folder, 'old', 'second')]);
    const made = results.findIndex((result) => result.status === 'fulfilled');
    const refused = results.find((result) => result.status === 'rejected');
    assert.notEqual(made, -1, 'one change is made');
    assert.ok(refused !== undefined && refused.reason instanceof VaultError && /another passphrase change .* is under way/.test(refused.reason.message), String(refused?.status === 'rejected' ? refused.reason : 'both made'));
    assert.equal(await opens(folder, made === 0 ? 'first' : 'second'), true);
    assert.equal(await opens(folder, 'old'), false);
    await assert.rejects(stat(passphraseChangeLockPath(folder)), { code: 'ENOENT' });
  });

  it('a change while a live process holds the lock is refused, changes nothing, and leaves that lock', async () => {
    const folder = join(root, 'held');
    await createVault(sodium, folder, 'old');
    const identityBefore = await readFile(vaultPaths(folder).identity);
    await writeFile(passphraseChangeLockPath(folder), tempOwnerTag());
    await assert.rejects(changePassphrase(sodium, folder, 'old', 'new'), (error: unknown) => error instanceof VaultError && error.message.includes(passphraseChangeLockPath(folder)));
    assert.deepEqual(await readFile(vaultPaths(folder).identity), identityBefore);
    assert.equal(await readFile(passphraseChangeLockPath(folder), 'utf8'), tempOwnerTag());
  });

  it('a lock left by a change whose process is gone is taken over', async () => {
    const folder = join(root, 'stale');
    await createVault(sodium, folder, 'old');
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const [host, , run] = tempOwnerTag().split('-');
    await writeFile(passphraseChangeLockPath(folder), `${host}-${gone}-${run === '00000000' ? '11111111' : '00000000'}`);
    await changePassphrase(sodium, folder, 'old', 'new');
    assert.equal(await opens(folder, 'new'), true);
    await assert.rejects(stat(passphraseChangeLockPath(folder)), { code: 'ENOENT' });
  });
});
