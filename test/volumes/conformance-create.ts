// Conformance: IRP_MJ_CREATE — dispositions, directory options, the root, FCB sharing and name checks.

import assert from 'node:assert/strict';
import {
  FILE_CREATE, FILE_CREATED, FILE_DELETE_ON_CLOSE, FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE, FILE_OPEN,
  FILE_OPEN_IF, FILE_OPENED, FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_OVERWRITTEN, FILE_SUPERSEDE, FILE_SUPERSEDED,
  STATUS_CANNOT_DELETE, STATUS_FILE_IS_A_DIRECTORY, STATUS_INVALID_PARAMETER, STATUS_NOT_A_DIRECTORY,
  STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND,
} from '../../main/io/index.js';
import type { VolumeFactory } from './volume-factories.js';
import {
  decode, exists, expectStatus, getFile, listNames, mustClose, mustOpen, open, putFile, sizeOf, volumeTest,
} from './volume-harness.js';

export function createConformance(makeVolume: VolumeFactory): void {
  volumeTest('FILE_CREATE creates a new file and refuses an existing one', makeVolume, async (v) => {
    const created = await open(v, '\\new.txt', { disposition: FILE_CREATE });
    expectStatus(created.status, 0);
    assert.equal(created.information, FILE_CREATED);
    await mustClose(v, created.handle!);
    const again = await open(v, '\\new.txt', { disposition: FILE_CREATE });
    expectStatus(again.status, STATUS_OBJECT_NAME_COLLISION);
    assert.equal(again.handle, null);
  });

  volumeTest('FILE_OPEN opens an existing file and tells a missing name from a missing path', makeVolume, async (v) => {
    await putFile(v, '\\here.txt', 'x');
    const opened = await open(v, '\\here.txt', { disposition: FILE_OPEN });
    expectStatus(opened.status, 0);
    assert.equal(opened.information, FILE_OPENED);
    await mustClose(v, opened.handle!);
    expectStatus((await open(v, '\\missing.txt')).status, STATUS_OBJECT_NAME_NOT_FOUND);
    expectStatus((await open(v, '\\nodir\\file.txt')).status, STATUS_OBJECT_PATH_NOT_FOUND);
    expectStatus((await open(v, '\\here.txt\\below', { disposition: FILE_OPEN_IF })).status, STATUS_OBJECT_PATH_NOT_FOUND);
    expectStatus((await open(v, '\\nodir\\file.txt', { disposition: FILE_CREATE })).status, STATUS_OBJECT_PATH_NOT_FOUND);
  });

  volumeTest('FILE_OPEN_IF creates a missing file, then opens it', makeVolume, async (v) => {
    const first = await open(v, '\\f', { disposition: FILE_OPEN_IF });
    assert.equal(first.information, FILE_CREATED);
    const second = await open(v, '\\f', { disposition: FILE_OPEN_IF });
    assert.equal(second.information, FILE_OPENED);
    await mustClose(v, first.handle!);
    await mustClose(v, second.handle!);
  });

  volumeTest('FILE_OVERWRITE and FILE_OVERWRITE_IF empty an existing file; FILE_OVERWRITE needs one', makeVolume, async (v) => {
    expectStatus((await open(v, '\\f', { disposition: FILE_OVERWRITE })).status, STATUS_OBJECT_NAME_NOT_FOUND);
    const created = await open(v, '\\f', { disposition: FILE_OVERWRITE_IF });
    assert.equal(created.information, FILE_CREATED);
    await v.api.write(created.handle!, new Uint8Array(100), 0);
    await mustClose(v, created.handle!);
    for (const disposition of [FILE_OVERWRITE, FILE_OVERWRITE_IF]) {
      await putFile(v, '\\f', 'some content');
      const result = await open(v, '\\f', { disposition });
      expectStatus(result.status, 0);
      assert.equal(result.information, FILE_OVERWRITTEN);
      assert.equal(await sizeOf(v, result.handle!), 0);
      await mustClose(v, result.handle!);
    }
  });

  volumeTest('FILE_SUPERSEDE replaces an existing file and creates a missing one', makeVolume, async (v) => {
    const created = await open(v, '\\s', { disposition: FILE_SUPERSEDE });
    assert.equal(created.information, FILE_CREATED);
    await mustClose(v, created.handle!);
    await putFile(v, '\\s', 'old data');
    const superseded = await open(v, '\\s', { disposition: FILE_SUPERSEDE });
    assert.equal(superseded.information, FILE_SUPERSEDED);
    assert.equal(await sizeOf(v, superseded.handle!), 0);
    await mustClose(v, superseded.handle!);
  });

  volumeTest('FILE_DIRECTORY_FILE creates directories; file/directory mismatches are refused', makeVolume, async (v) => {
    const dir = await open(v, '\\d', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE });
    expectStatus(dir.status, 0);
    await mustClose(v, dir.handle!);
    await putFile(v, '\\d\\inner.txt', 'inside');
    assert.equal(decode(await getFile(v, '\\d\\inner.txt')), 'inside');
    expectStatus((await open(v, '\\d', { options: FILE_NON_DIRECTORY_FILE })).status, STATUS_FILE_IS_A_DIRECTORY);
    expectStatus((await open(v, '\\d', { disposition: FILE_OVERWRITE_IF })).status, STATUS_FILE_IS_A_DIRECTORY);
    expectStatus((await open(v, '\\d\\inner.txt', { options: FILE_DIRECTORY_FILE })).status, STATUS_NOT_A_DIRECTORY);
    expectStatus((await open(v, '\\d', { options: FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE })).status, STATUS_INVALID_PARAMETER);
    expectStatus((await open(v, '\\e', { disposition: FILE_OVERWRITE_IF, options: FILE_DIRECTORY_FILE })).status, STATUS_INVALID_PARAMETER);
    expectStatus((await open(v, '\\d', { disposition: 9 })).status, STATUS_INVALID_PARAMETER);
    const reopened = await open(v, '\\d', { disposition: FILE_OPEN_IF, options: FILE_DIRECTORY_FILE });
    assert.equal(reopened.information, FILE_OPENED);
    await mustClose(v, reopened.handle!);
  });

  volumeTest('a trailing backslash may only name a directory', makeVolume, async (v) => {
    await putFile(v, '\\file', 'x');
    await mustClose(v, await mustOpen(v, '\\dir\\', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }));
    await mustClose(v, await mustOpen(v, '\\dir\\'));
    expectStatus((await open(v, '\\file\\')).status, STATUS_OBJECT_NAME_INVALID);
    expectStatus((await open(v, '\\other\\', { disposition: FILE_CREATE })).status, STATUS_OBJECT_NAME_INVALID);
  });

  volumeTest('the root directory opens as "" and as "\\"; it cannot be created or deleted on close', makeVolume, async (v) => {
    for (const name of ['', '\\']) {
      const root = await open(v, name, { options: FILE_DIRECTORY_FILE });
      expectStatus(root.status, 0, `open '${name}'`);
      await mustClose(v, root.handle!);
    }
    expectStatus((await open(v, '\\', { options: FILE_NON_DIRECTORY_FILE })).status, STATUS_FILE_IS_A_DIRECTORY);
    expectStatus((await open(v, '\\', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE })).status, STATUS_OBJECT_NAME_COLLISION);
    expectStatus((await open(v, '\\', { options: FILE_DELETE_ON_CLOSE })).status, STATUS_CANNOT_DELETE);
  });

  volumeTest('all opens of a file share one FCB (fsContext); each open has its own CCB (fsContext2)', makeVolume, async (v) => {
    const a = await mustOpen(v, '\\shared', { disposition: FILE_CREATE });
    const b = await mustOpen(v, '\\shared');
    const other = await mustOpen(v, '\\other', { disposition: FILE_CREATE });
    assert.ok(a.fileObject.fsContext !== null);
    assert.equal(a.fileObject.fsContext, b.fileObject.fsContext);
    assert.notEqual(a.fileObject.fsContext2, b.fileObject.fsContext2);
    assert.notEqual(a.fileObject.fsContext, other.fileObject.fsContext);
    await v.api.write(a, new Uint8Array([1, 2, 3]), 0);
    assert.equal(await sizeOf(v, b), 3);
    for (const h of [a, b, other]) await mustClose(v, h);
    const again = await mustOpen(v, '\\shared');
    assert.notEqual(again.fileObject.fsContext, a.fileObject.fsContext, 'a stream opened after its last close gets a new FCB');
    await mustClose(v, again);
  });

  volumeTest('bad names are refused with STATUS_OBJECT_NAME_INVALID and create nothing', makeVolume, async (v) => {
    const bad = [
      '\\..', '\\.', '\\a\\..\\..\\etc', '\\..\\outside', '\\x\\.\\y', '\\C:\\x', '\\C:', '\\a*b', '\\a?b', '\\a<b',
      '\\a>b', '\\a|b', '\\a"b', '\\a\u0001b', '\\a/b', '\\a\\\\b', '\\\\a', '\\trailing.', '\\trailing ',
      '\\' + 'n'.repeat(256),
    ];
    for (const name of bad) {
      for (const disposition of [FILE_OPEN, FILE_OPEN_IF]) {
        const result = await open(v, name, { disposition });
        expectStatus(result.status, STATUS_OBJECT_NAME_INVALID, `name ${JSON.stringify(name)}`);
      }
    }
    assert.deepEqual(await listNames(v, '\\'), []);
    assert.equal(await exists(v, '\\a'), false);
  });
}
