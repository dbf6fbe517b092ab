// Sequential reads of large encrypted files: windows decrypted ahead on the workers serve readers of any
// read size (aligned or not) with exactly the plaintext, from a run's first read on (a large one is split
// into windows itself, at any offset); damage deep in the file fails the read that reaches it with no
// plaintext, and a large file cut short fails its very first read; a write while windows are being read
// ahead is seen by the next read.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { CHUNK_SIZE, ENCRYPTED_CHUNK_SIZE, parseHeader } from '../../../main/age/index.js';
import { FILE_OPEN, NT_SUCCESS, STATUS_END_OF_FILE, statusName, type FileHandle } from '../../../main/io/index.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

/** Reads the whole file from `handle` in reads of `size` bytes into one reused buffer. */
async function readAll(handle: FileHandle, size: number, total: number): Promise<Uint8Array> {
  const out = new Uint8Array(total);
  const buffer = new Uint8Array(size);
  let offset = 0;
  for (;;) {
    const result = await rig.stack.api.read(handle, size, offset, buffer);
    if (result.status === STATUS_END_OF_FILE) break;
    assert.equal(statusName(result.status), 'STATUS_SUCCESS', `read ${size} at ${offset}`);
    out.set(buffer.subarray(0, result.information), offset);
    offset += result.information;
  }
  assert.equal(offset, total);
  return out;
}

describe('crypt filter: sequential reads', () => {
  it('readers of any read size get exactly the plaintext, front to back', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(9 * (1 << 20) + 4321, 11);
    await rig.put('big.bin', plaintext);
    for (const size of [4096, CHUNK_SIZE, 1_000_003, 4 << 20, 16 << 20]) {
      const handle = await rig.open('big.bin', FILE_OPEN);
      assert.deepEqual(await readAll(handle, size, plaintext.length), plaintext, `reads of ${size}`);
      await rig.stack.api.close(handle);
    }
  });

  it('a damaged chunk deep in the file fails the read that reaches it, with no plaintext', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(6 * (1 << 20), 12);
    await rig.put('deep.bin', plaintext);
    const file = await rig.onDisk('deep.bin');
    const payloadStart = parseHeader(file).length + 16;
    const bad = 70;
    file[payloadStart + bad * ENCRYPTED_CHUNK_SIZE + 5]! ^= 1;
    await writeFile(join(rig.folder, 'deep.bin'), file);
    const handle = await rig.open('deep.bin', FILE_OPEN);
    const size = 1 << 20;
    let offset = 0;
    for (;;) {
      const result = await rig.stack.api.read(handle, size, offset);
      if (!NT_SUCCESS(result.status)) {
        assert.equal(statusName(result.status), 'STATUS_FILE_CORRUPT_ERROR');
        assert.equal(result.data.length, 0);
        break;
      }
      assert.deepEqual(result.data, plaintext.subarray(offset, offset + size));
      offset += result.information;
    }
    assert.equal(offset, Math.floor((bad * CHUNK_SIZE) / size) * size, 'every read before the damaged chunk succeeded');
    await rig.stack.api.close(handle);
  });

  it('a write while windows are read ahead is what the next read returns', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(8 * (1 << 20), 13);
    await rig.put('w.bin', plaintext);
    const handle = await rig.open('w.bin', FILE_OPEN);
    const size = 1 << 20;
    assert.deepEqual((await rig.stack.api.read(handle, size, 0)).data, plaintext.subarray(0, size));
    assert.deepEqual((await rig.stack.api.read(handle, size, size)).data, plaintext.subarray(size, 2 * size));
    const patch = new Uint8Array(1000).fill(0xab);
    assert.equal(statusName((await rig.stack.api.write(handle, patch, 2 * size + 10)).status), 'STATUS_SUCCESS');
    const expected = plaintext.slice();
    expected.set(patch, 2 * size + 10);
    assert.deepEqual((await rig.stack.api.read(handle, size, 2 * size)).data, expected.subarray(2 * size, 3 * size));
    assert.deepEqual(await readAll(handle, 3 * size + 7, expected.length), expected);
    await rig.stack.api.close(handle);
    assert.deepEqual(await rig.get('w.bin'), expected);
  });

  it('a run that starts mid-chunk with a large read gets exactly the plaintext, and so does the rest of it', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(12 * (1 << 20) + 99, 14);
    await rig.put('mid.bin', plaintext);
    const handle = await rig.open('mid.bin', FILE_OPEN);
    const size = (5 << 20) + 3;
    let offset = 100_001;
    while (offset < plaintext.length) {
      const result = await rig.stack.api.read(handle, size, offset);
      assert.equal(statusName(result.status), 'STATUS_SUCCESS', `read at ${offset}`);
      assert.deepEqual(result.data, plaintext.subarray(offset, offset + size), `read at ${offset}`);
      offset += result.information;
    }
    assert.equal(offset, plaintext.length);
    await rig.stack.api.close(handle);
  });

  it('a large file cut short fails its first large read, with no plaintext, and every read after it', async () => {
    rig = await openCryptRig();
    await rig.put('cut.bin', bytes(10 * (1 << 20), 15));
    const file = await rig.onDisk('cut.bin');
    await writeFile(join(rig.folder, 'cut.bin'), file.subarray(0, file.length - ENCRYPTED_CHUNK_SIZE));
    const handle = await rig.open('cut.bin', FILE_OPEN);
    for (const offset of [0, 0, 4 << 20]) {
      const result = await rig.stack.api.read(handle, 4 << 20, offset);
      assert.equal(statusName(result.status), 'STATUS_FILE_CORRUPT_ERROR', `read at ${offset}`);
      assert.equal(result.data.length, 0);
    }
    await rig.stack.api.close(handle);
  });
});
