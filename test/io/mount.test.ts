// Mounting and mount interception (FSI ch. 12): the mount request goes to each registered file system
// through the top of its control device's stack; a filter registered for file-system notifications
// attaches to the new volume in the mount's completion routine, before any create reaches the volume.
// Dismounting deletes the volume device and runs the forced-detach cascade.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILE_OPENED, IoGetAttachedDevice, IoGetRelatedDeviceObject, NtFileApi, STATUS_SUCCESS, STATUS_UNRECOGNIZED_VOLUME,
  STATUS_VOLUME_DISMOUNTED, VPB_MOUNTED, dismountVolume, mountVolume,
} from '../../main/io/index.js';
import {
  assertStatus, createMountFilter, createStorageDevice, createTestFileSystem, newIo,
} from './helpers.js';

describe('mount interception', () => {
  it('a filter attaches to the new volume in the mount completion routine, before any create reaches the volume', async () => {
    const io = newIo();
    const log: string[] = [];
    const fs = createTestFileSystem(io, 'testfs', log);
    const filter = createMountFilter(io, 'mf', log);
    const storage = createStorageDevice(io, '\\Device\\Disk1');
    const api = new NtFileApi(io);
    const opened = await api.createFile('\\Device\\Disk1\\a.txt');
    assertStatus(opened.status, STATUS_SUCCESS);
    assert.equal(opened.information, FILE_OPENED);
    assert.deepEqual(log, [
      'mf: MOUNT',
      'testfs: MOUNT',
      'mf: mount completed (STATUS_SUCCESS) in the routine given its control filter',
      'mf: attached to the new volume',
      "mf: IRP_MJ_CREATE '\\a.txt'",
      "testfs: IRP_MJ_CREATE '\\a.txt'",
    ]);
    const [volume] = fs.volumes;
    const [volumeFilter] = filter.volumeFilters;
    assert.ok(volume && volumeFilter);
    assert.equal(storage.vpb!.deviceObject, volume);
    assert.equal(IoGetAttachedDevice(volume), volumeFilter);
    assert.equal(IoGetRelatedDeviceObject(opened.handle!.fileObject), volumeFilter, 'later requests on the file go through the filter too');
    log.length = 0;
    assertStatus((await api.close(opened.handle!)).status, STATUS_SUCCESS);
    assert.deepEqual(log, ["mf: IRP_MJ_CLEANUP '\\a.txt'", "testfs: IRP_MJ_CLEANUP '\\a.txt'", "mf: IRP_MJ_CLOSE '\\a.txt'", "testfs: IRP_MJ_CLOSE '\\a.txt'"]);
    io.assertNoLeakedIrps();
  });

  it('a mounted volume is not mounted again, and concurrent first opens share one mount', async () => {
    const io = newIo();
    const log: string[] = [];
    const fs = createTestFileSystem(io, 'testfs', log);
    createStorageDevice(io, '\\Device\\Disk2');
    const api = new NtFileApi(io);
    const results = await Promise.all([api.createFile('\\Device\\Disk2\\x'), api.createFile('\\Device\\Disk2\\y')]);
    assert.deepEqual(results.map((r) => r.status), [STATUS_SUCCESS, STATUS_SUCCESS]);
    assertStatus((await api.createFile('\\Device\\Disk2\\z')).status, STATUS_SUCCESS);
    assert.equal(log.filter((line) => line === 'testfs: MOUNT').length, 1);
    assert.equal(fs.volumes.length, 1);
    io.assertNoLeakedIrps();
  });

  it('file systems are offered the mount most recently registered first, until one recognises the volume', async () => {
    const io = newIo();
    const log: string[] = [];
    const older = createTestFileSystem(io, 'older', log);
    createTestFileSystem(io, 'newer', log, false);
    const storage = createStorageDevice(io, '\\Device\\Disk3');
    assertStatus(await mountVolume(io, storage), STATUS_SUCCESS);
    assert.deepEqual(log, ['newer: MOUNT', 'older: MOUNT']);
    assert.equal(storage.vpb!.deviceObject, older.volumes[0]);
    io.assertNoLeakedIrps();
  });

  it('a volume no file system recognises fails the open with STATUS_UNRECOGNIZED_VOLUME', async () => {
    const io = newIo();
    const log: string[] = [];
    const storage = createStorageDevice(io, '\\Device\\Disk4');
    const api = new NtFileApi(io);
    assertStatus((await api.createFile('\\Device\\Disk4\\a')).status, STATUS_UNRECOGNIZED_VOLUME, 'no file system at all');
    createTestFileSystem(io, 'picky', log, false);
    const refused = await api.createFile('\\Device\\Disk4\\a');
    assertStatus(refused.status, STATUS_UNRECOGNIZED_VOLUME);
    assert.equal(refused.handle, null);
    assert.deepEqual(log, ['picky: MOUNT']);
    assert.equal(storage.vpb!.flags & VPB_MOUNTED, 0);
    io.assertNoLeakedIrps();
  });

  it('dismount deletes the volume device, which runs the forced-detach cascade over the filter; the next open mounts again', async () => {
    const io = newIo();
    const log: string[] = [];
    const fs = createTestFileSystem(io, 'testfs', log);
    const filter = createMountFilter(io, 'mf', log);
    const storage = createStorageDevice(io, '\\Device\\Disk5');
    const api = new NtFileApi(io);
    assertStatus((await api.createFile('\\Device\\Disk5\\a')).status, STATUS_SUCCESS);
    log.length = 0;
    assertStatus(await dismountVolume(io, storage), STATUS_SUCCESS);
    assert.deepEqual(log, [
      "mf: IRP_MJ_FILE_SYSTEM_CONTROL ''",
      "testfs: IRP_MJ_FILE_SYSTEM_CONTROL ''",
      'mf: detach from testfs',
      'mf: deleted',
    ]);
    assert.equal(fs.volumes[0]!.deleted, true);
    assert.equal(filter.volumeFilters[0]!.deleted, true);
    assert.equal(storage.vpb!.flags & VPB_MOUNTED, 0);
    assertStatus(await dismountVolume(io, storage), STATUS_VOLUME_DISMOUNTED, 'nothing left to dismount');
    log.length = 0;
    const reopened = await api.createFile('\\Device\\Disk5\\a');
    assertStatus(reopened.status, STATUS_SUCCESS);
    assert.deepEqual(log.slice(0, 4), ['mf: MOUNT', 'testfs: MOUNT', 'mf: mount completed (STATUS_SUCCESS) in the routine given its control filter', 'mf: attached to the new volume']);
    assert.equal(fs.volumes.length, 2);
    assert.equal(IoGetRelatedDeviceObject(reopened.handle!.fileObject), filter.volumeFilters[1]);
    io.assertNoLeakedIrps();
  });
});
