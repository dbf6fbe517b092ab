// The vault: create, unlock, change passphrase, export the identity; a wrong passphrase changes nothing;
// and the stock age CLI with only the passphrase recovers files through the vault's identity file.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { X25519Identity, loadSodium, parseHeader } from '../../../main/age/index.js';
import { changePassphrase, createVault, readVaultInfo, unlockVault } from '../../../filters/crypt/vault/vault.js';
import { VaultError, WrongPassphraseError } from '../../../filters/crypt/vault/vault-error.js';
import { vaultPaths } from '../../../filters/crypt/vault/vault-layout.js';
import { inTerminal } from '../../age/age-cli.js';
import { bytes, openCryptRig } from './crypt-rig.js';

const sodium = await loadSodium();
let root: string;
before(async () => (root = await mkdtemp(join(tmpdir(), 'strata-vault-'))));
after(() => rm(root, { recursive: true, force: true }));

async function fingerprint(folder: string): Promise<string> {
  const paths = vaultPaths(folder);
  const hash = createHash('sha256');
  for (const name of (await readdir(paths.dir)).sort()) hash.update(name).update(await readFile(join(paths.dir, name)));
  return hash.digest('hex');
}

describe('vault', () => {
  let folder: string;
  before(async () => {
    folder = join(root, 'v1');
    await createVault(sodium, folder, 'first passphrase');
  });

  it('create writes vault.json (format version, recipient) and identity.age, a scrypt age file with work factor >= 18', async () => {
    const info = await readVaultInfo(folder);
    assert.equal(info.version, 1);
    assert.match(info.recipient, /^age1[a-z0-9]{58}$/);
    const header = parseHeader(new Uint8Array(await readFile(vaultPaths(folder).identity)));
    assert.equal(header.stanzas.length, 1);
    assert.equal(header.stanzas[0]!.type, 'scrypt');
    assert.ok(Number(header.stanzas[0]!.args[1]) >= 18);
  });

  it('unlock with the passphrase gives the identity of the recorded recipient', async () => {
    const identity = await unlockVault(sodium, folder, 'first passphrase');
    assert.equal(identity.recipient().toString(), (await readVaultInfo(folder)).recipient);
    identity.wipe();
  });

  it('a wrong passphrase is a clear error naming the identity file, and changes nothing', async () => {
    const before = await fingerprint(folder);
    await assert.rejects(unlockVault(sodium, folder, 'wrong'), (error: unknown) => error instanceof WrongPassphraseError && error.message.includes('identity.age'));
    await assert.rejects(changePassphrase(sodium, folder, 'wrong', 'new one'), WrongPassphraseError);
    assert.equal(await fingerprint(folder), before);
  });

  it('creating a vault where one exists is refused and changes nothing', async () => {
    const before = await fingerprint(folder);
    await assert.rejects(createVault(sodium, folder, 'other'), (error: unknown) => error instanceof VaultError && error.message.includes('already has a vault'));
    assert.equal(await fingerprint(folder), before);
  });

  it('a damaged vault.json is an error naming the file and the field', async () => {
    const other = join(root, 'broken');
    await createVault(sodium, other, 'pw');
    await writeFile(vaultPaths(other).info, JSON.stringify({ format: 'strata-vault', version: 1, recipient: 42 }));
    await assert.rejects(readVaultInfo(other), (error: unknown) => error instanceof VaultError && /vault\.json: field "recipient"/.test(error.message));
  });

  it('passwd re-wraps only the identity: the old passphrase stops working, the recipient stays', async () => {
    const other = join(root, 'passwd');
    const info = await createVault(sodium, other, 'old secret');
    const infoBytes = await readFile(vaultPaths(other).info);
    await changePassphrase(sodium, other, 'old secret', 'new secret');
    await assert.rejects(unlockVault(sodium, other, 'old secret'), WrongPassphraseError);
    const identity = await unlockVault(sodium, other, 'new secret');
    assert.equal(identity.recipient().toString(), info.recipient);
    assert.deepEqual(await readFile(vaultPaths(other).info), infoBytes, 'vault.json untouched');
    assert.deepEqual((await readdir(vaultPaths(other).dir)).sort(), ['identity.age', 'vault.json'], 'no temporary file left');
  });

  it('the stock age tool and the passphrase alone recover a file written through Strata (age -d -i identity.age)', async () => {
    const identity = await unlockVault(sodium, folder, 'first passphrase');
    const exported = identity.toString();
    const rig = await openCryptRig({ folder, identity });
    try {
      await rig.put('letter.txt', bytes(70_000, 12));
    } finally {
      await rig.close();
    }
    const out = join(root, 'letter.out');
    const result = await inTerminal(['age', '-d', '-i', vaultPaths(folder).identity, '-o', out, join(folder, 'letter.txt')], ['first passphrase']);
    assert.equal(result.code, 0, result.terminal);
    assert.deepEqual(new Uint8Array(await readFile(out)), bytes(70_000, 12));
    // The exported recovery key works too.
    assert.equal(X25519Identity.parse(sodium, exported).recipient().toString(), (await readVaultInfo(folder)).recipient);
  });
});
