// HSM under encryption, both filters on one folder: crypt at 141000 above the HSM at 135000. What the
// HSM moves to the tier is exactly what is on disk — age ciphertext — so the cold tier never sees a
// plaintext byte (the stock `age` tool, given the vault key, decrypts a tier object to the file), and
// through Strata the released files still read and list as their plaintext.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { X25519Identity, loadSodium } from '../../../main/age/index.js';
import { FILE_ATTRIBUTE_OFFLINE, FILE_OVERWRITE_IF } from '../../../main/io/index.js';
import { CryptoPool } from '../../../filters/crypt/crypto-pool.js';
import { registerCryptFilter } from '../../../filters/crypt/index.js';
import { KeyRing } from '../../../filters/crypt/key-ring.js';
import { closeFile, expectStatus, listThrough, makeRig, migrateAll, openFile, readThrough, type HsmRig } from './hsm-rig.js';

const AGE_MAGIC = 'age-encryption.org/v1';

async function encryptedRig(t: Parameters<typeof makeRig>[0]): Promise<{ rig: HsmRig; identity: X25519Identity }> {
  const sodium = await loadSodium();
  const identity = X25519Identity.generate(sodium);
  const keyRing = new KeyRing(identity.recipient(), 0);
  keyRing.unlock(X25519Identity.parse(sodium, identity.toString()));
  const pool = await CryptoPool.create(2);
  t.after(() => pool.close());
  const rig = await makeRig(t, {}, {}, {
    setup: (manager) => {
      registerCryptFilter(manager, { sodium, keyRing, pool, lockedWaitMs: 5000 });
    },
  });
  return { rig, identity };
}

async function putThrough(rig: HsmRig, name: string, data: Uint8Array): Promise<void> {
  const handle = await openFile(rig, name, { disposition: FILE_OVERWRITE_IF });
  expectStatus((await rig.session.stack.api.write(handle, data, 0)).status, 0, `write ${name}`);
  await closeFile(rig, handle);
}

async function tierObjects(rig: HsmRig): Promise<string[]> {
  const paths: string[] = [];
  for (const prefix of await readdir(join(rig.tierRoot, 'objects'))) {
    for (const id of await readdir(join(rig.tierRoot, 'objects', prefix))) paths.push(join(rig.tierRoot, 'objects', prefix, id));
  }
  return paths;
}

describe('HSM with encryption on the same folder', () => {
  it('the tier only ever receives ciphertext, which the age tool decrypts; Strata still reads plaintext', async (t) => {
    const { rig, identity } = await encryptedRig(t);
    const secret = Buffer.concat([Buffer.from('TOP SECRET PLAINTEXT '.repeat(3000)), randomBytes(100_000)]);
    await putThrough(rig, 'secret.doc', secret);
    await putThrough(rig, 'notes.txt', Buffer.from('PLAINTEXT NOTE'));
    const onDisk = await readFile(join(rig.folder, 'secret.doc'));
    assert.ok(onDisk.subarray(0, AGE_MAGIC.length).toString() === AGE_MAGIC, 'crypt stored an age file');

    await migrateAll(rig);
    const objects = await tierObjects(rig);
    assert.equal(objects.length, 2);
    const keyFile = join(rig.root, 'vault.key');
    await writeFile(keyFile, `${identity.toString()}\n`, { mode: 0o600 });
    for (const object of objects) {
      const bytes = await readFile(object);
      assert.equal(bytes.subarray(0, AGE_MAGIC.length).toString(), AGE_MAGIC, 'a tier object is an age file');
      assert.equal(bytes.includes(Buffer.from('PLAINTEXT')), false, 'no plaintext in the tier');
      const decrypted = execFileSync('age', ['-d', '-i', keyFile, object]);
      assert.ok(decrypted.equals(secret) || decrypted.toString() === 'PLAINTEXT NOTE', 'the stock age tool decrypts it');
    }

    const listed = await listThrough(rig);
    assert.equal(listed.get('secret.doc')!.endOfFile, secret.length, 'listings show the plaintext size');
    assert.equal(listed.get('secret.doc')!.fileAttributes & FILE_ATTRIBUTE_OFFLINE, FILE_ATTRIBUTE_OFFLINE, 'and the offline flag');
    assert.ok((await readThrough(rig, 'secret.doc')).equals(secret), 'reading through Strata recalls and decrypts');
    assert.equal((await readFile(join(rig.folder, 'secret.doc'))).subarray(0, AGE_MAGIC.length).toString(), AGE_MAGIC, 'recalled as ciphertext');
  });

  it('listing an encrypted folder of stubs recalls nothing', async (t) => {
    const { rig } = await encryptedRig(t);
    for (let i = 0; i < 3; i++) await putThrough(rig, `f${i}.bin`, randomBytes(10_000));
    await migrateAll(rig);
    await listThrough(rig);
    assert.equal(rig.events.filter((event) => event.kind === 'recall-started').length, 0);
  });
});
