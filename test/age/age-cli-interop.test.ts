// Interop with the reference age CLI (Debian's age), both ways: files our library writes decrypt with
// `age -d`, files `age` writes decrypt with our library, for X25519 keys, armor and passphrases.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CHUNK_SIZE, NoIdentityMatchError, ScryptIdentity, ScryptRecipient, X25519Identity, X25519Recipient, armor, dearmor,
  decrypt, encrypt, loadSodium,
} from '../../main/age/index.js';
import { ageCli, inTerminal } from './age-cli.js';

const sodium = await loadSodium();
let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'strata-age-'))));
after(() => rm(dir, { recursive: true, force: true }));

/** Sizes around the chunk boundaries: empty, one byte, exactly one chunk, one more, several. */
const SIZES = [0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE + 777];

function plaintextOf(size: number): Uint8Array {
  return sodium.randombytes_buf(size);
}

describe('our files decrypt with the age CLI', () => {
  for (const size of SIZES) {
    it(`an X25519 file of ${size} bytes decrypts with age -d -i`, async () => {
      const identity = X25519Identity.generate(sodium);
      const plaintext = plaintextOf(size);
      await writeFile(join(dir, 'id.txt'), `${identity}\n`);
      await writeFile(join(dir, `ours-${size}.age`), encrypt(sodium, [identity.recipient()], plaintext));
      assert.deepEqual(await ageCli(['-d', '-i', join(dir, 'id.txt'), join(dir, `ours-${size}.age`)]), plaintext);
    });
  }

  it('an armored file decrypts with age -d', async () => {
    const identity = X25519Identity.generate(sodium);
    const plaintext = plaintextOf(1000);
    await writeFile(join(dir, 'id-armor.txt'), `${identity}\n`);
    await writeFile(join(dir, 'ours.armor'), armor(encrypt(sodium, [identity.recipient()], plaintext)));
    assert.deepEqual(await ageCli(['-d', '-i', join(dir, 'id-armor.txt'), join(dir, 'ours.armor')]), plaintext);
  });

  it('a passphrase (scrypt, work factor 18) file decrypts with age -d and the passphrase typed on a terminal', async () => {
    const plaintext = plaintextOf(CHUNK_SIZE + 5);
    await writeFile(join(dir, 'ours-pass.age'), encrypt(sodium, [new ScryptRecipient(sodium, 'correct horse', 18)], plaintext));
    const result = await inTerminal(['age', '-d', '-o', join(dir, 'ours-pass.out'), join(dir, 'ours-pass.age')], ['correct horse']);
    assert.equal(result.code, 0, result.terminal);
    assert.deepEqual(new Uint8Array(await readFile(join(dir, 'ours-pass.out'))), plaintext);
  });
});

describe('age CLI files decrypt with our library', () => {
  for (const size of SIZES) {
    it(`a ${size}-byte file from age -r decrypts with our X25519 identity`, async () => {
      const identity = X25519Identity.generate(sodium);
      const plaintext = plaintextOf(size);
      await writeFile(join(dir, `theirs-${size}`), plaintext);
      await ageCli(['-r', identity.recipient().toString(), '-o', join(dir, `theirs-${size}.age`), join(dir, `theirs-${size}`)]);
      const file = new Uint8Array(await readFile(join(dir, `theirs-${size}.age`)));
      assert.deepEqual(decrypt(sodium, file, [identity]), plaintext);
    });
  }

  it('a key made by age-keygen round-trips through our bech32 parser', async () => {
    const { execFile } = await import('node:child_process');
    const keyFile = join(dir, 'keygen.txt');
    await new Promise<void>((resolve, reject) => execFile('age-keygen', ['-o', keyFile], (error) => (error ? reject(error) : resolve())));
    const text = await readFile(keyFile, 'utf8');
    const secret = text.split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-1'))!;
    const publicLine = text.split('\n').find((line) => line.startsWith('# public key: '))!;
    const identity = X25519Identity.parse(sodium, secret);
    assert.equal(identity.recipient().toString(), publicLine.slice('# public key: '.length));
    assert.equal(identity.toString(), secret);
    assert.equal(X25519Recipient.parse(sodium, identity.recipient().toString()).toString(), identity.recipient().toString());
  });

  it('an armored file from age -a decrypts with our library', async () => {
    const identity = X25519Identity.generate(sodium);
    const plaintext = plaintextOf(5000);
    await writeFile(join(dir, 'theirs-armor'), plaintext);
    await ageCli(['-a', '-r', identity.recipient().toString(), '-o', join(dir, 'theirs.armor'), join(dir, 'theirs-armor')]);
    assert.deepEqual(decrypt(sodium, dearmor(await readFile(join(dir, 'theirs.armor'))), [identity]), plaintext);
  });

  it('a file from age -p (passphrase typed on a terminal) decrypts with our scrypt identity, and not with a wrong passphrase', async () => {
    const plaintext = plaintextOf(2 * CHUNK_SIZE);
    await writeFile(join(dir, 'theirs-pass'), plaintext);
    const result = await inTerminal(['age', '-p', '-o', join(dir, 'theirs-pass.age'), join(dir, 'theirs-pass')], ['tr0ub4dor', 'tr0ub4dor']);
    assert.equal(result.code, 0, result.terminal);
    const file = new Uint8Array(await readFile(join(dir, 'theirs-pass.age')));
    assert.deepEqual(decrypt(sodium, file, [new ScryptIdentity(sodium, 'tr0ub4dor')]), plaintext);
    assert.throws(() => decrypt(sodium, file, [new ScryptIdentity(sodium, 'tr0ub4door')]), NoIdentityMatchError);
  });
});
