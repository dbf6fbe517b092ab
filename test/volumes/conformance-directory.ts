// Conformance: IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY — order, wildcards, cursor, end of listing.

import assert from 'node:assert/strict';
import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE, STATUS_INVALID_PARAMETER, STATUS_NO_MORE_FILES,
  STATUS_OBJECT_NAME_INVALID,
} from '../../main/io/index.js';
import type { VolumeFactory, VolumeUnderTest } from './volume-factories.js';
import { expectStatus, listNames, mustClose, mustOpen, putFile, volumeTest } from './volume-harness.js';

async function populate(v: VolumeUnderTest): Promise<void> {
  await mustClose(v, await mustOpen(v, '\\sub', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }));
  await putFile(v, '\\c.txt', 'ccc');
  await putFile(v, '\\a.txt', 'a');
  await putFile(v, '\\B.log', 'bb');
  await putFile(v, '\\ab.txt', '');
  await putFile(v, '\\sub\\deep.txt', 'deep');
}

export function directoryConformance(makeVolume: VolumeFactory): void {
  volumeTest('a listing is sorted by name and carries sizes and attributes', makeVolume, async (v) => {
    await populate(v);
    const root = await mustOpen(v, '\\');
    const result = await v.api.queryDirectory(root);
    expectStatus(result.status, 0);
    const entries = result.info!;
    assert.deepEqual(entries.map((e) => e.fileName), ['a.txt', 'ab.txt', 'B.log', 'c.txt', 'sub']);
    assert.equal(result.information, 5);
    const byName = new Map(entries.map((e) => [e.fileName, e]));
    assert.equal(byName.get('c.txt')!.endOfFile, 3);
    assert.equal(byName.get('B.log')!.endOfFile, 2);
    assert.ok(byName.get('sub')!.fileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    assert.equal(byName.get('a.txt')!.fileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0);
    await mustClose(v, root);
    assert.deepEqual(await listNames(v, '\\sub'), ['deep.txt']);
  });

  volumeTest('NT wildcards * and ? filter the listing, ignoring case', makeVolume, async (v) => {
    await populate(v);
    assert.deepEqual(await listNames(v, '\\', '*.txt'), ['a.txt', 'ab.txt', 'c.txt']);
    assert.deepEqual(await listNames(v, '\\', '?.TXT'), ['a.txt', 'c.txt']);
    assert.deepEqual(await listNames(v, '\\', 'b*'), ['B.log']);
    assert.deepEqual(await listNames(v, '\\', 'a*t'), ['a.txt', 'ab.txt']);
    assert.deepEqual(await listNames(v, '\\', 'sub'), ['sub']);
    assert.deepEqual(await listNames(v, '\\', '*'), ['a.txt', 'ab.txt', 'B.log', 'c.txt', 'sub']);
    assert.deepEqual(await listNames(v, '\\', '*.none'), []);
  });

  volumeTest('an enumeration ends with STATUS_NO_MORE_FILES; restartScan starts it over', makeVolume, async (v) => {
    await populate(v);
    const root = await mustOpen(v, '\\');
    const first = await v.api.queryDirectory(root, '*.txt', false);
    assert.equal(first.info!.length, 3);
    expectStatus((await v.api.queryDirectory(root, null, false)).status, STATUS_NO_MORE_FILES);
    const restarted = await v.api.queryDirectory(root, null, true);
    expectStatus(restarted.status, 0);
    assert.deepEqual(restarted.info!.map((e) => e.fileName), ['a.txt', 'ab.txt', 'c.txt'], 'a restart keeps the pattern');
    const repatterned = await v.api.queryDirectory(root, '*.log', true);
    assert.deepEqual(repatterned.info!.map((e) => e.fileName), ['B.log']);
    expectStatus((await v.api.queryDirectory(root, '\\bad', true)).status, STATUS_OBJECT_NAME_INVALID);
    await mustClose(v, root);
  });

  volumeTest('an empty directory answers STATUS_NO_MORE_FILES at once', makeVolume, async (v) => {
    const empty = await mustOpen(v, '\\empty', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE });
    expectStatus((await v.api.queryDirectory(empty)).status, STATUS_NO_MORE_FILES);
    await mustClose(v, empty);
  });

  volumeTest('a file cannot be listed as a directory (STATUS_INVALID_PARAMETER)', makeVolume, async (v) => {
    await putFile(v, '\\plain', 'x');
    const h = await mustOpen(v, '\\plain');
    expectStatus((await v.api.queryDirectory(h)).status, STATUS_INVALID_PARAMETER);
    await mustClose(v, h);
  });
}
