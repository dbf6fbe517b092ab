// Transparency: through the stack a stub lists and queries like its file (logical size, allocation,
// times) plus FILE_ATTRIBUTE_OFFLINE, fixed up in the post-operation callbacks; below the filter the
// disk holds the small stub. Looking never recalls; a stale catalog row is never trusted.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  FILE_ATTRIBUTE_OFFLINE, FileInformationClass, type FileAllInformation, type FileBasicInformation,
  type FileNetworkOpenInformation, type FileStandardInformation,
} from '../../../main/io/index.js';
import { STUB_MAX_SIZE } from '../../../filters/hsm/stub/stub-format.js';
import { OLD, closeFile, hostRead, listThrough, makeRig, migrateAll, openFile } from './hsm-rig.js';

const CONTENT = 'logical bytes '.repeat(700);

describe('transparency', () => {
  it('a listing shows each stub with its file\'s size, allocation and times, plus FILE_ATTRIBUTE_OFFLINE', async (t) => {
    const rig = await makeRig(t, { 'a.txt': CONTENT, 'sub/b.bin': CONTENT.slice(0, 5000), 'sub/empty': '' });
    const before = await listThrough(rig, 'sub');
    const rootBefore = await listThrough(rig);
    await migrateAll(rig);
    const after = await listThrough(rig, 'sub');
    for (const name of ['b.bin', 'empty']) {
      const [was, is] = [before.get(name)!, after.get(name)!];
      assert.equal(is.endOfFile, was.endOfFile, `${name}: logical size`);
      assert.equal(is.allocationSize, was.allocationSize, `${name}: allocation`);
      assert.equal(is.lastWriteTime, was.lastWriteTime, `${name}: modification time`);
      assert.equal(is.fileAttributes, was.fileAttributes | FILE_ATTRIBUTE_OFFLINE, `${name}: attributes`);
    }
    const a = (await listThrough(rig)).get('a.txt')!;
    assert.equal(a.endOfFile, CONTENT.length);
    assert.equal(a.lastWriteTime, OLD.getTime());
    assert.equal(a.fileAttributes & FILE_ATTRIBUTE_OFFLINE, FILE_ATTRIBUTE_OFFLINE);
    assert.equal((await listThrough(rig)).get('sub')!.fileAttributes & FILE_ATTRIBUTE_OFFLINE, 0, 'directories are never offline');
    assert.equal(rootBefore.get('a.txt')!.fileAttributes & FILE_ATTRIBUTE_OFFLINE, 0);
    const below = await rig.session.volume.io.list('\\sub');
    assert.ok(below.every((entry) => entry.endOfFile < STUB_MAX_SIZE), 'below the filter the disk holds small stubs');
    assert.equal(rig.session.volume.catalog.all().length, 3, 'listing recalled nothing');
  });

  it('query information of a stub reports its file in every class, and querying recalls nothing', async (t) => {
    const rig = await makeRig(t, { 'q.bin': CONTENT });
    await migrateAll(rig);
    const api = rig.session.stack.api;
    const handle = await openFile(rig, 'q.bin');
    const basic = (await api.queryInformation(handle, FileInformationClass.FileBasicInformation)).info as FileBasicInformation;
    assert.equal(basic.fileAttributes & FILE_ATTRIBUTE_OFFLINE, FILE_ATTRIBUTE_OFFLINE);
    assert.equal(basic.lastWriteTime, OLD.getTime());
    const standard = (await api.queryInformation(handle, FileInformationClass.FileStandardInformation)).info as FileStandardInformation;
    assert.equal(standard.endOfFile, CONTENT.length);
    assert.equal(standard.allocationSize, Math.ceil(CONTENT.length / 4096) * 4096);
    const network = (await api.queryInformation(handle, FileInformationClass.FileNetworkOpenInformation)).info as FileNetworkOpenInformation;
    assert.equal(network.endOfFile, CONTENT.length);
    assert.equal(network.fileAttributes, basic.fileAttributes);
    const all = (await api.queryInformation(handle, FileInformationClass.FileAllInformation)).info as FileAllInformation;
    assert.equal(all.standard.endOfFile, CONTENT.length);
    assert.equal(all.basic.fileAttributes, basic.fileAttributes);
    assert.equal(all.name.fileName, '\\q.bin');
    await closeFile(rig, handle);
    assert.ok((await hostRead(rig, 'q.bin')).length < STUB_MAX_SIZE, 'still a stub');
  });

  it('a file replaced outside Strata is shown as it is: a stale catalog row is never trusted', async (t) => {
    const rig = await makeRig(t, { 'r.txt': CONTENT });
    await migrateAll(rig);
    const replacement = 'new content written behind Strata\'s back';
    await writeFile(join(rig.folder, 'r.txt'), replacement);
    const listed = (await listThrough(rig)).get('r.txt')!;
    assert.equal(listed.endOfFile, replacement.length);
    assert.equal(listed.fileAttributes & FILE_ATTRIBUTE_OFFLINE, 0);
    const handle = await openFile(rig, 'r.txt');
    const read = await rig.session.stack.api.read(handle, 100, 0);
    assert.equal(new TextDecoder().decode(read.data), replacement);
    await closeFile(rig, handle);
    assert.equal(rig.session.volume.catalog.get('\\r.txt'), null, 'the stale row was dropped at the open');
    assert.ok(rig.events.some((event) => event.kind === 'warning' && event.path === '\\r.txt'));
  });
});
