// Recall: reads, writes and truncations of a stub bring the file back in place first (one recall per
// file, shared by concurrent readers, cancellable through the cancel-safe queue); FSCTL recall; the
// tier copy goes once nothing uses it. Then the failures: an unplugged tier (before or during a
// recall), a tampered stub, a damaged or missing cold copy — each with its status, the stub intact.

import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FILE_OPEN_NO_RECALL, FileInformationClass, IRP_MJ_READ, IoCancelIrp, STATUS_CANCELLED, STATUS_END_OF_FILE,
  STATUS_FILE_CORRUPT_ERROR, STATUS_FILE_IS_OFFLINE, type Irp,
} from '../../../main/io/index.js';
import { FSCTL_STRATA_HSM_RECALL, type HsmEvent } from '../../../filters/hsm/index.js';
import {
  OLD, closeFile, expectStatus, hostRead, makeRig, migrateAll, openFile, readThrough, rigActingMidRecall, sizeOf, type HsmRig,
} from './hsm-rig.js';

const CONTENT = Buffer.from('0123456789abcdef'.repeat(4096));
/** Large enough for a recall of several chunks (8 MiB each), so an event after the first comes before the last read. */
const LARGE = Buffer.alloc(30 << 20, 'L');

async function tierObjects(rig: HsmRig): Promise<string[]> {
  const ids: string[] = [];
  for (const prefix of await readdir(join(rig.tierRoot, 'objects'))) ids.push(...(await readdir(join(rig.tierRoot, 'objects', prefix))));
  return ids;
}

function count(rig: HsmRig, kind: HsmEvent['kind'], path?: string): number {
  return rig.events.filter((event) => event.kind === kind && (path === undefined || event.path === path)).length;
}


function pendingReads(rig: HsmRig): Irp[] {
  return [...rig.session.stack.io.liveIrps].filter((irp) => irp.stack[0]?.majorFunction === IRP_MJ_READ);
}

describe('recall', () => {
  it('a read of a stub recalls the file in place, then reads it; the tier copy then goes', async (t) => {
    const rig = await makeRig(t, { 'doc.bin': CONTENT });
    await migrateAll(rig);
    assert.equal((await tierObjects(rig)).length, 1);
    assert.deepEqual(await readThrough(rig, 'doc.bin'), CONTENT);
    assert.deepEqual(await hostRead(rig, 'doc.bin'), CONTENT, 'the file is local again');
    assert.equal(Math.round((await stat(join(rig.folder, 'doc.bin'))).mtimeMs), OLD.getTime(), 'a recall keeps the modification time');
    assert.equal(rig.session.volume.catalog.get('\\doc.bin'), null);
    await rig.session.volume.idle();
    assert.deepEqual(await tierObjects(rig), []);
    assert.equal(count(rig, 'recall-started'), 1);
    assert.equal(count(rig, 'recall-done'), 1);
  });

  it('concurrent readers of one stub all wait on a single recall and all get their bytes', async (t) => {
    const rig = await makeRig(t, { 'shared.bin': LARGE });
    await migrateAll(rig);
    const api = rig.session.stack.api;
    const handles = await Promise.all(Array.from({ length: 6 }, () => openFile(rig, 'shared.bin')));
    const reads = handles.map((handle, i) => api.read(handle, 1000, i * 2_000_000));
    const results = await Promise.all(reads);
    for (const [i, result] of results.entries()) {
      expectStatus(result.status, 0, `reader ${i}`);
      assert.deepEqual(Buffer.from(result.data), LARGE.subarray(i * 2_000_000, i * 2_000_000 + 1000));
    }
    for (const handle of handles) await closeFile(rig, handle);
    assert.equal(count(rig, 'recall-started'), 1, 'one recall for all readers');
    assert.deepEqual(await hostRead(rig, 'shared.bin'), LARGE);
  });

  it('a waiting read can be cancelled; when no reader is left the recall stops and the stub is written back', async (t) => {
    const rig = await rigActingMidRecall(t, LARGE, (self) => assert.ok(IoCancelIrp(pendingReads(self)[0]!), 'the cancel-safe queue\'s cancel routine ran'));
    const stub = await hostRead(rig, 'big.bin');
    const handle = await openFile(rig, 'big.bin');
    const read = await rig.session.stack.api.read(handle, 10, 0);
    expectStatus(read.status, STATUS_CANCELLED);
    await rig.session.volume.idle();
    assert.ok(rig.events.some((event) => event.kind === 'recall-failed' && event.status === STATUS_CANCELLED));
    assert.deepEqual(await hostRead(rig, 'big.bin'), stub, 'the stub is back, byte for byte');
    assert.notEqual(rig.session.volume.catalog.get('\\big.bin'), null);
    assert.deepEqual(rig.session.volume.journal.pending(), []);
    const again = await rig.session.stack.api.read(handle, 10, 0);
    expectStatus(again.status, 0, 'a later read recalls normally');
    await closeFile(rig, handle);
    assert.deepEqual(await hostRead(rig, 'big.bin'), LARGE);
  });

  it('cancelling one of two waiting readers leaves the recall running for the other', async (t) => {
    const rig = await rigActingMidRecall(t, LARGE, (self) => assert.ok(IoCancelIrp(pendingReads(self)[0]!)));
    const [a, b] = [await openFile(rig, 'big.bin'), await openFile(rig, 'big.bin')];
    const [first, second] = await Promise.all([rig.session.stack.api.read(a, 4, 0), rig.session.stack.api.read(b, 4, 8 << 20)]);
    expectStatus(first.status, STATUS_CANCELLED);
    expectStatus(second.status, 0);
    assert.equal(Buffer.from(second.data).toString(), 'LLLL');
    await closeFile(rig, a);
    await closeFile(rig, b);
    assert.equal(count(rig, 'recall-done'), 1);
  });

  it('a write to a stub recalls it first, then writes into the whole file', async (t) => {
    const rig = await makeRig(t, { 'w.txt': CONTENT });
    await migrateAll(rig);
    const handle = await openFile(rig, 'w.txt');
    expectStatus((await rig.session.stack.api.write(handle, Buffer.from('XYZ'), 5)).status, 0);
    assert.equal(await sizeOf(rig, handle), CONTENT.length);
    await closeFile(rig, handle);
    const expected = Buffer.from(CONTENT);
    expected.write('XYZ', 5);
    assert.deepEqual(await hostRead(rig, 'w.txt'), expected);
  });

  it('truncating a stub recalls it first', async (t) => {
    const rig = await makeRig(t, { 'cut.txt': CONTENT });
    await migrateAll(rig);
    const handle = await openFile(rig, 'cut.txt');
    const set = await rig.session.stack.api.setInformation(handle, FileInformationClass.FileEndOfFileInformation, { endOfFile: 10 });
    expectStatus(set.status, 0);
    await closeFile(rig, handle);
    assert.deepEqual(await hostRead(rig, 'cut.txt'), CONTENT.subarray(0, 10));
  });

  it('FSCTL_STRATA_HSM_RECALL brings the file back and completes when it is local', async (t) => {
    const rig = await makeRig(t, { 'f.bin': CONTENT });
    await migrateAll(rig);
    const handle = await openFile(rig, 'f.bin');
    expectStatus((await rig.session.stack.api.fsControl(handle, FSCTL_STRATA_HSM_RECALL, null, 0)).status, 0);
    assert.deepEqual(await hostRead(rig, 'f.bin'), CONTENT);
    expectStatus((await rig.session.stack.api.fsControl(handle, FSCTL_STRATA_HSM_RECALL, null, 0)).status, 0, 'a local file: nothing to do');
    await closeFile(rig, handle);
  });
});

describe('no-recall reads (FILE_OPEN_NO_RECALL)', () => {
  it('are served from the tier and leave the stub a stub; writes and truncations on such an open are refused', async (t) => {
    const rig = await makeRig(t, { 'scan-me.bin': CONTENT });
    await migrateAll(rig);
    const stub = await hostRead(rig, 'scan-me.bin');
    const api = rig.session.stack.api;
    const handle = await openFile(rig, 'scan-me.bin', { options: FILE_OPEN_NO_RECALL });
    const middle = await api.read(handle, 100, 30_000);
    expectStatus(middle.status, 0);
    assert.deepEqual(Buffer.from(middle.data), CONTENT.subarray(30_000, 30_100));
    const across = await api.read(handle, 100, CONTENT.length - 10);
    assert.deepEqual(Buffer.from(across.data), CONTENT.subarray(CONTENT.length - 10), 'a read across the end is short');
    expectStatus((await api.read(handle, 1, CONTENT.length)).status, STATUS_END_OF_FILE);
    expectStatus((await api.write(handle, Buffer.from('x'), 0)).status, STATUS_FILE_IS_OFFLINE);
    expectStatus((await api.setInformation(handle, FileInformationClass.FileEndOfFileInformation, { endOfFile: 1 })).status, STATUS_FILE_IS_OFFLINE);
    await closeFile(rig, handle);
    assert.deepEqual(await hostRead(rig, 'scan-me.bin'), stub, 'still the same stub');
    assert.equal(count(rig, 'recall-started'), 0);
  });
});

describe('recall failures leave the stub as it was', () => {
  it('an unplugged tier: STATUS_FILE_IS_OFFLINE with a message saying so; plugged back, the read works', async (t) => {
    const rig = await makeRig(t, { 'away.bin': CONTENT });
    await migrateAll(rig);
    const stub = await hostRead(rig, 'away.bin');
    const stubTime = (await stat(join(rig.folder, 'away.bin'))).mtimeMs;
    renameSync(rig.tierRoot, `${rig.tierRoot}-unplugged`);
    const handle = await openFile(rig, 'away.bin');
    expectStatus((await rig.session.stack.api.read(handle, 10, 0)).status, STATUS_FILE_IS_OFFLINE);
    const noRecall = await openFile(rig, 'away.bin', { options: FILE_OPEN_NO_RECALL });
    expectStatus((await rig.session.stack.api.read(noRecall, 10, 0)).status, STATUS_FILE_IS_OFFLINE);
    await closeFile(rig, noRecall);
    const failure = rig.events.find((event) => event.kind === 'recall-failed');
    assert.ok(failure !== undefined && failure.kind === 'recall-failed');
    assert.match(failure.message, /\\away\.bin is offline: the tier's storage is not available.*tier 'cold'.*the stub was left unchanged/);
    assert.deepEqual(await hostRead(rig, 'away.bin'), stub, 'nothing changed on disk');
    assert.equal((await stat(join(rig.folder, 'away.bin'))).mtimeMs, stubTime);
    renameSync(`${rig.tierRoot}-unplugged`, rig.tierRoot);
    const read = await rig.session.stack.api.read(handle, 10, 0);
    expectStatus(read.status, 0);
    assert.deepEqual(Buffer.from(read.data), CONTENT.subarray(0, 10));
    await closeFile(rig, handle);
  });

  it('a tier unplugged in the middle of a recall: the read fails offline and the stub is written back intact', async (t) => {
    const rig = await rigActingMidRecall(t, LARGE, (self) => renameSync(self.tierRoot, `${self.tierRoot}-unplugged`));
    const stub = await hostRead(rig, 'big.bin');
    const handle = await openFile(rig, 'big.bin');
    expectStatus((await rig.session.stack.api.read(handle, 10, 0)).status, STATUS_FILE_IS_OFFLINE);
    assert.ok(count(rig, 'recall-progress') >= 1, 'the recall had started writing');
    assert.deepEqual(await hostRead(rig, 'big.bin'), stub, 'the stub was written back, byte for byte');
    assert.equal(await sizeOf(rig, handle), LARGE.length, 'and still reports its file');
    assert.deepEqual(rig.session.volume.journal.pending(), []);
    renameSync(`${rig.tierRoot}-unplugged`, rig.tierRoot);
    expectStatus((await rig.session.stack.api.read(handle, 10, 0)).status, 0);
    await closeFile(rig, handle);
    assert.deepEqual(await hostRead(rig, 'big.bin'), LARGE);
  });

  it('a hand-edited stub is reported (STATUS_FILE_CORRUPT_ERROR) and never recalled, even pointing at a real object', async (t) => {
    const rig = await makeRig(t, { 'mine.txt': 'my secret content', 'other.txt': 'someone else\'s content' });
    await migrateAll(rig);
    const other = (await hostRead(rig, 'other.txt')).toString();
    const otherObject = /"object":"([0-9a-f]{64})"/.exec(other)![1]!;
    const edited = (await hostRead(rig, 'mine.txt')).toString().replace(/"object":"[0-9a-f]{64}"/, `"object":"${otherObject}"`);
    await writeFile(join(rig.folder, 'mine.txt'), edited);
    const handle = await openFile(rig, 'mine.txt');
    expectStatus((await rig.session.stack.api.read(handle, 100, 0)).status, STATUS_FILE_CORRUPT_ERROR);
    await closeFile(rig, handle);
    const invalid = rig.events.find((event) => event.kind === 'stub-invalid');
    assert.ok(invalid !== undefined && invalid.kind === 'stub-invalid');
    assert.match(invalid.message, /stub \\mine\.txt: line 3: the MAC does not match/);
    assert.equal((await hostRead(rig, 'mine.txt')).toString(), edited, 'left as it is, for the user to see');
    assert.equal((await readThrough(rig, 'other.txt')).toString(), 'someone else\'s content');
  });

  it('a cold copy that does not match the stub\'s hash is never left in the file', async (t) => {
    const rig = await makeRig(t, { 'rot.bin': CONTENT });
    await migrateAll(rig);
    const stub = await hostRead(rig, 'rot.bin');
    const [object] = await tierObjects(rig);
    const damaged = Buffer.from(CONTENT);
    damaged[1000] ^= 0xff;
    await writeFile(join(rig.tierRoot, 'objects', object!.slice(0, 2), object!), damaged);
    const handle = await openFile(rig, 'rot.bin');
    expectStatus((await rig.session.stack.api.read(handle, 10, 0)).status, STATUS_FILE_CORRUPT_ERROR);
    await closeFile(rig, handle);
    assert.deepEqual(await hostRead(rig, 'rot.bin'), stub);
    assert.ok(rig.events.some((event) => event.kind === 'recall-failed' && /does not match the stub's SHA-256/.test(event.message)));
  });

  it('a cold copy missing from a present tier is STATUS_FILE_CORRUPT_ERROR (a stub without object), stub kept', async (t) => {
    const rig = await makeRig(t, { 'lost.bin': CONTENT });
    await migrateAll(rig);
    const stub = await hostRead(rig, 'lost.bin');
    const [object] = await tierObjects(rig);
    renameSync(join(rig.tierRoot, 'objects', object!.slice(0, 2), object!), join(rig.root, 'elsewhere'));
    const handle = await openFile(rig, 'lost.bin');
    expectStatus((await rig.session.stack.api.read(handle, 10, 0)).status, STATUS_FILE_CORRUPT_ERROR);
    await closeFile(rig, handle);
    assert.deepEqual(await hostRead(rig, 'lost.bin'), stub);
    assert.ok(rig.events.some((event) => event.kind === 'recall-failed' && /is missing from tier 'cold'; run strata hsm fsck/.test(event.message)));
  });
});

describe('the namespace follows stubs', () => {
  it('renaming a stub (or its directory) moves its catalog row; it still recalls under the new name', async (t) => {
    const rig = await makeRig(t, { 'd/a.txt': 'alpha', 'b.txt': 'beta' });
    await migrateAll(rig);
    const api = rig.session.stack.api;
    const file = await openFile(rig, 'b.txt');
    expectStatus((await api.setInformation(file, FileInformationClass.FileRenameInformation, { fileName: '\\d\\c.txt', replaceIfExists: false })).status, 0);
    await closeFile(rig, file);
    const directory = await openFile(rig, 'd');
    expectStatus((await api.setInformation(directory, FileInformationClass.FileRenameInformation, { fileName: '\\e', replaceIfExists: false })).status, 0);
    await closeFile(rig, directory);
    assert.deepEqual(rig.session.volume.catalog.all().map((row) => row.path), ['\\e\\a.txt', '\\e\\c.txt']);
    assert.equal((await readThrough(rig, 'e/c.txt')).toString(), 'beta');
    assert.equal((await readThrough(rig, 'e/a.txt')).toString(), 'alpha');
  });

  it('deleting a stub or overwriting it drops its row and its tier copy, unless another stub shares the content', async (t) => {
    const rig = await makeRig(t, { 'one.txt': 'same', 'two.txt': 'same', 'three.txt': 'different' });
    await migrateAll(rig);
    assert.equal((await tierObjects(rig)).length, 2, 'equal content is stored once');
    const api = rig.session.stack.api;
    const one = await openFile(rig, 'one.txt');
    expectStatus((await api.setInformation(one, FileInformationClass.FileDispositionInformation, { deleteFile: true })).status, 0);
    await closeFile(rig, one);
    await rig.session.volume.idle();
    assert.equal((await tierObjects(rig)).length, 2, 'two.txt still needs the shared object');
    const three = await openFile(rig, 'three.txt', { disposition: 5 /* FILE_OVERWRITE_IF */ });
    assert.equal(await sizeOf(rig, three), 0);
    await closeFile(rig, three);
    await rig.session.volume.idle();
    assert.equal((await tierObjects(rig)).length, 1);
    assert.deepEqual(rig.session.volume.catalog.all().map((row) => row.path), ['\\two.txt']);
    assert.equal((await readThrough(rig, 'two.txt')).toString(), 'same');
  });
});
