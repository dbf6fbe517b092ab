// Locking the vault while files are being read or saved: the lock stops new work, it does not fail work
// under way. Reads and saves decrypt with their own copies of the file key, so a read under way returns the
// right plaintext or STATUS_FILE_ENCRYPTED (never "damaged"; one let in just before the lock waits for the
// key like one that came in while locked), the first read after unlock is right, and a
// save under way completes. A file read continuously is use of the vault: it does not lock itself meanwhile.

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, it } from 'node:test';
import { CHUNK_SIZE, X25519Identity, decrypt } from '../../../main/age/index.js';
import { FILE_OPEN, statusName, type FileHandle } from '../../../main/io/index.js';
import { TEMP_MARK } from '../../../filters/crypt/names.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

const MiB = 1 << 20;

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function unlockAgain(): void {
  rig.keyRing.unlock(X25519Identity.parse(rig.sodium, rig.identity.toString()));
}

/** Byte-for-byte equality without deepEqual's cost on many MiB. */
function same(actual: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.length));
}

async function temps(): Promise<string[]> {
  return (await readdir(rig.folder)).filter((name) => name.includes(TEMP_MARK));
}

/** Reads [offset, offset + length) and checks it is `expected` there. */
async function readsRight(handle: FileHandle, offset: number, length: number, expected: Uint8Array, what: string): Promise<void> {
  const result = await rig.stack.api.read(handle, length, offset);
  assert.equal(statusName(result.status), 'STATUS_SUCCESS', what);
  assert.ok(same(result.data, expected.subarray(offset, offset + length)), `${what}: the plaintext`);
}

describe('crypt filter: a lock while files are read or saved', () => {
  it('a read let in just before a lock waits for the key, and completes once the vault is unlocked in time', async () => {
    rig = await openCryptRig({ lockedWaitMs: 10_000 });
    const plaintext = bytes(6 * MiB, 9);
    await rig.put('r.bin', plaintext);
    for (const lockAfterMs of [null, 0, 1, 3]) {
      const what = `locked after ${lockAfterMs ?? 'nothing'} ms`;
      const handle = await rig.open('r.bin', FILE_OPEN);
      await readsRight(handle, 0, 4096, plaintext, `${what}: the first read, which caches the key`);
      const reading = rig.stack.api.read(handle, 5 * MiB, 4096);
      if (lockAfterMs !== null) await settle(lockAfterMs);
      rig.keyRing.lock();
      setTimeout(unlockAgain, 30);
      const result = await reading;
      assert.equal(statusName(result.status), 'STATUS_SUCCESS', what);
      assert.ok(same(result.data, plaintext.subarray(4096, 4096 + 5 * MiB)), `${what}: the plaintext`);
      await rig.stack.api.close(handle);
    }
  });

  it('a lock during a large read never reports the file damaged, and the same read after unlock returns the plaintext', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(8 * MiB, 2);
    await rig.put('a.bin', plaintext);
    // A whole-file read (split into windows decrypted ahead), a large read elsewhere (read below and
    // decrypted directly) and a small one; the lock lands before the read goes below (null: in the same
    // turn), or while its ciphertext is read or decrypted.
    const reads = [[0, 8 * MiB], [MiB + 100, 5 * MiB], [3 * MiB + 7, 100_000]] as const;
    for (const [offset, length] of reads) {
      for (const lockAfterMs of [null, 0, 2, 10]) {
        const what = `read of ${length} at ${offset}, locked after ${lockAfterMs ?? 'nothing'} ms`;
        const handle = await rig.open('a.bin', FILE_OPEN);
        const reading = rig.stack.api.read(handle, length, offset);
        if (lockAfterMs !== null) await settle(lockAfterMs);
        rig.keyRing.lock();
        const result = await reading;
        // Finished with its own copy of the key, or stopped by the lock: nothing else.
        if (statusName(result.status) === 'STATUS_SUCCESS') assert.ok(same(result.data, plaintext.subarray(offset, offset + length)), `${what}: the plaintext`);
        else assert.equal(statusName(result.status), 'STATUS_FILE_ENCRYPTED', what);
        // At once: a check of the file's final chunk started before the lock must not be what this read gets.
        unlockAgain();
        await readsRight(handle, offset, length, plaintext, `${what}, again after unlock`);
        assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
      }
    }
    assert.equal(statusName(await rig.readStatus('a.bin')), 'STATUS_SUCCESS');
  });

  it('a lock during the save of a modified large file: the save completes with its copy of the key, and the new version is on disk whole', async () => {
    rig = await openCryptRig();
    const old = bytes(40 * MiB, 3);
    await rig.put('big.bin', old);
    const expected = old.slice();
    const handle = await rig.open('big.bin', FILE_OPEN);
    // A few small changes: nearly every batch of the save is decrypted from the old version, and there are
    // more batches than the save has in flight at once, so some start only after the lock.
    for (const at of [100, 13 * MiB + 7, 40 * MiB - 5]) {
      const patch = new Uint8Array(5).fill(0xa5);
      expected.set(patch, at);
      assert.equal(statusName((await rig.stack.api.write(handle, patch, at)).status), 'STATUS_SUCCESS');
    }
    let closed = false;
    const closing = rig.stack.api.close(handle).finally(() => (closed = true));
    // The save is under way once its temporary file exists beside the target.
    while ((await temps()).length === 0) {
      assert.equal(closed, false, 'the save finished before its temporary file was seen');
      await settle(1);
    }
    rig.keyRing.lock();
    assert.equal(closed, false, 'the lock lands while the save is under way');
    assert.equal(statusName((await closing).status), 'STATUS_SUCCESS', 'the save');
    assert.deepEqual(await temps(), [], 'no temporary file is left');
    // Complete on disk, read with the stock decryption rather than through the filter.
    assert.ok(same(decrypt(rig.sodium, await rig.onDisk('big.bin'), [rig.identity]), expected), 'the new version on disk');
    unlockAgain();
    assert.ok(same(await rig.get('big.bin'), expected), 'the new version through Strata');
  });

  it('a file read every 20 ms keeps the vault from locking itself; once the reads stop, it locks after the idle time', async () => {
    rig = await openCryptRig({ autoLockMs: 300, lockedWaitMs: 100 });
    const plaintext = bytes(MiB, 4);
    await rig.put('a.bin', plaintext);
    const handle = await rig.open('a.bin', FILE_OPEN);
    // The idle time starts here, however long the setup took on a busy machine.
    unlockAgain();
    const start = Date.now();
    let reads = 0;
    for (; Date.now() - start < 1200; reads++) {
      // Chunks out of order: a read is not always served from what was read ahead.
      const offset = ((reads * 5) % 16) * CHUNK_SIZE;
      await readsRight(handle, offset, CHUNK_SIZE, plaintext, `read ${reads} at ${Date.now() - start} ms`);
      assert.equal(rig.keyRing.unlocked, true, `unlocked after read ${reads}, ${Date.now() - start} ms in`);
      await settle(20);
    }
    assert.ok(reads >= 10, `${reads} reads`);
    await settle(900);
    assert.equal(rig.keyRing.unlocked, false, 'locked once the reads stopped for longer than the idle time');
    assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
  });
});
