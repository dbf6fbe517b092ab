// Where the scan filter keeps its undo journals, which hold the original content of files being
// overwritten — plaintext even in an encrypted folder (scan sits above crypt): under the agent, in the
// private data dir (0700 folder, 0600 files), never in the shared temp folder, and unlinked as soon as
// the stream is settled; a staging folder someone else made or others can open is refused by name.

import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { X25519Identity, loadSodium } from '../../../main/age/index.js';
import { openFolderStack } from '../../../main/agent/folder-stack.js';
import { scanProvider } from '../../../main/agent/protections/scan.js';
import { FilterManager } from '../../../main/fltmgr/index.js';
import { FILE_OPEN, FILE_OVERWRITE_IF, IoManager, STATUS_SUCCESS } from '../../../main/io/index.js';
import { openStore } from '../../../main/store/index.js';
import { CryptoPool } from '../../../filters/crypt/crypto-pool.js';
import { registerCryptFilter } from '../../../filters/crypt/index.js';
import { KeyRing } from '../../../filters/crypt/key-ring.js';
import { SCAN_ALTITUDE, registerScanFilter } from '../../../filters/scan/index.js';
import { tempDir } from './helpers.js';

const SECRET = 'the plaintext of an encrypted file; '.repeat(20);
const isRoot = process.getuid?.() === 0;

describe('undo journals under the agent', () => {
  it('of an encrypted folder hold its plaintext only in <data dir>/scan-undo (0700, files 0600), unlinked at the close', async (t) => {
    const sodium = await loadSodium();
    const identity = X25519Identity.generate(sodium);
    const keyRing = new KeyRing(identity.recipient(), 0);
    keyRing.unlock(X25519Identity.parse(sodium, identity.toString()));
    const pool = await CryptoPool.create(1);
    t.after(() => pool.close());
    const folder = tempDir(t, 'strata-scan-folder-');
    const dataDir = join(tempDir(t, 'strata-data-'), 'data');
    const store = openStore(dataDir);
    t.after(() => store.close());
    const stack = await openFolderStack(folder, { verifier: true, setup: (manager) => void registerCryptFilter(manager, { sodium, keyRing, pool, lockedWaitMs: 5000 }) });
    t.after(() => stack.close());
    const active = await scanProvider.attach(
      {
        folder: { id: 'f1', name: 'Vault', path: folder },
        stack,
        dataDir,
        store,
        record: () => {},
        progress: () => {},
        tier: () => undefined,
        signatureSet: () => undefined,
      },
      { enabled: true, altitude: SCAN_ALTITUDE, settings: { signatureSet: 'builtin', scanOnOpen: true, action: 'quarantine' } },
    );
    t.after(() => active.detach());
    const api = stack.api;

    const created = await api.createFile(stack.pathOf('secret.txt'), { disposition: FILE_OVERWRITE_IF });
    assert.equal((await api.write(created.handle!, Buffer.from(SECRET), 0)).status, STATUS_SUCCESS);
    await api.close(created.handle!);
    assert.ok(!readFileSync(join(folder, 'secret.txt'), 'latin1').includes('plaintext'), 'the folder holds ciphertext');

    // An out-of-order write to an existing file: its original bytes are journalled before it lands.
    const writer = await api.createFile(stack.pathOf('secret.txt'), { disposition: FILE_OPEN });
    assert.equal((await api.write(writer.handle!, Buffer.from('changed'), 100)).status, STATUS_SUCCESS);
    const staging = join(dataDir, 'scan-undo');
    const journals = existsSync(staging) ? readdirSync(staging) : [];
    assert.equal(journals.length, 1, `one journal in ${staging}`);
    assert.equal(statSync(staging).mode & 0o777, 0o700);
    const journal = join(staging, journals[0]!);
    assert.equal(statSync(journal).mode & 0o777, 0o600);
    assert.ok(readFileSync(journal, 'latin1').includes(SECRET.slice(100, 107)), 'it is the plaintext that the journal keeps, hence the private folder');

    assert.equal((await api.close(writer.handle!)).status, STATUS_SUCCESS);
    assert.deepEqual(readdirSync(staging), [], 'unlinked once the stream is clean');
  });
});

describe('a staging folder that is not private', () => {
  const manager = () => new FilterManager(new IoManager({ verifier: true }));
  const refusedNaming = (dir: string) => (error: unknown) => error instanceof Error && error.name === 'StagingDirError' && error.message.includes(dir);

  it('open to other users is refused, naming it', (t) => {
    const dir = join(tempDir(t), 'staging');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    assert.throws(() => registerScanFilter(manager(), { stagingDir: dir }), refusedNaming(dir));
  });

  it('owned by another user is refused, naming it', { skip: isRoot ? false : 'only root can make a folder another user owns' }, (t) => {
    const dir = join(tempDir(t), 'staging');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    assert.throws(() => registerScanFilter(manager(), { stagingDir: dir }), refusedNaming(dir));
  });

  it('the default one, pre-created in the temp folder by another user, is refused, naming it', (t) => {
    const tmp = tempDir(t);
    const dir = join(tmp, `strata-scan-staging-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir);
    // What an attacker would make: theirs if we are root, else open to everyone (theirs to fill).
    if (isRoot) chownSync(dir, 65534, 65534);
    chmodSync(dir, 0o777);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      assert.throws(() => registerScanFilter(manager()), refusedNaming(dir));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('missing is created 0700', (t) => {
    const dir = join(tempDir(t), 'a', 'staging');
    registerScanFilter(manager(), { stagingDir: dir });
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });
});
