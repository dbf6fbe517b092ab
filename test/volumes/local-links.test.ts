// Symbolic links on the local volume, as a hostile user of the folder may plant them: a link that stays
// inside is listed as a reparse point (walks leave it alone), and an ordinary open through it is reparsed
// to the name of the entry it leads to (STATUS_REPARSE, as NT's I/O manager does); an
// entry opened through such a link is never deleted or moved outside the root when the link is re-pointed
// outside afterwards (entries are removed and renamed through a checked descriptor of their parent).

import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, FILE_DIRECTORY_FILE, FILE_OPEN, FileInformationClass,
  STATUS_NO_MORE_FILES, type FileDirectoryInformation,
} from '../../main/io/index.js';
import { localVolumeFactory, type VolumeUnderTest } from './volume-factories.js';
import { decode, expectStatus, getFile, mustClose, mustOpen, volumeTest } from './volume-harness.js';

const makeVolume = localVolumeFactory();

/** root/real/x.txt, root/d -> real, and outside/x.txt beside the root. */
async function linkedFolder(v: VolumeUnderTest): Promise<{ outside: string }> {
  const root = v.hostRoot!;
  await mkdir(join(root, 'real'));
  await writeFile(join(root, 'real', 'x.txt'), 'inside x');
  await symlink('real', join(root, 'd'));
  const outside = join(dirname(root), 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'x.txt'), 'outside x');
  return { outside };
}

async function repointOutside(v: VolumeUnderTest, outside: string): Promise<void> {
  await rm(join(v.hostRoot!, 'd'));
  await symlink(outside, join(v.hostRoot!, 'd'));
}

async function listing(v: VolumeUnderTest, directory: string): Promise<Map<string, FileDirectoryInformation>> {
  const handle = await mustOpen(v, directory, { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  try {
    const result = await v.api.queryDirectory(handle);
    if (result.status === STATUS_NO_MORE_FILES) return new Map();
    expectStatus(result.status, 0, `list ${directory}`);
    return new Map((result.info ?? []).map((entry) => [entry.fileName, entry]));
  } finally {
    await mustClose(v, handle);
  }
}

volumeTest('a link that stays inside is listed as a reparse point, and an ordinary open still follows it', makeVolume, async (v) => {
  await linkedFolder(v);
  await symlink('real/x.txt', join(v.hostRoot!, 'x-alias'));
  await symlink('..', join(v.hostRoot!, 'real', 'up'));
  const root = await listing(v, '\\');
  assert.equal(root.get('real')!.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT, 0, 'a real directory is no reparse point');
  assert.equal(root.get('d')!.fileAttributes, FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT, 'a directory link');
  assert.ok(root.get('x-alias')!.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT, 'a file link');
  assert.equal(root.get('x-alias')!.endOfFile, 'inside x'.length, 'described by its target');
  assert.ok((await listing(v, '\\real')).get('up')!.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT, 'a link back to a parent');
  assert.equal(decode(await getFile(v, '\\d\\x.txt')), 'inside x');
  assert.equal(decode(await getFile(v, '\\x-alias')), 'inside x');
  assert.equal(decode(await getFile(v, '\\real\\up\\real\\x.txt')), 'inside x');
  // As NT's I/O manager does with a symbolic link, the open is reparsed: the handle has the file's own name.
  for (const through of ['\\d\\x.txt', '\\x-alias', '\\real\\up\\real\\x.txt']) {
    const handle = await mustOpen(v, through);
    assert.equal(handle.fileObject.fileName, '\\real\\x.txt', `${through} is opened as \\real\\x.txt`);
    await mustClose(v, handle);
  }
});

volumeTest('a file opened through a link inside is not deleted outside when the link is re-pointed outside before the delete', makeVolume, async (v) => {
  const { outside } = await linkedFolder(v);
  const handle = await mustOpen(v, '\\d\\x.txt');
  expectStatus((await v.api.setInformation(handle, FileInformationClass.FileDispositionInformation, { deleteFile: true })).status, 0);
  await repointOutside(v, outside);
  await mustClose(v, handle);
  assert.deepEqual(await readdir(outside), ['x.txt'], 'the file outside is still there');
  assert.equal(await readFile(join(outside, 'x.txt'), 'utf8'), 'outside x');
});

volumeTest('a file opened through a link inside is not moved in from outside when the link is re-pointed outside before the rename', makeVolume, async (v) => {
  const { outside } = await linkedFolder(v);
  const handle = await mustOpen(v, '\\d\\x.txt');
  await repointOutside(v, outside);
  const renamed = await v.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\moved.txt', replaceIfExists: true });
  await mustClose(v, handle);
  // The open was reparsed to the file's own name (\real\x.txt): the rename moves that file, inside.
  expectStatus(renamed.status, 0, 'the rename moves the file the handle really has open');
  assert.deepEqual(await readdir(outside), ['x.txt'], 'the file outside stays where it is');
  assert.equal(await readFile(join(outside, 'x.txt'), 'utf8'), 'outside x');
  assert.deepEqual((await readdir(v.hostRoot!)).sort(), ['d', 'moved.txt', 'real']);
  assert.equal(await readFile(join(v.hostRoot!, 'moved.txt'), 'utf8'), 'inside x');
});

volumeTest('a rename to a name through a directory link gives the file the name it really has (the target folder is opened first)', makeVolume, async (v) => {
  const { outside } = await linkedFolder(v);
  await writeFile(join(v.hostRoot!, 'y.txt'), 'y');
  const handle = await mustOpen(v, '\\y.txt');
  expectStatus((await v.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\d\\y.txt', replaceIfExists: false })).status, 0);
  const named = await v.api.queryInformation(handle, FileInformationClass.FileNameInformation);
  assert.equal((named.info as { fileName: string }).fileName, '\\real\\y.txt', 'named by the folder the link leads to');
  await mustClose(v, handle);
  assert.equal(await readFile(join(v.hostRoot!, 'real', 'y.txt'), 'utf8'), 'y');
  // A link leading outside is no folder of the volume: the rename fails and nothing moves.
  await repointOutside(v, outside);
  await writeFile(join(v.hostRoot!, 'z.txt'), 'z');
  const second = await mustOpen(v, '\\z.txt');
  const refused = await v.api.setInformation(second, FileInformationClass.FileRenameInformation, { fileName: '\\d\\z.txt', replaceIfExists: true });
  assert.notEqual(refused.status, 0, 'no rename through a link that leads outside');
  await mustClose(v, second);
  assert.deepEqual(await readdir(outside), ['x.txt']);
  assert.equal(await readFile(join(v.hostRoot!, 'z.txt'), 'utf8'), 'z');
});

volumeTest('a rename whose folder was swapped for a link after the open is refused, and no other file moves', makeVolume, async (v) => {
  await linkedFolder(v);
  await mkdir(join(v.hostRoot!, 'd2'));
  await writeFile(join(v.hostRoot!, 'd2', 'x.txt'), 'd2 x');
  const handle = await mustOpen(v, '\\d2\\x.txt');
  await rm(join(v.hostRoot!, 'd2'), { recursive: true });
  await symlink('real', join(v.hostRoot!, 'd2'));
  const renamed = await v.api.setInformation(handle, FileInformationClass.FileRenameInformation, { fileName: '\\d2\\renamed.txt', replaceIfExists: false });
  assert.notEqual(renamed.status, 0, 'the folder is a link now: the rename is refused');
  await mustClose(v, handle);
  assert.deepEqual((await readdir(join(v.hostRoot!, 'real'))).sort(), ['x.txt'], 'the file the link leads to stays where it is');
});

volumeTest('a delete whose folder was swapped for a link after the open removes nothing else', makeVolume, async (v) => {
  await linkedFolder(v);
  await mkdir(join(v.hostRoot!, 'd2'));
  await writeFile(join(v.hostRoot!, 'd2', 'x.txt'), 'd2 x');
  const handle = await mustOpen(v, '\\d2\\x.txt');
  expectStatus((await v.api.setInformation(handle, FileInformationClass.FileDispositionInformation, { deleteFile: true })).status, 0);
  await rm(join(v.hostRoot!, 'd2'), { recursive: true });
  await symlink('real', join(v.hostRoot!, 'd2'));
  await v.api.close(handle);
  assert.deepEqual(await readdir(join(v.hostRoot!, 'real')), ['x.txt'], 'the file the link leads to is not deleted');
  assert.equal(await readFile(join(v.hostRoot!, 'real', 'x.txt'), 'utf8'), 'inside x');
});
