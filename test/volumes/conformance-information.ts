// Conformance: IRP_MJ_QUERY_INFORMATION and the FileBasicInformation half of IRP_MJ_SET_INFORMATION.

import assert from 'node:assert/strict';
import {
  FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE, FileInformationClass,
  STATUS_INVALID_INFO_CLASS, STATUS_INVALID_PARAMETER, type FileAllInformation, type FileBasicInformation,
  type FileNameInformation, type FileNetworkOpenInformation, type FileStandardInformation,
} from '../../main/io/index.js';
import type { VolumeFactory } from './volume-factories.js';
import { expectStatus, mustClose, mustOpen, putFile, volumeTest } from './volume-harness.js';

const SLACK_MS = 5000;

export function informationConformance(makeVolume: VolumeFactory): void {
  volumeTest('query information describes a file: basic, standard, network-open, name and all', makeVolume, async (v) => {
    const before = Date.now();
    await mustClose(v, await mustOpen(v, '\\dir', { disposition: FILE_CREATE, options: FILE_DIRECTORY_FILE }));
    await putFile(v, '\\dir\\file.txt', 'twelve bytes');
    const h = await mustOpen(v, '\\dir\\file.txt');

    const basic = (await v.api.queryInformation(h, FileInformationClass.FileBasicInformation)).info as FileBasicInformation;
    assert.equal(basic.fileAttributes & FILE_ATTRIBUTE_DIRECTORY, 0);
    assert.ok(basic.fileAttributes & FILE_ATTRIBUTE_ARCHIVE, 'a file written to carries FILE_ATTRIBUTE_ARCHIVE');
    for (const time of [basic.creationTime, basic.lastAccessTime, basic.lastWriteTime, basic.changeTime]) {
      assert.ok(Number.isInteger(time) && time >= before - SLACK_MS && time <= Date.now() + SLACK_MS, `time ${time} near now`);
    }

    const standard = (await v.api.queryInformation(h, FileInformationClass.FileStandardInformation)).info as FileStandardInformation;
    assert.equal(standard.endOfFile, 12);
    assert.ok(standard.allocationSize >= 12);
    assert.equal(standard.directory, false);
    assert.equal(standard.deletePending, false);
    assert.equal(standard.numberOfLinks, 1);

    const network = (await v.api.queryInformation(h, FileInformationClass.FileNetworkOpenInformation)).info as FileNetworkOpenInformation;
    assert.equal(network.endOfFile, 12);
    assert.equal(network.lastWriteTime, basic.lastWriteTime);
    assert.equal(network.fileAttributes, basic.fileAttributes);

    const name = (await v.api.queryInformation(h, FileInformationClass.FileNameInformation)).info as FileNameInformation;
    assert.equal(name.fileName, '\\dir\\file.txt');

    const all = (await v.api.queryInformation(h, FileInformationClass.FileAllInformation)).info as FileAllInformation;
    assert.equal(all.standard.endOfFile, 12);
    assert.equal(all.name.fileName, '\\dir\\file.txt');
    assert.equal(all.basic.fileAttributes, basic.fileAttributes);
    await mustClose(v, h);
  });

  volumeTest('a directory reports FILE_ATTRIBUTE_DIRECTORY and directory = true', makeVolume, async (v) => {
    for (const name of ['\\', '\\sub']) {
      const h = await mustOpen(v, name, { disposition: name === '\\' ? 1 : FILE_CREATE, options: FILE_DIRECTORY_FILE });
      const basic = (await v.api.queryInformation(h, FileInformationClass.FileBasicInformation)).info as FileBasicInformation;
      assert.ok(basic.fileAttributes & FILE_ATTRIBUTE_DIRECTORY, `${name} is a directory`);
      const standard = (await v.api.queryInformation(h, FileInformationClass.FileStandardInformation)).info as FileStandardInformation;
      assert.equal(standard.directory, true);
      const fileName = ((await v.api.queryInformation(h, FileInformationClass.FileNameInformation)).info as FileNameInformation).fileName;
      assert.equal(fileName, name);
      await mustClose(v, h);
    }
  });

  volumeTest('an information class the volume does not know is STATUS_INVALID_INFO_CLASS', makeVolume, async (v) => {
    await putFile(v, '\\f', 'x');
    const h = await mustOpen(v, '\\f');
    expectStatus((await v.api.queryInformation(h, FileInformationClass.FileDirectoryInformation)).status, STATUS_INVALID_INFO_CLASS);
    expectStatus((await v.api.queryInformation(h, 77 as FileInformationClass)).status, STATUS_INVALID_INFO_CLASS);
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileNameInformation, { fileName: '\\g' })).status, STATUS_INVALID_INFO_CLASS);
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileBasicInformation, null)).status, STATUS_INVALID_PARAMETER);
    await mustClose(v, h);
  });

  volumeTest('FileBasicInformation sets the access and write times; zero fields keep theirs', makeVolume, async (v) => {
    await putFile(v, '\\timed', 'x');
    const h = await mustOpen(v, '\\timed');
    const lastWriteTime = Date.UTC(2020, 0, 2, 3, 4, 5, 678);
    const lastAccessTime = Date.UTC(2021, 5, 6, 7, 8, 9, 123);
    const before = (await v.api.queryInformation(h, FileInformationClass.FileBasicInformation)).info!;
    const set = await v.api.setInformation(h, FileInformationClass.FileBasicInformation, { lastWriteTime, lastAccessTime, creationTime: 0 });
    expectStatus(set.status, 0);
    const after = (await v.api.queryInformation(h, FileInformationClass.FileBasicInformation)).info!;
    assert.equal(after.lastWriteTime, lastWriteTime);
    assert.equal(after.lastAccessTime, lastAccessTime);
    assert.equal(after.creationTime, before.creationTime);
    expectStatus((await v.api.setInformation(h, FileInformationClass.FileBasicInformation, { lastWriteTime: 'soon' })).status, STATUS_INVALID_PARAMETER);
    await mustClose(v, h);
  });
}
