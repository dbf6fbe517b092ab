// The in-memory volume: the conformance suite, plus what only it promises — synchronous completion
// (no STATUS_PENDING on the benchmarked path) and NTFS-like case-insensitive, case-preserving names.

import assert from 'node:assert/strict';
import {
  FILE_CREATE, IRP_MJ_READ, IRP_MJ_WRITE, IoBuildSynchronousFsdRequest, IoCallDriver, IoGetRelatedDeviceObject,
  KEvent, STATUS_OBJECT_NAME_COLLISION, STATUS_PENDING, type IoStatusBlock,
} from '../../main/io/index.js';
import { createStorageDevice } from '../../main/volumes/index.js';
import { volumeConformanceSuite } from './volume-conformance.js';
import { memoryVolumeFactory } from './volume-factories.js';
import { decode, expectStatus, getFile, listNames, mustClose, mustOpen, putFile, text, volumeTest } from './volume-harness.js';

volumeConformanceSuite('memory', memoryVolumeFactory());

const makeVolume = memoryVolumeFactory();

volumeTest('memory volume reads and writes complete inside the dispatch routine (never STATUS_PENDING)', makeVolume, async (v) => {
  const h = await mustOpen(v, '\\sync', { disposition: FILE_CREATE });
  const device = IoGetRelatedDeviceObject(h.fileObject);
  for (const [major, buffer] of [[IRP_MJ_WRITE, text('abcd')], [IRP_MJ_READ, new Uint8Array(4)]] as const) {
    const event = new KEvent();
    const iosb: IoStatusBlock = { status: -1, information: 0 };
    const irp = IoBuildSynchronousFsdRequest(major, device, buffer, 4, 0, event, iosb, h.fileObject);
    const returned = IoCallDriver(device, irp);
    assert.notEqual(returned, STATUS_PENDING);
    expectStatus(returned, 0);
    assert.equal(event.isSet, true, 'completed before IoCallDriver returned');
    expectStatus(iosb.status, 0);
    assert.equal(iosb.information, 4);
    if (major === IRP_MJ_READ) assert.equal(decode(buffer), 'abcd');
  }
  await mustClose(v, h);
});

volumeTest('memory volume names are case-insensitive and case-preserving', makeVolume, async (v) => {
  await putFile(v, '\\MixedCase.TXT', 'data');
  assert.equal(decode(await getFile(v, '\\mixedcase.txt')), 'data');
  const a = await mustOpen(v, '\\MIXEDCASE.txt');
  const b = await mustOpen(v, '\\mixedCase.txt');
  assert.equal(a.fileObject.fsContext, b.fileObject.fsContext);
  await mustClose(v, a);
  await mustClose(v, b);
  assert.deepEqual(await listNames(v, '\\'), ['MixedCase.TXT']);
  expectStatus((await v.api.createFile(v.volumePath + '\\MIXEDCASE.TXT', { disposition: FILE_CREATE })).status, STATUS_OBJECT_NAME_COLLISION);
});

volumeTest('two memory volumes hold separate trees', makeVolume, async (v) => {
  createStorageDevice(v.io, { name: '\\Device\\StrataVolume2', source: { kind: 'memory' } });
  await putFile(v, '\\only-in-one', '1');
  const other = { ...v, volumePath: '\\Device\\StrataVolume2' };
  assert.deepEqual(await listNames(other, '\\'), []);
});
