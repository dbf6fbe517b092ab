// The local-directory volume: the conformance suite over real temp folders, plus what only it promises —
// asynchronous completion, the same bytes on disk, and confinement to its root (links leading out are
// refused, links inside are followed).

import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  FILE_CREATE, FILE_DIRECTORY_FILE, FILE_OPEN_IF, FileInformationClass, IRP_MJ_READ, IoBuildSynchronousFsdRequest,
  IoCallDriver, IoGetRelatedDeviceObject, KEvent, STATUS_ACCESS_DENIED, STATUS_OBJECT_NAME_INVALID, STATUS_PENDING, type IoStatusBlock,
} from '../../main/io/index.js';
import { volumeConformanceSuite } from './volume-conformance.js';
import { localVolumeFactory, type VolumeUnderTest } from './volume-factories.js';
import { decode, expectStatus, getFile, listNames, mustClose, mustOpen, open, putFile, text, volumeTest } from './volume-harness.js';

volumeConformanceSuite('local', localVolumeFactory());

const makeVolume = localVolumeFactory();

/** A folder next to the root, outside the volume, holding a secret. */
async function outsideFolder(v: VolumeUnderTest): Promise<string> {
  const outside = join(dirname(v.hostRoot!), 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'top secret');
  return outside;
}

volumeTest('local volume reads pend (STATUS_PENDING) and complete when the host I/O does', makeVolume, async (v) => {
  await putFile(v, '\\async', 'abcd');
  const h = await mustOpen(v, '\\async');
  const device = IoGetRelatedDeviceObject(h.fileObject);
  const event = new KEvent();
  const iosb: IoStatusBlock = { status: -1, information: 0 };
  const buffer = new Uint8Array(4);
  const irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, device, buffer, 4, 0, event, iosb, h.fileObject);
  expectStatus(IoCallDriver(device, irp), STATUS_PENDING);
  assert.equal(event.isSet, false);
  await event.wait();
  expectStatus(iosb.status, 0);
  assert.equal(decode(buffer), 'abcd');
  await mustClose(v, h);
});

volumeTest('files written through Strata are on disk with the same bytes, and disk files show through Strata', makeVolume, async (v) => {
  const bytes = new Uint8Array(70000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
  await mustClose(v, await mustOpen(v, '\\docs', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }));
  await putFile(v, '\\docs\\report.bin', bytes);
  assert.ok(Buffer.from(await readFile(join(v.hostRoot!, 'docs', 'report.bin'))).equals(bytes));
  assert.ok((await stat(join(v.hostRoot!, 'docs'))).isDirectory());

  await writeFile(join(v.hostRoot!, 'docs', 'from-disk.txt'), 'written by the host');
  assert.equal(decode(await getFile(v, '\\docs\\from-disk.txt')), 'written by the host');
  assert.deepEqual(await listNames(v, '\\docs'), ['from-disk.txt', 'report.bin']);

  const h = await mustOpen(v, '\\docs\\report.bin');
  expectStatus((await v.api.setInformation(h, FileInformationClass.FileDispositionInformation, { deleteFile: true })).status, 0);
  await mustClose(v, h);
  assert.deepEqual(await readdir(join(v.hostRoot!, 'docs')), ['from-disk.txt']);
});

volumeTest('a symlink leading out of the root is refused with STATUS_ACCESS_DENIED', makeVolume, async (v) => {
  const outside = await outsideFolder(v);
  await symlink(join(outside, 'secret.txt'), join(v.hostRoot!, 'secret-link'));
  await symlink(outside, join(v.hostRoot!, 'out'));
  await symlink('../outside/secret.txt', join(v.hostRoot!, 'relative-link'));

  expectStatus((await open(v, '\\secret-link')).status, STATUS_ACCESS_DENIED);
  expectStatus((await open(v, '\\relative-link')).status, STATUS_ACCESS_DENIED);
  expectStatus((await open(v, '\\out')).status, STATUS_ACCESS_DENIED);
  expectStatus((await open(v, '\\out\\secret.txt')).status, STATUS_ACCESS_DENIED);
  expectStatus((await open(v, '\\out\\planted.txt', { disposition: FILE_OPEN_IF })).status, STATUS_ACCESS_DENIED);
  expectStatus((await open(v, '\\out\\newdir', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE })).status, STATUS_ACCESS_DENIED);
  assert.deepEqual((await readdir(outside)).sort(), ['secret.txt'], 'nothing was created outside the root');
  assert.deepEqual(await listNames(v, '\\'), [], 'links leading out are not listed');

  await putFile(v, '\\mine.txt', 'mine');
  const h = await mustOpen(v, '\\mine.txt');
  expectStatus((await v.api.setInformation(h, FileInformationClass.FileRenameInformation, { fileName: '\\out\\mine.txt', replaceIfExists: true })).status, STATUS_ACCESS_DENIED);
  expectStatus((await v.api.setInformation(h, FileInformationClass.FileRenameInformation, { fileName: '\\secret-link', replaceIfExists: true })).status, STATUS_ACCESS_DENIED);
  await mustClose(v, h);
  assert.equal(await readFile(join(outside, 'secret.txt'), 'utf8'), 'top secret');
  assert.deepEqual((await readdir(outside)).sort(), ['secret.txt']);
});

volumeTest('a dangling symlink cannot be used to create a file outside the root', makeVolume, async (v) => {
  const outside = await outsideFolder(v);
  await symlink(join(outside, 'not-yet.txt'), join(v.hostRoot!, 'dangling'));
  const result = await open(v, '\\dangling', { disposition: FILE_OPEN_IF });
  assert.notEqual(result.status, 0);
  assert.deepEqual((await readdir(outside)).sort(), ['secret.txt']);
});

volumeTest('a symlink that stays inside the root is followed', makeVolume, async (v) => {
  await mkdir(join(v.hostRoot!, 'real'));
  await writeFile(join(v.hostRoot!, 'real', 'data.txt'), 'inside');
  await symlink(join(v.hostRoot!, 'real'), join(v.hostRoot!, 'alias'));
  await symlink('real/data.txt', join(v.hostRoot!, 'file-alias'));
  assert.equal(decode(await getFile(v, '\\alias\\data.txt')), 'inside');
  assert.equal(decode(await getFile(v, '\\file-alias')), 'inside');
  await putFile(v, '\\alias\\new.txt', 'via the alias');
  assert.equal(await readFile(join(v.hostRoot!, 'real', 'new.txt'), 'utf8'), 'via the alias');
  assert.deepEqual(await listNames(v, '\\'), ['alias', 'file-alias', 'real']);
});

volumeTest('host names with characters NT forbids are listed and opened mapped; one already holding the mapped range is not listed', makeVolume, async (v) => {
  await writeFile(join(v.hostRoot!, 'ok.txt'), '1');
  await writeFile(join(v.hostRoot!, 'back\\slash'), '2');
  await writeFile(join(v.hostRoot!, 'Q3: notes?.txt'), '3');
  await writeFile(join(v.hostRoot!, 'ends with a dot.'), '4');
  await writeFile(join(v.hostRoot!, 'bell\u0007'), '5');
  await writeFile(join(v.hostRoot!, 'private \uf03a'), '6');
  const mapped = {
    'back\\slash': 'back\uf05cslash', 'Q3: notes?.txt': 'Q3\uf03a notes\uf03f.txt', 'ends with a dot.': 'ends with a dot\uf02e', 'bell\u0007': 'bell\uf007',
  };
  assert.deepEqual((await listNames(v, '\\')).sort(), [...Object.values(mapped), 'ok.txt'].sort());
  for (const [host, name] of Object.entries(mapped)) {
    assert.equal(decode(await getFile(v, `\\${name}`)), await readFile(join(v.hostRoot!, host), 'utf8'), `${JSON.stringify(name)} opens ${JSON.stringify(host)}`);
  }
  await putFile(v, '\\made\uf03a here\uf020', 'new');
  assert.equal(await readFile(join(v.hostRoot!, 'made: here '), 'utf8'), 'new', 'a mapped name is created under its host name');
  expectStatus((await open(v, '\\a\uf041b')).status, STATUS_OBJECT_NAME_INVALID);
});

volumeTest('a read-only host file opens and reads; writing it is refused', makeVolume, async (v) => {
  const hostFile = join(v.hostRoot!, 'ro.txt');
  await writeFile(hostFile, 'read only', { mode: 0o444 });
  const h = await mustOpen(v, '\\ro.txt');
  const info = (await v.api.queryInformation(h, FileInformationClass.FileBasicInformation)).info!;
  assert.ok(info.fileAttributes & 0x01, 'FILE_ATTRIBUTE_READONLY');
  assert.equal(decode((await v.api.read(h, 100, 0)).data), 'read only');
  if (process.getuid?.() !== 0) assert.notEqual((await v.api.write(h, text('x'), 0)).status, 0);
  await mustClose(v, h);
});
