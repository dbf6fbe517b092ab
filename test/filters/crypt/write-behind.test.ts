// Write-behind: a large file written front to back is encrypted while it is being written (its temporary
// file grows before the last close), and every way of reaching back into what was already encrypted —
// a write, a truncation, a delete — still ends in exactly the plaintext last written, or nothing.

import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { CHUNK_SIZE, decrypt } from '../../../main/age/index.js';
import { FILE_OVERWRITE, FILE_OVERWRITE_IF, FileInformationClass, IRP_MJ_WRITE, IoCancelIrp, statusName, type FileHandle } from '../../../main/io/index.js';
import { BACKLOG_BYTES } from '../../../filters/crypt/write-behind.js';
import { TEMP_MARK } from '../../../filters/crypt/names.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

const MiB = 1 << 20;

async function writeAt(handle: FileHandle, data: Uint8Array, offset: number, step = MiB): Promise<void> {
  for (let at = 0; at < data.length; at += step) {
    const result = await rig.stack.api.write(handle, data.subarray(at, at + step), offset + at);
    assert.equal(statusName(result.status), 'STATUS_SUCCESS');
  }
}

async function temps(): Promise<string[]> {
  return (await readdir(rig.folder)).filter((name) => name.includes(TEMP_MARK));
}

/** Waits until a temporary file beside the target holds at least `bytes` bytes (the write-behind at work). */
async function tempReaches(bytes: number): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    for (const name of await temps()) if ((await stat(join(rig.folder, name))).size >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`no temporary file reached ${bytes} bytes`);
}

/** The stream of the only file open in the rig. */
async function onlyStream() {
  const streams = [...(await rig.volume()).streams];
  assert.equal(streams.length, 1);
  return streams[0]!;
}

/** Waits until the write-behind has dropped at least `bytes` of written plaintext from memory (spilled). */
async function spilledReaches(bytes: number): Promise<void> {
  const stream = await onlyStream();
  for (let tries = 0; tries < 500; tries++) {
    if ((stream.spilled?.size ?? 0) >= bytes) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`the write-behind did not spill ${bytes} bytes (${stream.spilled?.size ?? 0})`);
}

/** Reads [offset, offset + length) through the filter stack and compares it with `expected` there. */
async function readsAs(handle: FileHandle, offset: number, length: number, expected: Uint8Array): Promise<void> {
  const buffer = new Uint8Array(length).fill(0xee);
  const result = await rig.stack.api.read(handle, length, offset, buffer);
  assert.equal(statusName(result.status), 'STATUS_SUCCESS');
  assert.equal(result.information, Math.min(length, expected.length - offset));
  assert.ok(Buffer.from(buffer.subarray(0, result.information)).equals(expected.subarray(offset, offset + result.information)), `bytes [${offset}, ${offset + length}) read back as written`);
}

async function closeAndCheck(handle: FileHandle, name: string, expected: Uint8Array): Promise<void> {
  assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
  assert.deepEqual(await temps(), [], 'no temporary file is left');
  assert.deepEqual(decrypt(rig.sodium, await rig.onDisk(name), [rig.identity]), expected);
  assert.deepEqual(await rig.get(name), expected);
}

describe('crypt filter: write-behind', () => {
  it('a large file written front to back is encrypted while it is written, and saved complete', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(20 * MiB + 333, 21);
    const handle = await rig.open('big.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, plaintext.subarray(0, 16 * MiB), 0);
    await tempReaches(4 * MiB);
    await writeAt(handle, plaintext.subarray(16 * MiB), 16 * MiB);
    await closeAndCheck(handle, 'big.bin', plaintext);
  });

  it('a file ending exactly on a chunk boundary gets its last full chunk as the final one', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(12 * MiB, 22);
    assert.equal(plaintext.length % CHUNK_SIZE, 0);
    const handle = await rig.open('even.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, plaintext, 0);
    await tempReaches(4 * MiB);
    await closeAndCheck(handle, 'even.bin', plaintext);
  });

  it('whole-batch writes are encrypted straight from the memory they were copied into, and saved complete', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(20 * MiB + 333, 27);
    const handle = await rig.open('batches.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, plaintext.subarray(0, 12 * MiB), 0, 4 * MiB);
    await tempReaches(4 * MiB);
    await writeAt(handle, plaintext.subarray(12 * MiB), 12 * MiB, 4 * MiB);
    await closeAndCheck(handle, 'batches.bin', plaintext);
  });

  it('a whole-batch write over batches already encrypted from their memory is in the saved file', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(16 * MiB, 28);
    const handle = await rig.open('rewrite.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, plaintext, 0, 4 * MiB);
    await tempReaches(4 * MiB);
    const again = bytes(4 * MiB, 29);
    await writeAt(handle, again, 0, 4 * MiB);
    plaintext.set(again, 0);
    await closeAndCheck(handle, 'rewrite.bin', plaintext);
  });

  it('a writer far ahead of the encryption waits (memory stays bounded), and every write lands in order', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(48 * MiB + 5, 30);
    const handle = await rig.open('paced.bin', FILE_OVERWRITE_IF);
    // Every write issued at once: those past the backlog pend until the workers catch up.
    const writes = [];
    for (let at = 0; at < plaintext.length; at += MiB) writes.push(rig.stack.api.write(handle, plaintext.subarray(at, at + MiB), at));
    const volume = await rig.volume();
    const stream = [...volume.streams][0]!;
    assert.ok(stream.size <= BACKLOG_BYTES + 3 * 8 * 4 * MiB, `unsaved bytes stay bounded (${stream.size} taken before any completion)`);
    for (const result of await Promise.all(writes)) assert.equal(statusName(result.status), 'STATUS_SUCCESS');
    await closeAndCheck(handle, 'paced.bin', plaintext);
  });

  it('a write waiting for the encryption can be cancelled: it completes once with STATUS_CANCELLED, the rest go on', async () => {
    rig = await openCryptRig();
    const handle = await rig.open('cancel.bin', FILE_OVERWRITE_IF);
    const writes = [];
    const block = bytes(MiB, 31);
    for (let at = 0; at < 64 * MiB; at += MiB) writes.push(rig.stack.api.write(handle, block, at));
    const pended = [...rig.stack.io.liveIrps].filter((irp) => irp.stack[0]?.majorFunction === IRP_MJ_WRITE);
    assert.ok(pended.length > 0, 'some writes wait');
    const last = pended[pended.length - 1]!;
    assert.ok(IoCancelIrp(last));
    const results = await Promise.all(writes);
    assert.equal(results.filter((result) => statusName(result.status) === 'STATUS_CANCELLED').length, 1);
    assert.equal(statusName(results[results.length - 1]!.status), 'STATUS_CANCELLED');
    const expected = new Uint8Array(63 * MiB);
    for (let at = 0; at < expected.length; at += MiB) expected.set(block, at);
    await closeAndCheck(handle, 'cancel.bin', expected);
  });

  it('a write reaching back into what was encrypted already is in the saved file', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(14 * MiB, 23);
    const handle = await rig.open('back.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, plaintext, 0);
    await tempReaches(4 * MiB);
    const patch = new Uint8Array(5000).fill(0x5a);
    await writeAt(handle, patch, 100);
    plaintext.set(patch, 100);
    await closeAndCheck(handle, 'back.bin', plaintext);
  });

  it('a truncation below what was encrypted, then more writes, is saved as written', async () => {
    rig = await openCryptRig();
    const first = bytes(14 * MiB, 24);
    const handle = await rig.open('cut.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, first, 0);
    await tempReaches(4 * MiB);
    const set = await rig.stack.api.setInformation(handle, FileInformationClass.FileEndOfFileInformation, { endOfFile: 2 * MiB + 7 });
    assert.equal(statusName(set.status), 'STATUS_SUCCESS');
    const tail = bytes(3 * MiB, 25);
    await writeAt(handle, tail, 2 * MiB + 7);
    const expected = new Uint8Array(5 * MiB + 7);
    expected.set(first.subarray(0, 2 * MiB + 7));
    expected.set(tail, 2 * MiB + 7);
    await closeAndCheck(handle, 'cut.bin', expected);
  });

  it('writes already in the temporary file leave memory, and read back through the filter as written', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(24 * MiB + 77, 32);
    const handle = await rig.open('spill.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, plaintext.subarray(0, 20 * MiB), 0);
    await spilledReaches(8 * MiB);
    const stream = await onlyStream();
    // What is held: the writes past the spilled end (the one across it whole).
    assert.ok(stream.dirty.bytes <= 20 * MiB - stream.spilled!.size + MiB, `spilled bytes are no longer held (${stream.dirty.bytes} held, ${stream.spilled!.size} spilled)`);
    // Within what was spilled, unaligned; across the spilled end into memory; then in memory only.
    await readsAs(handle, 3 * MiB + 1, 2 * CHUNK_SIZE + 5, plaintext);
    await readsAs(handle, stream.spilled!.size - 1000, 3 * MiB, plaintext);
    await readsAs(handle, 19 * MiB, MiB, plaintext);
    await writeAt(handle, plaintext.subarray(20 * MiB), 20 * MiB);
    await readsAs(handle, 0, 24 * MiB + 77, plaintext);
    await closeAndCheck(handle, 'spill.bin', plaintext);
  });

  it('memory held by unsaved writes stays bounded while a file larger than it is written', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(96 * MiB, 33);
    const handle = await rig.open('bounded.bin', FILE_OVERWRITE_IF);
    let most = 0;
    for (let at = 0; at < plaintext.length; at += 4 * MiB) {
      await writeAt(handle, plaintext.subarray(at, at + 4 * MiB), at, 4 * MiB);
      most = Math.max(most, (await onlyStream()).dirty.bytes);
    }
    // The backlog (8 MiB), six batches in flight (24 MiB), the batch being written and the last write.
    assert.ok(most <= 48 * MiB, `at most ${most / MiB} MiB of the 96 MiB written were held in memory`);
    await closeAndCheck(handle, 'bounded.bin', plaintext);
  });

  it('a write reaching back into spilled writes reads back over them and is in the saved file', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(20 * MiB + 9, 34);
    const handle = await rig.open('frozen.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, plaintext.subarray(0, 18 * MiB), 0);
    await spilledReaches(8 * MiB);
    const patch = bytes(CHUNK_SIZE + 100, 35);
    await writeAt(handle, patch, MiB + 3);
    plaintext.set(patch, MiB + 3);
    await readsAs(handle, MiB - 50, CHUNK_SIZE + 300, plaintext);
    await writeAt(handle, plaintext.subarray(18 * MiB), 18 * MiB);
    await readsAs(handle, 0, plaintext.length, plaintext);
    await closeAndCheck(handle, 'frozen.bin', plaintext);
  });

  it('a truncation into spilled writes then an extension reads zeros past the cut, and is saved so', async () => {
    rig = await openCryptRig();
    const first = bytes(16 * MiB, 36);
    const handle = await rig.open('regrow.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, first, 0);
    await spilledReaches(8 * MiB);
    for (const endOfFile of [3 * MiB + 5, 6 * MiB]) {
      const set = await rig.stack.api.setInformation(handle, FileInformationClass.FileEndOfFileInformation, { endOfFile });
      assert.equal(statusName(set.status), 'STATUS_SUCCESS');
    }
    const expected = new Uint8Array(6 * MiB);
    expected.set(first.subarray(0, 3 * MiB + 5));
    await readsAs(handle, 3 * MiB - 10, 2 * MiB, expected);
    await closeAndCheck(handle, 'regrow.bin', expected);
  });

  it('a file overwritten while its writes are spilled keeps only the new content, and no temporary file', async () => {
    rig = await openCryptRig();
    const handle = await rig.open('over.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, bytes(16 * MiB, 37), 0);
    await spilledReaches(4 * MiB);
    const again = await rig.open('over.bin', FILE_OVERWRITE);
    const fresh = bytes(3000, 38);
    await writeAt(again, fresh, 0);
    assert.equal(statusName((await rig.stack.api.close(again)).status), 'STATUS_SUCCESS');
    await closeAndCheck(handle, 'over.bin', fresh);
  });

  it('a file deleted while its write-behind runs leaves nothing behind', async () => {
    rig = await openCryptRig();
    const handle = await rig.open('gone.bin', FILE_OVERWRITE_IF);
    await writeAt(handle, bytes(12 * MiB, 26), 0);
    await tempReaches(4 * MiB);
    const set = await rig.stack.api.setInformation(handle, FileInformationClass.FileDispositionInformation, { deleteFile: true });
    assert.equal(statusName(set.status), 'STATUS_SUCCESS');
    await rig.stack.api.close(handle);
    assert.deepEqual(await readdir(rig.folder), []);
  });
});
