// FltCreateFile with an instance (createFileBelow) opens names relative to the instance's own volume only:
// a name that would reach another device (a neighbour volume whose name extends this one's, or a device
// named below it) is refused with STATUS_OBJECT_NAME_INVALID, so an instance can never do I/O, unseen by
// the filters above its altitude, on a volume it is not attached to. A detached instance opens nothing.

import assert from 'node:assert/strict';
import { afterEach, it } from 'node:test';
import {
  FILE_DEVICE_DISK, FILE_DIRECTORY_FILE, FILE_OPEN, IRP_MJ_CREATE, IoCreateDevice, STATUS_FLT_DELETING_OBJECT,
  STATUS_OBJECT_NAME_INVALID, STATUS_SUCCESS,
} from '../../main/io/index.js';
import { FLT_PREOP_SUCCESS_NO_CALLBACK } from '../../main/fltmgr/index.js';
import { createStorageDevice } from '../../main/volumes/index.js';
import { VOLUME, decode, makeRig, volumeOf, writeFile, type Rig } from './rig.js';

let rig: Rig;
afterEach(() => rig?.io.assertNoLeakedIrps());

it('createFileBelow refuses a name that is not volume-relative or that names another device', async () => {
  rig = makeRig();
  createStorageDevice(rig.io, { name: `${VOLUME}2`, source: { kind: 'memory' } });
  IoCreateDevice(rig.io.createDriver('Nested'), { name: `${VOLUME}\\Nested`, deviceType: FILE_DEVICE_DISK, extension: null });
  const creates: string[] = [];
  rig.manager.registerFilter({
    name: 'Guard', altitude: '300000',
    operations: { [IRP_MJ_CREATE]: { pre: (data, objects) => (creates.push(`${objects.volume.name}${data.fileObject!.fileName}`), FLT_PREOP_SUCCESS_NO_CALLBACK) } },
  }).startFiltering();
  const low = rig.manager.registerFilter({ name: 'Low', altitude: '100000', operations: {} });
  low.startFiltering();
  await writeFile(rig, 'mine.txt', 'mine');
  const instance = volumeOf(rig).instances.find((candidate) => candidate.name === 'Low')!;
  creates.length = 0;

  for (const name of ['2\\secret.txt', 'mine.txt', '\\Nested\\x.txt']) {
    const refused = await rig.manager.createFileBelow(instance, name, { disposition: FILE_OPEN });
    assert.equal(refused.status, STATUS_OBJECT_NAME_INVALID, name);
    assert.equal(refused.handle, null);
    assert.match(refused.reason!, /createFileBelow on \\Device\\FltTestVolume for minifilter 'Low'/);
  }
  assert.deepEqual(creates, [], 'nothing reached any volume');

  const mine = await rig.manager.createFileBelow(instance, '\\mine.txt', { disposition: FILE_OPEN });
  assert.equal(mine.status, STATUS_SUCCESS);
  assert.equal(decode((await rig.api.read(mine.handle!, 4, 0)).data), 'mine');
  await rig.api.close(mine.handle!);
  const root = await rig.manager.createFileBelow(instance, '', { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  assert.equal(root.status, STATUS_SUCCESS);
  await rig.api.close(root.handle!);
  assert.deepEqual(creates, [], 'the instance\'s own I/O enters below it');

  assert.equal(await rig.manager.detachInstance(low, volumeOf(rig)), STATUS_SUCCESS);
  assert.equal((await rig.manager.createFileBelow(instance, '\\mine.txt', { disposition: FILE_OPEN })).status, STATUS_FLT_DELETING_OBJECT);
});
