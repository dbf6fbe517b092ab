// A locked vault: reads of encrypted files pend in a cancel-safe queue until unlock, fail with
// STATUS_FILE_ENCRYPTED when the bounded wait runs out, complete once with STATUS_CANCELLED when cancelled;
// the vault locks itself after the idle time; plain files stay readable while locked.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { X25519Identity } from '../../../main/age/index.js';
import { FILE_OPEN, IRP_MJ_READ, IoCancelIrp, statusName } from '../../../main/io/index.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function unlockAgain(): void {
  rig.keyRing.unlock(X25519Identity.parse(rig.sodium, rig.identity.toString()));
}

function queued(): number {
  return [...rig.crypt.volumes.values()].reduce((sum, volume) => sum + volume.lockedWait.length, 0);
}

describe('crypt filter: locked vault', () => {
  it('a read while locked pends until the vault is unlocked, then returns the plaintext', async () => {
    rig = await openCryptRig();
    await rig.put('s.txt', bytes(300));
    rig.keyRing.lock();
    const handle = await rig.open('s.txt', FILE_OPEN);
    let done = false;
    const reading = rig.stack.api.read(handle, 300, 0).then((result) => ((done = true), result));
    await settle();
    assert.equal(done, false, 'the read waits');
    assert.equal(queued(), 1);
    unlockAgain();
    const result = await reading;
    assert.equal(statusName(result.status), 'STATUS_SUCCESS');
    assert.deepEqual(result.data, bytes(300));
    await rig.stack.api.close(handle);
  });

  it('the bounded wait runs out with STATUS_FILE_ENCRYPTED', async () => {
    rig = await openCryptRig({ lockedWaitMs: 50 });
    await rig.put('s.txt', bytes(300));
    rig.keyRing.lock();
    const handle = await rig.open('s.txt', FILE_OPEN);
    const result = await rig.stack.api.read(handle, 300, 0);
    assert.equal(statusName(result.status), 'STATUS_FILE_ENCRYPTED');
    assert.equal(result.data.length, 0);
    assert.equal(queued(), 0);
    await rig.stack.api.close(handle);
  });

  it('a pended read can be cancelled: it completes once with STATUS_CANCELLED and leaves the queue', async () => {
    rig = await openCryptRig();
    await rig.put('s.txt', bytes(300));
    rig.keyRing.lock();
    const handle = await rig.open('s.txt', FILE_OPEN);
    const reading = rig.stack.api.read(handle, 300, 0);
    await settle();
    const irp = [...rig.stack.io.liveIrps].find((candidate) => candidate.stack[0]?.majorFunction === IRP_MJ_READ);
    assert.ok(irp !== undefined && IoCancelIrp(irp));
    assert.equal(statusName((await reading).status), 'STATUS_CANCELLED');
    assert.equal(queued(), 0);
    unlockAgain();
    await rig.stack.api.close(handle);
  });

  it('plain files and listings stay available while locked', async () => {
    rig = await openCryptRig({ locked: true });
    await writeFile(join(rig.folder, 'plain.txt'), 'open book');
    assert.equal(new TextDecoder().decode(await rig.get('plain.txt')), 'open book');
  });

  it('the vault locks itself after the idle time and wipes the cached file keys', async () => {
    rig = await openCryptRig({ autoLockMs: 400 });
    await rig.put('s.txt', bytes(100));
    assert.deepEqual(await rig.get('s.txt'), bytes(100));
    assert.equal(rig.keyRing.unlocked, true);
    await settle(1000);
    assert.equal(rig.keyRing.unlocked, false, 'locked after 400 ms idle');
    for (const volume of rig.crypt.volumes.values()) for (const stream of volume.streams) assert.equal(stream.payloadKey, null);
  });

  it('other I/O stays responsive while a large file is saved on the worker threads', async () => {
    rig = await openCryptRig();
    await rig.put('small.txt', bytes(100, 3));
    const big = await rig.open('big.bin');
    await rig.stack.api.write(big, bytes(48 << 20, 8), 0);
    const order: string[] = [];
    const saving = rig.stack.api.close(big).then(() => order.push('big saved'));
    await settle(5);
    const small = await rig.get('small.txt');
    order.push('small read');
    await saving;
    assert.deepEqual(small, bytes(100, 3));
    assert.deepEqual(order, ['small read', 'big saved']);
  });
});
