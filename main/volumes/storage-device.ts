// Storage devices: the "disks" volumes are mounted from. Each is a named device with a VPB whose
// extension describes its medium: an in-memory store or a local directory. File systems recognise
// their kind of medium at mount time.

import { isAbsolute } from 'node:path';
import {
  DO_DEVICE_INITIALIZING, FILE_DEVICE_DISK, FILE_REMOVABLE_MEDIA, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_MAXIMUM_FUNCTION, completeRequest, IoDeleteDevice,
  IoCreateDevice, NT_SUCCESS, NtStatusError, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, STATUS_VOLUME_DISMOUNTED,
  VPB_MOUNTED, dismountVolume, type DeviceObject, type DriverObject, type Irp, type IoManager, type NTSTATUS,
} from '../io/index.js';

export type VolumeSource = { kind: 'memory' } | { kind: 'local'; root: string };

export interface StorageDeviceOptions {
  /** The NT device name, e.g. '\Device\StrataVolume1'; files are then '\Device\StrataVolume1\dir\file'. */
  name: string;
  source: VolumeSource;
  /** Marks the device FILE_REMOVABLE_MEDIA (filters treat removable volumes specially, e.g. scan at mount). */
  removable?: boolean;
}

const storageDrivers = new WeakMap<IoManager, DriverObject>();

function storageDriver(io: IoManager): DriverObject {
  let driver = storageDrivers.get(io);
  if (driver === undefined) {
    driver = io.createDriver('\\Driver\\StrataStorage');
    // Only handles that outlived a dismount reach the raw storage device (opens mount first): their
    // cleanup and close are answered, anything else learns that the volume is gone.
    for (let major = 0; major <= IRP_MJ_MAXIMUM_FUNCTION; major++) driver.majorFunction[major] = completeDismounted;
    driver.majorFunction[IRP_MJ_CLEANUP] = completeSuccess;
    driver.majorFunction[IRP_MJ_CLOSE] = completeSuccess;
    storageDrivers.set(io, driver);
  }
  return driver;
}

function completeDismounted(_device: DeviceObject, irp: Irp): NTSTATUS {
  return completeRequest(irp, STATUS_VOLUME_DISMOUNTED);
}

function completeSuccess(_device: DeviceObject, irp: Irp): NTSTATUS {
  return completeRequest(irp, STATUS_SUCCESS);
}

/** Creates a storage device for `source`; it is mounted by the first open of a file on it. */
export function createStorageDevice(io: IoManager, options: StorageDeviceOptions): DeviceObject<VolumeSource> {
  const source = checkSource(options.source);
  const device = IoCreateDevice<VolumeSource>(storageDriver(io), {
    name: options.name,
    deviceType: FILE_DEVICE_DISK,
    characteristics: options.removable ? FILE_REMOVABLE_MEDIA : 0,
    extension: source,
    withVpb: true,
  });
  device.flags &= ~DO_DEVICE_INITIALIZING;
  return device;
}

function checkSource(source: VolumeSource): VolumeSource {
  if (source?.kind === 'memory') return { kind: 'memory' };
  if (source?.kind === 'local') {
    if (typeof source.root !== 'string' || !isAbsolute(source.root)) {
      throw new NtStatusError(STATUS_INVALID_PARAMETER, `createStorageDevice: source.root must be an absolute directory path, got ${JSON.stringify(source.root)}`);
    }
    return { kind: 'local', root: source.root };
  }
  throw new NtStatusError(STATUS_INVALID_PARAMETER, `createStorageDevice: source.kind must be 'memory' or 'local', got ${JSON.stringify((source as { kind?: unknown })?.kind)}`);
}

/** The medium of a storage device created here, or null for any other device. */
export function storageSourceOf(device: DeviceObject): VolumeSource | null {
  return storageDrivers.get(device.driver.io) === device.driver ? (device.extension as VolumeSource) : null;
}

/** Dismounts the device's volume if mounted, then deletes the device. Refused (the status) while files are open. */
export async function removeStorageDevice(io: IoManager, device: DeviceObject<VolumeSource>): Promise<NTSTATUS> {
  if (device.vpb !== null && (device.vpb.flags & VPB_MOUNTED) !== 0) {
    const status = await dismountVolume(io, device);
    if (!NT_SUCCESS(status) && status !== STATUS_VOLUME_DISMOUNTED) return status;
  }
  IoDeleteDevice(device);
  return STATUS_SUCCESS;
}
