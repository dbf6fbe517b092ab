// File-system registration and mounting. Mounting sends IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_MOUNT_VOLUME
// to each registered file system (through the top of its control device's stack, so that filters
// registered for file-system notifications see it and can attach to the new volume in its completion
// routine, before any create reaches the volume). Dismounting deletes the volume device, which runs the
// forced-detach cascade over every filter attached to it.

import type { DeviceObject, DriverObject } from './device.js';
import { FileObject } from './device.js';
import { IoAllocateIrp } from './irp-alloc.js';
import { FSCTL_DISMOUNT_VOLUME, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_MOUNT_VOLUME, IRP_MN_USER_FS_REQUEST, VPB_MOUNTED } from './irp-codes.js';
import type { FsRegistrationCallback, IoManager } from './io-manager.js';
import { IoGetAttachedDevice, IoGetRelatedDeviceObject } from './device-stack.js';
import { NT_SUCCESS, STATUS_SUCCESS, STATUS_UNRECOGNIZED_VOLUME, STATUS_VOLUME_DISMOUNTED, type NTSTATUS } from './ntstatus.js';
import { sendRequest } from './send-request.js';

export function IoRegisterFileSystem(controlDevice: DeviceObject): void {
  const io = controlDevice.driver.io;
  io.fileSystems.push(controlDevice);
  for (const { callback } of [...io.fsRegistrationCallbacks]) callback(controlDevice, true);
}

export function IoUnregisterFileSystem(controlDevice: DeviceObject): void {
  const io = controlDevice.driver.io;
  const index = io.fileSystems.indexOf(controlDevice);
  if (index < 0) return;
  io.fileSystems.splice(index, 1);
  for (const { callback } of [...io.fsRegistrationCallbacks]) callback(controlDevice, false);
}

/** Registers for file-system notifications; `callback` also hears about every file system already registered. */
export function IoRegisterFsRegistrationChange(driver: DriverObject, callback: FsRegistrationCallback): void {
  const io = driver.io;
  io.fsRegistrationCallbacks.push({ driver, callback });
  for (const fileSystem of [...io.fileSystems]) callback(fileSystem, true);
}

export function IoUnregisterFsRegistrationChange(driver: DriverObject, callback: FsRegistrationCallback): void {
  const list = driver.io.fsRegistrationCallbacks;
  const index = list.findIndex((entry) => entry.driver === driver && entry.callback === callback);
  if (index >= 0) list.splice(index, 1);
}

/**
 * Mounts `storageDevice` if it is not mounted yet: each file system (most recently registered first, as
 * NT does) is offered the mount until one accepts. Concurrent calls share one mount, and a call while a
 * mount is in progress waits for it even if the VPB is already marked mounted.
 */
export function mountVolume(io: IoManager, storageDevice: DeviceObject): Promise<NTSTATUS> {
  const vpb = storageDevice.vpb;
  if (vpb === null) return Promise.resolve(STATUS_UNRECOGNIZED_VOLUME);
  // A mount in progress first: the file system marks the VPB mounted in its mount routine, before the
  // mount IRP completes and filters attach to the new volume in its completion routine; an open let
  // through in between would reach the volume with none of them above it.
  const running = io.mountsInProgress.get(vpb);
  if (running) return running;
  if ((vpb.flags & VPB_MOUNTED) !== 0) return Promise.resolve(STATUS_SUCCESS);
  const mount = offerMount(io, storageDevice).finally(() => io.mountsInProgress.delete(vpb));
  io.mountsInProgress.set(vpb, mount);
  return mount;
}

async function offerMount(io: IoManager, storageDevice: DeviceObject): Promise<NTSTATUS> {
  const vpb = storageDevice.vpb!;
  let status: NTSTATUS = STATUS_UNRECOGNIZED_VOLUME;
  for (const fileSystem of [...io.fileSystems].reverse()) {
    const top = IoGetAttachedDevice(fileSystem);
    const irp = IoAllocateIrp(io, top.stackSize);
    const loc = irp.stack[0]!;
    loc.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
    loc.minorFunction = IRP_MN_MOUNT_VOLUME;
    loc.parameters.mountVolume = { vpb, deviceObject: storageDevice };
    status = (await sendRequest(top, irp)).status;
    if (NT_SUCCESS(status)) return (vpb.flags & VPB_MOUNTED) !== 0 ? status : STATUS_UNRECOGNIZED_VOLUME;
    if (status !== STATUS_UNRECOGNIZED_VOLUME) return status;
  }
  return status;
}

/**
 * Dismounts the volume mounted on `storageDevice`: FSCTL_DISMOUNT_VOLUME travels down the volume stack
 * and the file system deletes its volume device, which tears down every filter attached to it.
 */
export async function dismountVolume(io: IoManager, storageDevice: DeviceObject): Promise<NTSTATUS> {
  const vpb = storageDevice.vpb;
  if (vpb === null || (vpb.flags & VPB_MOUNTED) === 0) return STATUS_VOLUME_DISMOUNTED;
  const fileObject = new FileObject(storageDevice, '');
  fileObject.vpb = vpb;
  fileObject.internal = true;
  const top = IoGetRelatedDeviceObject(fileObject);
  const irp = IoAllocateIrp(io, top.stackSize);
  const loc = irp.stack[0]!;
  loc.majorFunction = IRP_MJ_FILE_SYSTEM_CONTROL;
  loc.minorFunction = IRP_MN_USER_FS_REQUEST;
  loc.fileObject = fileObject;
  loc.parameters.fileSystemControl = { fsControlCode: FSCTL_DISMOUNT_VOLUME, inputBufferLength: 0, outputBufferLength: 0 };
  return (await sendRequest(top, irp)).status;
}
