// The crypt filter's data path: what is written through Strata lands as a standard age file to the
// vault's recipient; reads at any offset return the plaintext; modifications are saved as a new age file.

import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { CHUNK_SIZE, decrypt, encrypt, parseHeader } from '../../../main/age/index.js';
import { FILE_OPEN, FileInformationClass, STATUS_END_OF_FILE, statusName } from '../../../main/io/index.js';
import { ageCli } from '../../age/age-cli.js';
import { bytes, openCryptRig, type CryptRig } from './crypt-rig.js';

let rig: CryptRig;
afterEach(() => rig?.close());

describe('crypt filter: data path', () => {
  it('a file written through Strata is stored as an age file to the vault recipient, which the age CLI decrypts', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(3 * CHUNK_SIZE + 123);
    await rig.put('doc.bin', plaintext);
    const disk = await rig.onDisk('doc.bin');
    assert.equal(new TextDecoder().decode(disk.subarray(0, 22)), 'age-encryption.org/v1\n');
    assert.equal(parseHeader(disk).stanzas[0]!.type, 'X25519');
    await writeFile(join(rig.folder, '..', `${rig.folder.split('/').pop()}-id.txt`), `${rig.identity}\n`);
    assert.deepEqual(await ageCli(['-d', '-i', join(rig.folder, '..', `${rig.folder.split('/').pop()}-id.txt`), join(rig.folder, 'doc.bin')]), plaintext);
    assert.deepEqual(await rig.get('doc.bin'), plaintext);
  });

  it('reads at any offset and length return exactly the plaintext there, across chunk boundaries', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(5 * CHUNK_SIZE + 999, 7);
    await rig.put('r.bin', plaintext);
    const handle = await rig.open('r.bin', FILE_OPEN);
    const probes: [number, number][] = [[0, 1], [CHUNK_SIZE - 1, 2], [CHUNK_SIZE, CHUNK_SIZE], [3 * CHUNK_SIZE - 5, 2 * CHUNK_SIZE + 10], [plaintext.length - 3, 100], [12345, 0]];
    for (const [offset, length] of probes) {
      const result = await rig.stack.api.read(handle, length, offset);
      assert.deepEqual(result.data, plaintext.subarray(offset, offset + length), `read ${length} at ${offset}`);
    }
    assert.equal((await rig.stack.api.read(handle, 10, plaintext.length)).status, STATUS_END_OF_FILE);
    await rig.stack.api.close(handle);
  });

  it('a file made by age -r <vault recipient> reads through Strata', async () => {
    rig = await openCryptRig();
    const plaintext = bytes(2 * CHUNK_SIZE + 17, 3);
    await writeFile(join(rig.folder, 'plain.tmp'), plaintext);
    const ciphertext = await ageCli(['-r', rig.keyRing.recipient.toString(), join(rig.folder, 'plain.tmp')]);
    await writeFile(join(rig.folder, 'theirs.age'), ciphertext);
    assert.deepEqual(await rig.get('theirs.age'), plaintext);
  });

  it('writes in the middle, appends, truncation and extension are saved as a new age file with a fresh file key', async () => {
    rig = await openCryptRig();
    const original = bytes(3 * CHUNK_SIZE, 5);
    await rig.put('m.bin', original);
    const before = await rig.onDisk('m.bin');
    const handle = await rig.open('m.bin', FILE_OPEN);
    const patch = bytes(1000, 9);
    await rig.stack.api.write(handle, patch, CHUNK_SIZE - 500);
    await rig.stack.api.write(handle, bytes(10, 11), -1);
    const expected = new Uint8Array(original.length + 10);
    expected.set(original);
    expected.set(patch, CHUNK_SIZE - 500);
    expected.set(bytes(10, 11), original.length);
    const size = await rig.stack.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
    assert.equal(size.info!.endOfFile, expected.length, 'the unsaved size is reported');
    assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
    assert.deepEqual(await rig.get('m.bin'), expected);
    const after = await rig.onDisk('m.bin');
    assert.notDeepEqual(after.subarray(0, 100), before.subarray(0, 100), 'a new header (fresh file key) was written');
    assert.deepEqual(decrypt(rig.sodium, after, [rig.identity]), expected);

    const again = await rig.open('m.bin', FILE_OPEN);
    await rig.stack.api.setInformation(again, FileInformationClass.FileEndOfFileInformation, { endOfFile: 100 });
    await rig.stack.api.setInformation(again, FileInformationClass.FileEndOfFileInformation, { endOfFile: 200 });
    await rig.stack.api.close(again);
    const truncated = new Uint8Array(200);
    truncated.set(expected.subarray(0, 100));
    assert.deepEqual(await rig.get('m.bin'), truncated, 'truncate then extend: the extension reads as zeros');
  });

  it('a small write into a large file is saved: the save streams the rest from the old file, many reads at once', async () => {
    rig = await openCryptRig();
    const original = bytes(24 * (1 << 20) + 777, 6);
    await rig.put('large.bin', original);
    const handle = await rig.open('large.bin', FILE_OPEN);
    const patch = bytes(4096, 10);
    assert.equal(statusName((await rig.stack.api.write(handle, patch, 12 * (1 << 20) + 123)).status), 'STATUS_SUCCESS');
    assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS', 'the save replaced the file');
    const expected = original.slice();
    expected.set(patch, 12 * (1 << 20) + 123);
    assert.deepEqual(decrypt(rig.sodium, await rig.onDisk('large.bin'), [rig.identity]), expected);
    assert.deepEqual(await readdir(rig.folder), ['large.bin'], 'no temporary file is left');
  });

  it('data written from a Node Buffer (whose slice() is a view) is copied: the caller may reuse its buffer', async () => {
    rig = await openCryptRig();
    const buffer = Buffer.from(bytes(5 * CHUNK_SIZE, 13));
    const handle = await rig.open('buffer.bin');
    assert.equal(statusName((await rig.stack.api.write(handle, buffer, 0)).status), 'STATUS_SUCCESS');
    buffer.fill(0);
    assert.equal(statusName((await rig.stack.api.close(handle)).status), 'STATUS_SUCCESS');
    assert.equal(buffer.buffer.byteLength > 0, true, 'the caller\'s buffer was not detached');
    assert.deepEqual(await rig.get('buffer.bin'), bytes(5 * CHUNK_SIZE, 13));
  });

  it('an empty file created through Strata is stored as an age file with an empty payload', async () => {
    rig = await openCryptRig();
    await rig.put('empty.txt', new Uint8Array(0));
    const disk = await rig.onDisk('empty.txt');
    assert.ok(disk.length > 0);
    assert.deepEqual(decrypt(rig.sodium, disk, [rig.identity]), new Uint8Array(0));
    assert.deepEqual(await rig.get('empty.txt'), new Uint8Array(0));
  });

  it('a plain file dropped into the folder reads as it is, and becomes encrypted once written through Strata', async () => {
    rig = await openCryptRig();
    await writeFile(join(rig.folder, 'dropped.txt'), 'hello plain world');
    assert.equal(new TextDecoder().decode(await rig.get('dropped.txt')), 'hello plain world');
    const handle = await rig.open('dropped.txt', FILE_OPEN);
    await rig.stack.api.write(handle, new TextEncoder().encode('HELLO'), 0);
    await rig.stack.api.close(handle);
    assert.equal(new TextDecoder().decode(await rig.get('dropped.txt')), 'HELLO plain world');
    assert.equal(new TextDecoder().decode(decrypt(rig.sodium, await rig.onDisk('dropped.txt'), [rig.identity])), 'HELLO plain world');
  });

  it('a file encrypted to another key fails with STATUS_DECRYPTION_FAILED, never garbage', async () => {
    rig = await openCryptRig();
    const { X25519Identity } = await import('../../../main/age/index.js');
    const stranger = X25519Identity.generate(rig.sodium);
    await writeFile(join(rig.folder, 'foreign.age'), encrypt(rig.sodium, [stranger.recipient()], bytes(100)));
    assert.equal(statusName(await rig.readStatus('foreign.age')), 'STATUS_DECRYPTION_FAILED');
  });
});
