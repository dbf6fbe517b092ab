// The last close of a stream while work on it is still waiting: the cleanup always reaches the file system
// (the file is never left held open), a save that waits for the locked vault's key in vain fails without
// touching the old version, what the handle had waiting for the key is cancelled, and writes still held
// in the write backlog are saved, as their success said. An open of a file while it is being saved waits
// for the save: both closes succeed and both writes are kept; cancelled while it waits, it fails with
// STATUS_CANCELLED and the save goes on.

import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { afterEach, describe, it } from 'node:test';
import { X25519Identity } from '../../../main/age/index.js';
import { FILE_OPEN, FILE_OVERWRITE_IF, IRP_MJ_CREATE, IoCancelIrp, statusName } from '../../../main/io/index.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

const MiB = 1 << 20;

let rig: CryptRig;
afterEach(() => rig?.close());

function unlock(): void {
  rig.keyRing.unlock(X25519Identity.parse(rig.sodium, rig.identity.toString()));
}

describe('crypt filter: the last close with work still waiting', () => {
  it('a save that waits for the key in vain fails, keeps the old version, and leaves the file free', async () => {
    rig = await openCryptRig({ lockedWaitMs: 150 });
    const old = bytes(200_000, 1);
    await rig.put('a.bin', old);
    const handle = await rig.open('a.bin', FILE_OPEN);
    await rig.stack.api.write(handle, new Uint8Array(10).fill(7), 0);
    rig.keyRing.lock();
    assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_FILE_ENCRYPTED');
    assert.equal((await rig.volume()).streams.size, 0, 'the stream went with its last handle');
    unlock();
    assert.deepEqual(await rig.get('a.bin'), old, 'a new open reads the old version, not the dropped change');
    const replacement = bytes(1000, 2);
    await rig.put('a.bin', replacement);
    assert.deepEqual(await rig.get('a.bin'), replacement, 'the file can be replaced: nothing holds it open');
    assert.deepEqual(await readdir(rig.folder), ['a.bin']);
  });

  it('a save that waits for the key gets it when the vault is unlocked in time', async () => {
    rig = await openCryptRig({ lockedWaitMs: 5000 });
    const old = bytes(200_000, 3);
    await rig.put('b.bin', old);
    const handle = await rig.open('b.bin', FILE_OPEN);
    await rig.stack.api.write(handle, new Uint8Array(10).fill(9), 0);
    rig.keyRing.lock();
    const closed = rig.stack.api.close(handle);
    setTimeout(unlock, 50);
    assert.equal(statusName((await closed).status), 'STATUS_SUCCESS');
    const expected = old.slice();
    expected.fill(9, 0, 10);
    assert.deepEqual(await rig.get('b.bin'), expected);
  });

  it('a read waiting for the key when its handle is closed is cancelled, and the file is left free', async () => {
    rig = await openCryptRig();
    await rig.put('c.bin', bytes(200_000, 4));
    rig.keyRing.lock();
    const handle = await rig.open('c.bin', FILE_OPEN);
    const reading = rig.stack.api.read(handle, 4096, 0);
    assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
    const read = await reading;
    assert.equal(statusName(read.status), 'STATUS_CANCELLED');
    assert.equal(read.information, 0);
    unlock();
    const replacement = bytes(1000, 5);
    await rig.put('c.bin', replacement);
    assert.deepEqual(await rig.get('c.bin'), replacement);
  });

  it('writes still held in the write backlog at the close are all saved', async () => {
    rig = await openCryptRig();
    const data = bytes(48 * MiB, 6);
    const handle = await rig.open('w.bin', FILE_OVERWRITE_IF);
    const writes = [];
    for (let offset = 0; offset < data.length; offset += 4 * MiB) writes.push(rig.stack.api.write(handle, data.subarray(offset, offset + 4 * MiB), offset));
    const closed = rig.stack.api.close(handle);
    for (const written of await Promise.all(writes)) assert.equal(statusName(written.status), 'STATUS_SUCCESS');
    assert.equal(statusName((await closed).status), 'STATUS_SUCCESS');
    assert.ok(Buffer.from(await rig.get('w.bin')).equals(Buffer.from(data)), 'every acknowledged write is in the saved file');
    assert.deepEqual(await readdir(rig.folder), ['w.bin']);
  });

  it('an open of a file while its last close is saving it waits for the save: both closes succeed, both writes are kept', async () => {
    rig = await openCryptRig();
    const old = bytes(6 * MiB, 7);
    await rig.put('s.bin', old);
    const first = await rig.open('s.bin', FILE_OPEN);
    await rig.stack.api.write(first, new Uint8Array(10).fill(1), 0);
    const firstClosed = rig.stack.api.close(first);
    const second = await rig.open('s.bin', FILE_OPEN);
    assert.deepEqual((await rig.stack.api.read(second, 10, 0)).data, new Uint8Array(10).fill(1), 'the second open sees the saved write');
    await rig.stack.api.write(second, new Uint8Array(10).fill(2), 100);
    assert.equal(statusName((await firstClosed).status), 'STATUS_SUCCESS');
    assert.equal(statusName((await rig.stack.api.close(second)).status), 'STATUS_SUCCESS');
    const expected = old.slice();
    expected.fill(1, 0, 10);
    expected.fill(2, 100, 110);
    assert.ok(Buffer.from(await rig.get('s.bin')).equals(Buffer.from(expected)));
    assert.deepEqual(await readdir(rig.folder), ['s.bin']);
  });

  it('an open waiting for a save can be cancelled: it completes once with STATUS_CANCELLED and the save goes on', async () => {
    rig = await openCryptRig({ lockedWaitMs: 10_000 });
    const old = bytes(200_000, 8);
    await rig.put('q.bin', old);
    const first = await rig.open('q.bin', FILE_OPEN);
    await rig.stack.api.write(first, new Uint8Array(10).fill(3), 0);
    rig.keyRing.lock();
    const firstClosed = rig.stack.api.close(first); // its save waits for the key
    await new Promise((resolve) => setTimeout(resolve, 20));
    const opening = rig.stack.api.createFile(rig.stack.pathOf('q.bin'), { disposition: FILE_OPEN });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const create = [...rig.stack.io.liveIrps].find((irp) => irp.stack[0]?.majorFunction === IRP_MJ_CREATE);
    assert.ok(create !== undefined, 'the open waits for the save');
    assert.ok(IoCancelIrp(create));
    const opened = await opening;
    assert.equal(statusName(opened.status), 'STATUS_CANCELLED');
    assert.equal(opened.handle, null);
    unlock();
    assert.equal(statusName((await firstClosed).status), 'STATUS_SUCCESS');
    const expected = old.slice();
    expected.fill(3, 0, 10);
    assert.deepEqual(await rig.get('q.bin'), expected);
    assert.deepEqual(await readdir(rig.folder), ['q.bin']);
  });
});
