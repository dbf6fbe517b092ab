// An open that arrives while the volume's mount is still in progress waits for the mount, even when the
// file system has already marked the VPB mounted (it does so in its mount routine, before the mount IRP
// completes): filters attach to the new volume in the mount's completion routine, and an open let through
// in between would reach the volume with none of them above it.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILE_DEVICE_DISK_FILE_SYSTEM, FILE_OPENED, IRP_MJ_CREATE, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_MOUNT_VOLUME,
  IoCompleteRequest, IoCreateDevice, IoGetCurrentIrpStackLocation, IoMarkIrpPending, IoRegisterFileSystem, NtFileApi,
  STATUS_PENDING, STATUS_SUCCESS, VPB_MOUNTED, majorFunctionName, statusName, type Irp, type IoManager,
} from '../../main/io/index.js';
import { settle } from './held-device.js';
import { createMountFilter, createStorageDevice, newIo } from './helpers.js';

/**
 * A file system whose mount routine creates the volume and marks the VPB mounted at once but completes
 * the mount IRP only when the test says so (as a file system that finishes mounting asynchronously).
 */
function slowMountingFileSystem(io: IoManager, log: string[]): { completeMount: () => void } {
  const driver = io.createDriver('slowfs');
  let held: Irp | null = null;
  const controlDevice = IoCreateDevice(driver, { name: '\\FileSystem\\slowfs', deviceType: FILE_DEVICE_DISK_FILE_SYSTEM, extension: null });
  const dispatch = (device: unknown, irp: Irp) => {
    const loc = IoGetCurrentIrpStackLocation(irp);
    if (device === controlDevice && loc.majorFunction === IRP_MJ_FILE_SYSTEM_CONTROL && loc.minorFunction === IRP_MN_MOUNT_VOLUME) {
      log.push('slowfs: MOUNT (VPB marked mounted, IRP held)');
      const { vpb } = loc.parameters.mountVolume!;
      const volume = IoCreateDevice(driver, { deviceType: FILE_DEVICE_DISK_FILE_SYSTEM, extension: null });
      volume.vpb = vpb;
      vpb.deviceObject = volume;
      vpb.flags |= VPB_MOUNTED;
      IoMarkIrpPending(irp);
      held = irp;
      return STATUS_PENDING;
    }
    log.push(`slowfs: ${majorFunctionName(loc.majorFunction)} '${loc.fileObject?.fileName}'`);
    irp.ioStatus.status = STATUS_SUCCESS;
    irp.ioStatus.information = loc.majorFunction === IRP_MJ_CREATE ? FILE_OPENED : 0;
    IoCompleteRequest(irp);
    return STATUS_SUCCESS;
  };
  for (let major = 0; major <= IRP_MJ_FILE_SYSTEM_CONTROL; major++) driver.majorFunction[major] = dispatch;
  IoRegisterFileSystem(controlDevice);
  return {
    completeMount: () => {
      const irp = held;
      assert.ok(irp, 'no mount is held');
      held = null;
      irp.ioStatus.status = STATUS_SUCCESS;
      IoCompleteRequest(irp);
    },
  };
}

describe('an open during a mount in progress', () => {
  it('waits for the mount, so that it goes through the filter that attaches in the mount completion routine', async () => {
    const io = newIo();
    const log: string[] = [];
    const fs = slowMountingFileSystem(io, log);
    createMountFilter(io, 'mf', log);
    const storage = createStorageDevice(io, '\\Device\\Disk1');
    const api = new NtFileApi(io);
    const first = api.createFile('\\Device\\Disk1\\a');
    await settle();
    assert.ok((storage.vpb!.flags & VPB_MOUNTED) !== 0, 'the file system has marked the VPB mounted');
    const second = api.createFile('\\Device\\Disk1\\b');
    await settle();
    assert.ok(!log.includes("slowfs: IRP_MJ_CREATE '\\b'"), 'the open went past the mount in progress, around the filter');
    fs.completeMount();
    const results = await Promise.all([first, second]);
    assert.deepEqual(results.map((r) => statusName(r.status)), ['STATUS_SUCCESS', 'STATUS_SUCCESS']);
    for (const name of ['a', 'b']) {
      const reached = log.indexOf(`slowfs: IRP_MJ_CREATE '\\${name}'`);
      assert.ok(reached > 0 && log[reached - 1] === `mf: IRP_MJ_CREATE '\\${name}'`, `the create of '${name}' went through the filter: ${JSON.stringify(log)}`);
    }
    for (const result of results) await api.close(result.handle!);
    io.assertNoLeakedIrps();
  });
});
