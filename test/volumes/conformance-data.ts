// Conformance: IRP_MJ_READ / IRP_MJ_WRITE / IRP_MJ_FLUSH_BUFFERS and end-of-file changes.

import assert from 'node:assert/strict';
import {
  FILE_CREATE, FILE_DIRECTORY_FILE, FILE_WRITE_TO_END_OF_FILE, FileInformationClass, STATUS_END_OF_FILE,
  STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_PARAMETER,
} from '../../main/io/index.js';
import type { VolumeFactory } from './volume-factories.js';
import { decode, expectStatus, getFile, mustClose, mustOpen, putFile, readAll, sizeOf, text, volumeTest } from './volume-harness.js';

export function dataConformance(makeVolume: VolumeFactory): void {
  volumeTest('a write then a read return the same bytes; information counts them', makeVolume, async (v) => {
    const h = await mustOpen(v, '\\data.bin', { disposition: FILE_CREATE });
    const written = await v.api.write(h, text('hello, volume'), 0);
    expectStatus(written.status, 0);
    assert.equal(written.information, 13);
    const read = await v.api.read(h, 5, 7);
    expectStatus(read.status, 0);
    assert.equal(read.information, 5);
    assert.equal(decode(read.data), 'volum');
    const overwrite = await v.api.write(h, text('J'), 0);
    assert.equal(overwrite.information, 1);
    assert.equal(decode(await readAll(v, h)), 'Jello, volume');
    await mustClose(v, h);
  });

  volumeTest('reading at or past the end of file is STATUS_END_OF_FILE; a read across it is short', makeVolume, async (v) => {
    await putFile(v, '\\short', 'abc');
    const h = await mustOpen(v, '\\short');
    const across = await v.api.read(h, 10, 1);
    expectStatus(across.status, 0);
    assert.equal(decode(across.data), 'bc');
    expectStatus((await v.api.read(h, 10, 3)).status, STATUS_END_OF_FILE);
    expectStatus((await v.api.read(h, 1, 1000)).status, STATUS_END_OF_FILE);
    const empty = await v.api.read(h, 0, 3);
    expectStatus(empty.status, 0, 'a zero-length read succeeds');
    assert.equal(empty.information, 0);
    await mustClose(v, h);
    const emptyFile = await mustOpen(v, '\\empty', { disposition: FILE_CREATE });
    expectStatus((await v.api.read(emptyFile, 4, 0)).status, STATUS_END_OF_FILE);
    await mustClose(v, emptyFile);
  });

  volumeTest('a write past the end of file zero-fills the gap', makeVolume, async (v) => {
    const h = await mustOpen(v, '\\holes', { disposition: FILE_CREATE });
    await v.api.write(h, text('ab'), 0);
    await v.api.write(h, text('z'), 6);
    assert.deepEqual([...(await readAll(v, h))], [97, 98, 0, 0, 0, 0, 122]);
    await mustClose(v, h);
  });

  volumeTest('FILE_WRITE_TO_END_OF_FILE (-1) appends', makeVolume, async (v) => {
    await putFile(v, '\\log', 'one');
    const h = await mustOpen(v, '\\log');
    const appended = await v.api.write(h, text(',two'), FILE_WRITE_TO_END_OF_FILE);
    expectStatus(appended.status, 0);
    assert.equal(appended.information, 4);
    await v.api.write(h, text(',three'), FILE_WRITE_TO_END_OF_FILE);
    assert.equal(decode(await readAll(v, h)), 'one,two,three');
    await mustClose(v, h);
  });

  volumeTest('FileEndOfFileInformation truncates and extends with zeros', makeVolume, async (v) => {
    await putFile(v, '\\eof', 'abcdefgh');
    const h = await mustOpen(v, '\\eof');
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileEndOfFileInformation, { endOfFile: 3 })).status, 0);
    assert.equal(decode(await readAll(v, h)), 'abc');
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileEndOfFileInformation, { endOfFile: 6 })).status, 0);
    assert.deepEqual([...(await readAll(v, h))], [97, 98, 99, 0, 0, 0], 'bytes cut off earlier must not come back');
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileEndOfFileInformation, { endOfFile: -1 })).status, STATUS_INVALID_PARAMETER);
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileEndOfFileInformation, { endOfFile: 'big' })).status, STATUS_INVALID_PARAMETER);
    await mustClose(v, h);
  });

  volumeTest('reading, writing or truncating a directory is refused', makeVolume, async (v) => {
    const dir = await mustOpen(v, '\\d', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE });
    expectStatus((await v.api.write(dir, text('x'), 0)).status, STATUS_INVALID_DEVICE_REQUEST);
    expectStatus((await v.api.read(dir, 1, 0)).status, STATUS_INVALID_DEVICE_REQUEST);
    expectStatus((await v.api.setInformation(dir, FileInformationClass.FileEndOfFileInformation, { endOfFile: 0 })).status, STATUS_INVALID_PARAMETER);
    await mustClose(v, dir);
  });

  volumeTest('flush succeeds on files and directories', makeVolume, async (v) => {
    await putFile(v, '\\f', 'data');
    const file = await mustOpen(v, '\\f');
    expectStatus((await v.api.flush(file)).status, 0);
    await mustClose(v, file);
    const root = await mustOpen(v, '\\');
    expectStatus((await v.api.flush(root)).status, 0);
    await mustClose(v, root);
  });

  volumeTest('a 1 MiB file written in 64 KiB chunks reads back intact', makeVolume, async (v) => {
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 10)) & 0xff;
    const h = await mustOpen(v, '\\big', { disposition: FILE_CREATE });
    for (let offset = 0; offset < data.length; offset += 65536) {
      expectStatus((await v.api.write(h, data.subarray(offset, offset + 65536), offset)).status, 0);
    }
    assert.equal(await sizeOf(v, h), data.length);
    await mustClose(v, h);
    assert.ok(Buffer.from(await getFile(v, '\\big')).equals(data));
  });

  volumeTest('concurrent appends to one file and writes to many files keep every byte', makeVolume, async (v) => {
    const h = await mustOpen(v, '\\appends', { disposition: FILE_CREATE });
    const chunks = Array.from({ length: 32 }, (_, i) => text(i.toString(16).padStart(4, '0')));
    const results = await Promise.all(chunks.map((chunk) => v.api.write(h, chunk, FILE_WRITE_TO_END_OF_FILE)));
    for (const r of results) expectStatus(r.status, 0);
    const content = decode(await readAll(v, h));
    assert.equal(content.length, 128);
    assert.deepEqual(content.match(/.{4}/g)!.sort(), chunks.map(decode).sort());
    await mustClose(v, h);
    await Promise.all(Array.from({ length: 16 }, (_, i) => putFile(v, `\\many${i}`, `file ${i}`)));
    for (let i = 0; i < 16; i++) assert.equal(decode(await getFile(v, `\\many${i}`)), `file ${i}`);
  });
}
