// Host entries NT has no file for, and files with several names, on the local volume. A named pipe or a
// socket is listed as a reparse point (as NTFS shows a WSL FIFO or socket: walks leave it alone) and an
// open of it is refused with STATUS_IO_REPARSE_TAG_NOT_HANDLED, whatever the disposition: it is never
// taken for an empty file, truncated, or read (a read of a pipe would wait for a writer for ever). A hard-
// linked file reports its real number of names; a directory reports one, as on NTFS.

import assert from 'node:assert/strict';
import { link, mkdir, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FILE_OVERWRITE,
  FILE_OVERWRITE_IF, FILE_SUPERSEDE, FileInformationClass, STATUS_IO_REPARSE_TAG_NOT_HANDLED, STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION, FILE_CREATE, type FileAllInformation, type FileDirectoryInformation, type FileStandardInformation,
} from '../../main/io/index.js';
import { LocalBackend } from '../../main/volumes/local/local-backend.js';
import { statusOfError } from '../../main/volumes/volume-error.js';
import { isFifo, isSocket, listenSocket, makeFifo } from './host-special-files.js';
import { localVolumeFactory, type VolumeUnderTest } from './volume-factories.js';
import { expectStatus, mustClose, mustOpen, open, volumeTest } from './volume-harness.js';

const makeVolume = localVolumeFactory();

async function listing(v: VolumeUnderTest, directory: string): Promise<Map<string, FileDirectoryInformation>> {
  const handle = await mustOpen(v, directory, { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  try {
    const result = await v.api.queryDirectory(handle);
    expectStatus(result.status, 0, `list ${directory}`);
    return new Map((result.info ?? []).map((entry) => [entry.fileName, entry]));
  } finally {
    await mustClose(v, handle);
  }
}

async function standardOf(v: VolumeUnderTest, name: string, options = {}): Promise<FileStandardInformation> {
  const handle = await mustOpen(v, name, options);
  try {
    const result = await v.api.queryInformation(handle, FileInformationClass.FileStandardInformation);
    expectStatus(result.status, 0, `query ${name}`);
    return result.info as FileStandardInformation;
  } finally {
    await mustClose(v, handle);
  }
}

/** Every way of opening an existing name: each is refused, and the host entry is left as it was. */
async function expectRefusedOpens(v: VolumeUnderTest, name: string): Promise<void> {
  for (const disposition of [FILE_OPEN, FILE_OPEN_IF, FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE]) {
    const result = await open(v, name, { disposition });
    expectStatus(result.status, STATUS_IO_REPARSE_TAG_NOT_HANDLED, `open ${name} with disposition ${disposition}`);
    assert.equal(result.handle, null);
  }
  expectStatus((await open(v, name, { disposition: FILE_CREATE })).status, STATUS_OBJECT_NAME_COLLISION, `create over ${name}`);
  expectStatus((await open(v, name, { options: FILE_DIRECTORY_FILE })).status, STATUS_NOT_A_DIRECTORY, `open ${name} as a directory`);
}

function expectSpecialEntry(entry: FileDirectoryInformation | undefined, name: string): void {
  assert.ok(entry !== undefined, `${name} is listed`);
  assert.ok((entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0, `${name} is listed as a reparse point`);
  assert.equal(entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0, `${name} is no directory`);
  assert.equal(entry.endOfFile, 0);
}

volumeTest('a named pipe is listed as a reparse point and every open of it is refused, without waiting for a writer', makeVolume, async (v) => {
  const root = v.hostRoot!;
  await mkdir(join(root, 'sub'));
  makeFifo(join(root, 'sub', 'pipe'));
  await writeFile(join(root, 'sub', 'plain.txt'), 'plain');
  const entries = await listing(v, '\\sub');
  expectSpecialEntry(entries.get('pipe'), 'pipe');
  assert.equal(entries.get('plain.txt')!.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT, 0, 'a regular file is no reparse point');
  await expectRefusedOpens(v, '\\sub\\pipe');
  assert.ok(isFifo(join(root, 'sub', 'pipe')), 'still a named pipe');
});

volumeTest('a Unix socket is listed as a reparse point and every open of it is refused', makeVolume, async (v) => {
  const path = join(v.hostRoot!, 'sock');
  const close = await listenSocket(path);
  try {
    expectSpecialEntry((await listing(v, '\\')).get('sock'), 'sock');
    await expectRefusedOpens(v, '\\sock');
    assert.ok(isSocket(path), 'still a socket');
  } finally {
    await close();
  }
});

volumeTest('a link inside to a named pipe is listed as a reparse point, and an open through it is refused', makeVolume, async (v) => {
  makeFifo(join(v.hostRoot!, 'pipe'));
  await symlink('pipe', join(v.hostRoot!, 'pipe-alias'));
  expectSpecialEntry((await listing(v, '\\')).get('pipe-alias'), 'pipe-alias');
  await expectRefusedOpens(v, '\\pipe-alias');
  assert.ok(isFifo(join(v.hostRoot!, 'pipe')));
});

volumeTest('a name given to a named pipe between its lookup and its open is refused on the opened descriptor', makeVolume, async (v) => {
  // The backend's own steps, in the order a swap by another program would interleave them with an open.
  const backend = new LocalBackend(await realpath(v.hostRoot!));
  const path = join(v.hostRoot!, 'swapped');
  await writeFile(path, 'a file when looked up');
  const entry = await backend.lookup(['swapped']);
  assert.equal(entry!.attributes & FILE_ATTRIBUTE_REPARSE_POINT, 0, 'looked up as a file');
  await rm(path);
  makeFifo(path);
  await assert.rejects(Promise.resolve(backend.open(['swapped'], entry!)), (error) => {
    expectStatus(statusOfError(error)!, STATUS_IO_REPARSE_TAG_NOT_HANDLED, 'open of the swapped name');
    return true;
  });
  assert.ok(isFifo(path));
});

volumeTest('a file with a second name, inside or outside the volume, reports two links; a directory reports one', makeVolume, async (v) => {
  const root = v.hostRoot!;
  await writeFile(join(root, 'a.txt'), 'shared content');
  await link(join(root, 'a.txt'), join(dirname(root), 'outside.txt'));
  assert.equal((await standardOf(v, '\\a.txt')).numberOfLinks, 2);
  const handle = await mustOpen(v, '\\a.txt');
  const all = await v.api.queryInformation(handle, FileInformationClass.FileAllInformation);
  await mustClose(v, handle);
  assert.equal((all.info as FileAllInformation).standard.numberOfLinks, 2, 'FileAllInformation too');
  await link(join(root, 'a.txt'), join(root, 'b.txt'));
  assert.equal((await standardOf(v, '\\b.txt')).numberOfLinks, 3);
  await unlink(join(dirname(root), 'outside.txt'));
  await unlink(join(root, 'b.txt'));
  assert.equal((await standardOf(v, '\\a.txt')).numberOfLinks, 1);

  await mkdir(join(root, 'd', 'e'), { recursive: true });
  const directory = await standardOf(v, '\\d', { options: FILE_DIRECTORY_FILE });
  assert.equal(directory.directory, true);
  assert.equal(directory.numberOfLinks, 1, 'the host counts a directory\'s subdirectories as links; NT does not');
});
