// The vault: create, unlock, change passphrase, export the identity; a wrong passphrase changes nothing;
// and the stock age CLI with only the passphrase recovers files through the vault's identity file.
// Concurrent creations: one wins whole, the others are refused and change nothing of it. scrypt work factors
// beyond what libsodium can compute (2^20) are clear errors naming the file, on creation and on unlock, and
// an unlock wipes its copy of the passphrase.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScryptIdentity, ScryptRecipient, WorkFactorTooHighError, X25519Identity, decrypt, encrypt, loadSodium, parseHeader, type Sodium } from '../../../main/age/index.js';
import { changePassphrase, createVault, readVaultInfo, unlockVault } from '../../../filters/crypt/vault/vault.js';
import { VaultError, VaultExistsError, WrongPassphraseError } from '../../../filters/crypt/vault/vault-error.js';
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

describe('vault creation races', () => {
  it('two creations at once: one wins whole, the other is refused as "already has a vault"; only the winner\'s passphrase opens it', async () => {
    const folder = join(root, 'race');
    await mkdir(folder);
    const results = await Promise.allSettled([createVault(sodium, folder, 'passphrase A'), createVault(sodium, folder, 'passphrase B')]);
    const won = results.flatMap((result, index) => (result.status === 'fulfilled' ? [{ index, info: result.value }] : []));
    const lost = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    assert.equal(won.length, 1, 'exactly one creation succeeds');
    assert.equal(lost.length, 1);
    assert.ok(lost[0] instanceof VaultExistsError && lost[0].message.includes('already has a vault'), String(lost[0]));
    const [winner, loser] = won[0]!.index === 0 ? ['passphrase A', 'passphrase B'] : ['passphrase B', 'passphrase A'];
    assert.equal((await readVaultInfo(folder)).recipient, won[0]!.info.recipient, 'vault.json is the winner\'s');
    const identity = await unlockVault(sodium, folder, winner);
    assert.equal(identity.recipient().toString(), won[0]!.info.recipient);
    identity.wipe();
    await assert.rejects(unlockVault(sodium, folder, loser), WrongPassphraseError);
    assert.deepEqual((await readdir(folder)).sort(), ['.strata-vault'], 'no staging folder is left');
    assert.deepEqual((await readdir(join(folder, '.strata-vault'))).sort(), ['identity.age', 'vault.json']);
  });

  it('a .strata-vault holding other files but no vault.json is refused with what to do, and kept as it is', async () => {
    const folder = join(root, 'leftover');
    await mkdir(join(folder, '.strata-vault'), { recursive: true });
    await writeFile(join(folder, '.strata-vault', 'identity.age'), 'what an interrupted creation left');
    await assert.rejects(createVault(sodium, folder, 'passphrase'), (error: unknown) => error instanceof VaultError && !(error instanceof VaultExistsError) && /holds no vault\.json.*move it away/.test(error.message));
    assert.deepEqual(await readdir(join(folder, '.strata-vault')), ['identity.age']);
    assert.deepEqual(await readdir(folder), ['.strata-vault']);
  });

  it('a vault.json without its identity file cannot be unlocked: a clear error naming the file', async () => {
    const folder = join(root, 'no-identity');
    await createVault(sodium, folder, 'passphrase');
    await rm(vaultPaths(folder).identity);
    await assert.rejects(unlockVault(sodium, folder, 'passphrase'), (error: unknown) => error instanceof VaultError && error.message.includes(`no identity file (${vaultPaths(folder).identity})`));
  });

  it('a folder in place of a vault file, or a file in place of the vault folder, is a clear error naming it', async () => {
    const folder = join(root, 'folders-in-place');
    await createVault(sodium, folder, 'passphrase');
    await rm(vaultPaths(folder).identity);
    await mkdir(vaultPaths(folder).identity);
    await assert.rejects(unlockVault(sodium, folder, 'passphrase'), (error: unknown) => error instanceof VaultError && error.message.includes(`${vaultPaths(folder).identity} is a folder`));
    await rm(vaultPaths(folder).info);
    await mkdir(vaultPaths(folder).info);
    await assert.rejects(readVaultInfo(folder), (error: unknown) => error instanceof VaultError && error.message.includes(`${vaultPaths(folder).info} is a folder`));
    const fileInPlace = join(root, 'file-in-place');
    await mkdir(fileInPlace);
    await writeFile(join(fileInPlace, '.strata-vault'), 'not a folder');
    await assert.rejects(createVault(sodium, fileInPlace, 'passphrase'), (error: unknown) => error instanceof VaultError && error.message.includes(`${join(fileInPlace, '.strata-vault')} is there but is not a folder`));
    assert.equal(await readFile(join(fileInPlace, '.strata-vault'), 'utf8'), 'not a folder');
    assert.deepEqual(await readdir(fileInPlace), ['.strata-vault'], 'no staging folder is left');
  });
});

/** libsodium with its memzero watched: what each wiped buffer held just before. */
function watchedWipes(): { sodium: Sodium; wiped: Array<{ held: Uint8Array; buffer: Uint8Array }> } {
  const wiped: Array<{ held: Uint8Array; buffer: Uint8Array }> = [];
  const watched = Object.create(sodium) as Sodium;
  watched.memzero = (buffer: Uint8Array) => {
    wiped.push({ held: buffer.slice(), buffer });
    sodium.memzero(buffer);
  };
  return { sodium: watched, wiped };
}

describe('vault secrets and work factors', () => {
  let folder: string;
  before(async () => {
    folder = join(root, 'secrets');
    await createVault(sodium, folder, 'the passphrase');
  });

  it('an unlock wipes its copy of the passphrase, whether it opens the vault or not', async () => {
    for (const passphrase of ['the passphrase', 'not the passphrase']) {
      const { sodium: watched, wiped } = watchedWipes();
      await unlockVault(watched, folder, passphrase).then((identity) => identity.wipe(), () => undefined);
      const copy = wiped.find((entry) => Buffer.from(entry.held).equals(Buffer.from(passphrase)));
      assert.ok(copy !== undefined, `the passphrase bytes of '${passphrase}' were wiped`);
      assert.ok(copy.buffer.every((byte) => byte === 0));
    }
  });

  it('a vault is created with work factors 18 to 20 only: 21 is a clear error naming the identity file, and nothing is written', async () => {
    const other = join(root, 'factor-21');
    for (const workFactor of [17, 21, 22]) {
      await assert.rejects(createVault(sodium, other, 'passphrase', { workFactor }), (error: unknown) => error instanceof VaultError
        && error.message.includes(vaultPaths(other).identity) && error.message.includes('from 18 to 20') && error.message.includes(`got ${workFactor}`));
    }
    await assert.rejects(readdir(other), { code: 'ENOENT' });
    await assert.rejects(changePassphrase(sodium, folder, 'the passphrase', 'another one', { workFactor: 21 }), /from 18 to 20/);
  });

  it('an identity file asking for work factor 2^21 or 2^22 is a clear error naming the file and the factor, before any work', async () => {
    for (const workFactor of [21, 22]) {
      const other = join(root, `reads-${workFactor}`);
      await createVault(sodium, other, 'the passphrase');
      const identityFile = await readFile(vaultPaths(other).identity, 'latin1');
      await writeFile(vaultPaths(other).identity, Buffer.from(identityFile.replace(/^(-> scrypt \S+) 18$/m, `$1 ${workFactor}`), 'latin1'));
      await assert.rejects(unlockVault(sodium, other, 'the passphrase'), (error: unknown) => error instanceof VaultError
        && error.message.includes(vaultPaths(other).identity) && error.message.includes(`2^${workFactor}`) && error.message.includes('at most 2^20'));
    }
  });

  it('age: scrypt recipients stop at 2^20 with a clear error, and identities refuse more as too costly', () => {
    assert.throws(() => new ScryptRecipient(sodium, 'p', 21), /must be 1\.\.20 .*got 21/);
    const file = encrypt(sodium, [new ScryptRecipient(sodium, 'p', 10)], new Uint8Array([1, 2, 3]));
    const text = Buffer.from(file).toString('latin1').replace(/^(-> scrypt \S+) 10$/m, '$1 21');
    assert.throws(() => decrypt(sodium, new Uint8Array(Buffer.from(text, 'latin1')), [new ScryptIdentity(sodium, 'p')]),
      (error: unknown) => error instanceof WorkFactorTooHighError && error.workFactor === 21 && error.maxWorkFactor === 20);
  });
});
