// A read below the scan filter that fails is an error, never the end of the file. Here the crypt filter
// below scan finds a damaged chunk in the middle of an encrypted file and fails reads of it with
// STATUS_FILE_CORRUPT_ERROR. A cut or an overwrite of that file needs its original bytes in the undo
// journal first; they cannot be read, so the operation fails with the read's status and the file stays
// exactly as it was — rather than going ahead with a journal that would later "restore" the wrong bytes.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, X25519Identity, loadSodium, parseHeader } from '../../../main/age/index.js';
import { openFolderStack, type FolderStack } from '../../../main/agent/folder-stack.js';
import {
  FILE_OPEN, FILE_OVERWRITE, FILE_OVERWRITE_IF, FileInformationClass, STATUS_FILE_CORRUPT_ERROR, STATUS_SUCCESS, statusName,
} from '../../../main/io/index.js';
import { CryptoPool } from '../../../filters/crypt/crypto-pool.js';
import { registerCryptFilter, type CryptFilter } from '../../../filters/crypt/index.js';
import { KeyRing } from '../../../filters/crypt/key-ring.js';
import { registerScanFilter } from '../../../filters/scan/index.js';
import { tempDir } from './helpers.js';

interface Rig {
  readonly folder: string;
  readonly stagingDir: string;
  readonly stack: FolderStack;
}

/** A folder with crypt (141000) and scan (325000) on it; opens are not scanned, so a damaged file can be opened. */
async function openScanOverCrypt(t: { after(fn: () => Promise<void> | void): void }): Promise<Rig> {
  const sodium = await loadSodium();
  const identity = X25519Identity.generate(sodium);
  const keyRing = new KeyRing(identity.recipient(), 0);
  keyRing.unlock(X25519Identity.parse(sodium, identity.toString()));
  const pool = await CryptoPool.create(1);
  const folder = tempDir(t, 'strata-scan-folder-');
  const stagingDir = tempDir(t, 'strata-scan-staging-');
  let crypt: CryptFilter | null = null;
  const stack = await openFolderStack(folder, {
    verifier: true,
    setup: (manager) => {
      crypt = registerCryptFilter(manager, { sodium, keyRing, pool, lockedWaitMs: 5000 });
      registerScanFilter(manager, { stagingDir, policy: { scanOnOpen: false } });
    },
  });
  t.after(async () => {
    await crypt!.idle();
    await stack.close();
    await pool.close();
  });
  return { folder, stagingDir, stack };
}

/** Writes a three-chunk file through the stack, then flips a byte of its middle chunk on disk; returns the damaged ciphertext. */
async function damagedFile(rig: Rig, name: string): Promise<Buffer> {
  const created = await rig.stack.api.createFile(rig.stack.pathOf(name), { disposition: FILE_OVERWRITE_IF });
  assert.equal(statusName(created.status), statusName(STATUS_SUCCESS), `create ${name}`);
  const plaintext = Buffer.alloc(3 * CHUNK_SIZE - 100, 'original content, ');
  assert.equal(statusName((await rig.stack.api.write(created.handle!, plaintext, 0)).status), statusName(STATUS_SUCCESS));
  assert.equal(statusName((await rig.stack.api.close(created.handle!)).status), statusName(STATUS_SUCCESS));
  const path = join(rig.folder, name);
  const file = readFileSync(path);
  const payloadStart = parseHeader(file).length + 16;
  file[payloadStart + ENCRYPTED_CHUNK_SIZE + 10]! ^= 1;
  writeFileSync(path, file);
  return file;
}

describe('a read below the scan filter that fails', () => {
  it('fails a cut of the file with its status (STATUS_FILE_CORRUPT_ERROR) and leaves the file as it was', async (t) => {
    const rig = await openScanOverCrypt(t);
    const damaged = await damagedFile(rig, 'damaged.bin');
    const opened = await rig.stack.api.createFile(rig.stack.pathOf('damaged.bin'), { disposition: FILE_OPEN });
    assert.equal(statusName(opened.status), statusName(STATUS_SUCCESS));
    const cut = await rig.stack.api.setInformation(opened.handle!, FileInformationClass.FileEndOfFileInformation, { endOfFile: 0 });
    assert.equal(statusName(cut.status), statusName(STATUS_FILE_CORRUPT_ERROR), 'the bytes to journal cannot be read: no cut');
    assert.equal(statusName((await rig.stack.api.close(opened.handle!)).status), statusName(STATUS_SUCCESS), 'nothing changed, nothing to judge at the close');
    assert.deepEqual(readFileSync(join(rig.folder, 'damaged.bin')), damaged, 'the file on disk is unchanged');
    assert.deepEqual(readdirSync(rig.stagingDir), [], 'no journal left behind');
  });

  it('fails an overwriting open of the file with its status and leaves the file as it was', async (t) => {
    const rig = await openScanOverCrypt(t);
    const damaged = await damagedFile(rig, 'damaged.bin');
    const overwrite = await rig.stack.api.createFile(rig.stack.pathOf('damaged.bin'), { disposition: FILE_OVERWRITE });
    assert.equal(statusName(overwrite.status), statusName(STATUS_FILE_CORRUPT_ERROR), 'the bytes to journal cannot be read: no overwrite');
    assert.equal(overwrite.handle, null);
    assert.deepEqual(readFileSync(join(rig.folder, 'damaged.bin')), damaged, 'the file on disk is unchanged');
    assert.deepEqual(readdirSync(rig.stagingDir), [], 'no journal left behind');
  });
});
