// Conformance: renames (FileRenameInformation) and deletes (FileDispositionInformation,
// FILE_DELETE_ON_CLOSE): deletion happens at the cleanup of the last handle.

import assert from 'node:assert/strict';
import {
  FILE_CREATE, FILE_DELETE_ON_CLOSE, FILE_DIRECTORY_FILE, FileInformationClass, STATUS_ACCESS_DENIED,
  STATUS_CANNOT_DELETE, STATUS_DELETE_PENDING, STATUS_DIRECTORY_NOT_EMPTY, STATUS_INVALID_PARAMETER,
  STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND, type FileHandle, type FileNameInformation, type FileStandardInformation,
} from '../../main/io/index.js';
import type { VolumeFactory, VolumeUnderTest } from './volume-factories.js';
import { decode, exists, expectStatus, getFile, listNames, mustClose, mustOpen, open, putFile, volumeTest } from './volume-harness.js';

function rename(v: VolumeUnderTest, h: FileHandle, fileName: string, replaceIfExists = false) {
  return v.api.setInformation(h, FileInformationClass.FileRenameInformation, { fileName, replaceIfExists });
}

function setDelete(v: VolumeUnderTest, h: FileHandle, deleteFile = true) {
  return v.api.setInformation(h, FileInformationClass.FileDispositionInformation, { deleteFile });
}

async function mkdir(v: VolumeUnderTest, name: string): Promise<void> {
  await mustClose(v, await mustOpen(v, name, { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }));
}

export function namespaceConformance(makeVolume: VolumeFactory): void {
  volumeTest('rename moves a file; the old name is gone and the open handle follows', makeVolume, async (v) => {
    await mkdir(v, '\\dir');
    await putFile(v, '\\old.txt', 'payload');
    const h = await mustOpen(v, '\\old.txt');
    expectStatus((await rename(v, h, '\\dir\\new.txt')).status, 0);
    const name = (await v.api.queryInformation(h, FileInformationClass.FileNameInformation)).info as FileNameInformation;
    assert.equal(name.fileName, '\\dir\\new.txt');
    await v.api.write(h, new TextEncoder().encode('P'), 0);
    await mustClose(v, h);
    assert.equal(await exists(v, '\\old.txt'), false);
    assert.equal(decode(await getFile(v, '\\dir\\new.txt')), 'Payload');
  });

  volumeTest('rename onto an existing file: a collision without replace, a replacement with it', makeVolume, async (v) => {
    await putFile(v, '\\src', 'source');
    await putFile(v, '\\dst', 'destination');
    const h = await mustOpen(v, '\\src');
    expectStatus((await rename(v, h, '\\dst')).status, STATUS_OBJECT_NAME_COLLISION);
    assert.equal(decode(await getFile(v, '\\dst')), 'destination');
    expectStatus((await rename(v, h, '\\dst', true)).status, 0);
    await mustClose(v, h);
    assert.equal(decode(await getFile(v, '\\dst')), 'source');
    assert.deepEqual(await listNames(v, '\\'), ['dst']);
  });

  volumeTest('rename refuses a missing target directory, a bad name, an open target and a directory target', makeVolume, async (v) => {
    await putFile(v, '\\f', 'x');
    await putFile(v, '\\busy', 'y');
    await mkdir(v, '\\d');
    const h = await mustOpen(v, '\\f');
    expectStatus((await rename(v, h, '\\nowhere\\f')).status, STATUS_OBJECT_PATH_NOT_FOUND);
    expectStatus((await rename(v, h, '\\..\\escape')).status, STATUS_OBJECT_NAME_INVALID);
    expectStatus((await rename(v, h, '\\a:b')).status, STATUS_OBJECT_NAME_INVALID);
    const busy = await mustOpen(v, '\\busy');
    expectStatus((await rename(v, h, '\\busy', true)).status, STATUS_ACCESS_DENIED);
    await mustClose(v, busy);
    expectStatus((await rename(v, h, '\\d', true)).status, STATUS_ACCESS_DENIED);
    await mustClose(v, h);
    assert.equal(decode(await getFile(v, '\\f')), 'x');
    assert.equal(decode(await getFile(v, '\\busy')), 'y');
  });

  volumeTest('rename moves a directory with its content; a directory cannot move into itself', makeVolume, async (v) => {
    await mkdir(v, '\\a');
    await mkdir(v, '\\a\\b');
    await putFile(v, '\\a\\b\\leaf', 'leaf');
    const h = await mustOpen(v, '\\a');
    expectStatus((await rename(v, h, '\\a\\b\\inside')).status, STATUS_INVALID_PARAMETER);
    const child = await mustOpen(v, '\\a\\b\\leaf');
    expectStatus((await rename(v, h, '\\moved')).status, STATUS_ACCESS_DENIED, 'a directory with an open file below it stays put');
    await mustClose(v, child);
    expectStatus((await rename(v, h, '\\moved')).status, 0);
    await mustClose(v, h);
    assert.equal(decode(await getFile(v, '\\moved\\b\\leaf')), 'leaf');
    assert.equal(await exists(v, '\\a'), false);
  });

  volumeTest('a delete disposition removes the file at the cleanup of its last handle', makeVolume, async (v) => {
    await putFile(v, '\\doomed', 'bye');
    const first = await mustOpen(v, '\\doomed');
    const second = await mustOpen(v, '\\doomed');
    expectStatus((await setDelete(v, first)).status, 0);
    const standard = (await v.api.queryInformation(second, FileInformationClass.FileStandardInformation)).info as FileStandardInformation;
    assert.equal(standard.deletePending, true);
    await mustClose(v, first);
    expectStatus((await open(v, '\\doomed')).status, STATUS_DELETE_PENDING, 'an open of a delete-pending file');
    expectStatus((await open(v, '\\doomed', { disposition: FILE_CREATE })).status, STATUS_DELETE_PENDING);
    await mustClose(v, second);
    expectStatus((await open(v, '\\doomed')).status, STATUS_OBJECT_NAME_NOT_FOUND);
    assert.deepEqual(await listNames(v, '\\'), []);
  });

  volumeTest('clearing the delete disposition keeps the file', makeVolume, async (v) => {
    await putFile(v, '\\kept', 'still here');
    const h = await mustOpen(v, '\\kept');
    expectStatus((await setDelete(v, h, true)).status, 0);
    expectStatus((await setDelete(v, h, false)).status, 0);
    await mustClose(v, h);
    assert.equal(decode(await getFile(v, '\\kept')), 'still here');
  });

  volumeTest('FILE_DELETE_ON_CLOSE deletes the file when its handle is cleaned up', makeVolume, async (v) => {
    const h = await mustOpen(v, '\\temp', { disposition: FILE_CREATE, options: FILE_DELETE_ON_CLOSE });
    await v.api.write(h, new Uint8Array([1]), 0);
    assert.equal(await exists(v, '\\temp'), true);
    await mustClose(v, h);
    assert.equal(await exists(v, '\\temp'), false);
  });

  volumeTest('a non-empty directory cannot be deleted (STATUS_DIRECTORY_NOT_EMPTY); an empty one can', makeVolume, async (v) => {
    await mkdir(v, '\\full');
    await putFile(v, '\\full\\x', 'x');
    const full = await mustOpen(v, '\\full');
    expectStatus((await setDelete(v, full)).status, STATUS_DIRECTORY_NOT_EMPTY);
    await mustClose(v, full);
    assert.equal(await exists(v, '\\full\\x'), true);
    const x = await mustOpen(v, '\\full\\x');
    expectStatus((await setDelete(v, x)).status, 0);
    await mustClose(v, x);
    const emptied = await mustOpen(v, '\\full');
    expectStatus((await setDelete(v, emptied)).status, 0);
    await mustClose(v, emptied);
    assert.equal(await exists(v, '\\full'), false);
  });

  volumeTest('nothing can be created in a delete-pending directory; the root cannot be deleted', makeVolume, async (v) => {
    await mkdir(v, '\\going');
    const going = await mustOpen(v, '\\going');
    expectStatus((await setDelete(v, going)).status, 0);
    expectStatus((await open(v, '\\going\\late', { disposition: FILE_CREATE })).status, STATUS_DELETE_PENDING);
    await mustClose(v, going);
    expectStatus((await open(v, '\\going\\late', { disposition: FILE_CREATE })).status, STATUS_OBJECT_PATH_NOT_FOUND);
    const root = await mustOpen(v, '\\');
    expectStatus((await setDelete(v, root)).status, STATUS_CANNOT_DELETE);
    expectStatus((await rename(v, root, '\\elsewhere')).status, STATUS_ACCESS_DENIED);
    await mustClose(v, root);
  });
}
