// Conformance: mounting on first open, dismount refused while files are open, remount after dismount.

import assert from 'node:assert/strict';
import {
  FILE_DEVICE_DISK, FILE_DEVICE_DISK_FILE_SYSTEM, FSCTL_DISMOUNT_VOLUME, IoDeleteDevice, STATUS_FILES_OPEN,
  STATUS_INVALID_DEVICE_REQUEST, STATUS_VOLUME_DISMOUNTED, VPB_MOUNTED, dismountVolume, FileInformationClass,
} from '../../main/io/index.js';
import type { VolumeFactory } from './volume-factories.js';
import { decode, expectStatus, getFile, mustClose, mustOpen, putFile, volumeTest } from './volume-harness.js';

export function mountConformance(makeVolume: VolumeFactory): void {
  volumeTest('the first open mounts the volume: the VPB points at a disk-file-system volume device', makeVolume, async (v) => {
    const vpb = v.storage.vpb!;
    assert.equal(v.storage.deviceType, FILE_DEVICE_DISK);
    assert.equal(vpb.flags & VPB_MOUNTED, 0);
    await putFile(v, '\\first', '1');
    assert.ok(vpb.flags & VPB_MOUNTED);
    const volumeDevice = vpb.deviceObject!;
    assert.equal(volumeDevice.deviceType, FILE_DEVICE_DISK_FILE_SYSTEM);
    assert.equal(volumeDevice.vpb, vpb);
    assert.equal(volumeDevice.name, undefined);
  });

  volumeTest('dismount is refused while a file is open; after it, a new open remounts and finds the files', makeVolume, async (v) => {
    await putFile(v, '\\persist', 'kept across mounts');
    const h = await mustOpen(v, '\\persist');
    const oldVolumeDevice = v.storage.vpb!.deviceObject!;
    expectStatus(await dismountVolume(v.io, v.storage), STATUS_FILES_OPEN);
    assert.ok(v.storage.vpb!.flags & VPB_MOUNTED, 'still mounted after a refused dismount');
    await mustClose(v, h);
    expectStatus(await dismountVolume(v.io, v.storage), 0);
    assert.equal(v.storage.vpb!.flags & VPB_MOUNTED, 0);
    assert.equal(v.storage.vpb!.deviceObject, null);
    assert.equal(oldVolumeDevice.deleted, true, 'the volume device is deleted at dismount');
    expectStatus(await dismountVolume(v.io, v.storage), STATUS_VOLUME_DISMOUNTED);
    assert.equal(decode(await getFile(v, '\\persist')), 'kept across mounts');
    assert.ok(v.storage.vpb!.flags & VPB_MOUNTED);
    assert.notEqual(v.storage.vpb!.deviceObject, oldVolumeDevice);
  });

  volumeTest('a dismount sent on the last open handle of the volume succeeds', makeVolume, async (v) => {
    const root = await mustOpen(v, '\\');
    const result = await v.api.fsControl(root, FSCTL_DISMOUNT_VOLUME, null, 0);
    expectStatus(result.status, 0);
    assert.equal(v.storage.vpb!.flags & VPB_MOUNTED, 0);
    const orphaned = await v.api.queryInformation(root, FileInformationClass.FileBasicInformation);
    expectStatus(orphaned.status, STATUS_VOLUME_DISMOUNTED, 'a handle that outlived its volume learns that the volume is gone');
    const other = await mustOpen(v, '\\');
    const stale = await v.api.fsControl(other, FSCTL_DISMOUNT_VOLUME, null, 0);
    expectStatus(stale.status, 0);
    await putFile(v, '\\after', 'remounted');
    expectStatus((await v.api.close(root)).status, 0, 'a handle closed by a dismount still closes, even after a remount');
    expectStatus((await v.api.close(other)).status, 0);
    assert.equal(decode(await getFile(v, '\\after')), 'remounted');
  });

  volumeTest('requests the volume does not implement answer STATUS_INVALID_DEVICE_REQUEST', makeVolume, async (v) => {
    await putFile(v, '\\f', 'x');
    const h = await mustOpen(v, '\\f');
    expectStatus((await v.api.deviceIoControl(h, 0x222000, null, 0)).status, STATUS_INVALID_DEVICE_REQUEST);
    expectStatus((await v.api.fsControl(h, 0x90000, null, 0)).status, STATUS_INVALID_DEVICE_REQUEST);
    await mustClose(v, h);
  });

  volumeTest('deleting the storage device after a dismount leaves nothing behind', makeVolume, async (v) => {
    await putFile(v, '\\f', 'x');
    expectStatus(await dismountVolume(v.io, v.storage), 0);
    IoDeleteDevice(v.storage);
    assert.equal(v.storage.deleted, true);
  });
}
