// IRP_MJ_FILE_SYSTEM_CONTROL. On the control device: IRP_MN_MOUNT_VOLUME recognises the medium, opens a
// backend and creates the volume device the VPB then points at. On a volume device: FSCTL_DISMOUNT_VOLUME,
// refused while files are open; otherwise the VPB is unmounted, the IRP completed, and only then the
// volume device deleted (the verifier forbids deleting a device an IRP is still outstanding on). The
// host-copy controls are in fs-copy-from-host.ts.

import {
  DO_DEVICE_INITIALIZING, FILE_DEVICE_DISK_FILE_SYSTEM, FILE_REMOVABLE_MEDIA, FSCTL_DISMOUNT_VOLUME,
  IRP_MN_MOUNT_VOLUME, IRP_MN_USER_FS_REQUEST, IoCreateDevice, IoDeleteDevice, IoGetCurrentIrpStackLocation,
  STATUS_FILES_OPEN, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_PARAMETER, STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME, VPB_MOUNTED, type DeviceObject, type Irp, type IoStackLocation, type NTSTATUS,
  type Vpb,
} from '../io/index.js';
import { FileSystemControl } from './file-system-type.js';
import { dispatchHostCopyControl, isHostCopyControl } from './fs-copy-from-host.js';
import { releaseReference } from './fs-cleanup-close.js';
import { storageSourceOf } from './storage-device.js';
import { statusOfError } from './volume-error.js';
import type { VolumeBackend } from './volume-backend.js';
import { completeIrp, pendUntil } from './volume-dispatch.js';
import { Volume, ccbOf } from './volume-state.js';

export function dispatchFileSystemControl(device: DeviceObject, irp: Irp): NTSTATUS {
  const loc = IoGetCurrentIrpStackLocation(irp);
  const extension = device.extension;
  if (extension instanceof FileSystemControl && loc.minorFunction === IRP_MN_MOUNT_VOLUME) return mount(device, extension, irp, loc);
  if (extension instanceof Volume && !extension.dismounted && loc.minorFunction === IRP_MN_USER_FS_REQUEST) {
    if (loc.parameters.fileSystemControl?.fsControlCode === FSCTL_DISMOUNT_VOLUME) return dismount(device, extension, irp, loc);
    if (isHostCopyControl(loc.parameters.fileSystemControl?.fsControlCode)) return dispatchHostCopyControl(extension, irp, loc);
  }
  return completeIrp(irp, STATUS_INVALID_DEVICE_REQUEST);
}

function mount(controlDevice: DeviceObject, control: FileSystemControl, irp: Irp, loc: IoStackLocation): NTSTATUS {
  const parameters = loc.parameters.mountVolume;
  if (parameters === undefined) return completeIrp(irp, STATUS_INVALID_PARAMETER);
  const { vpb, deviceObject: storageDevice } = parameters;
  const source = storageSourceOf(storageDevice);
  if (source === null || source.kind !== control.type.kind) return completeIrp(irp, STATUS_UNRECOGNIZED_VOLUME);
  let backend;
  try {
    backend = control.type.mount(source, storageDevice);
  } catch (error) {
    return completeIrp(irp, refusal(error));
  }
  if (backend instanceof Promise) {
    return pendUntil(null, irp, backend.then((opened) => createVolume(controlDevice, control, vpb, storageDevice, opened), refusal));
  }
  return completeIrp(irp, createVolume(controlDevice, control, vpb, storageDevice, backend));
}

function refusal(error: unknown): NTSTATUS {
  const status = statusOfError(error);
  if (status === undefined) throw error;
  return status;
}

function createVolume(controlDevice: DeviceObject, control: FileSystemControl, vpb: Vpb, storageDevice: DeviceObject, backend: VolumeBackend): NTSTATUS {
  if ((vpb.flags & VPB_MOUNTED) !== 0) {
    backend.dispose?.();
    return STATUS_UNRECOGNIZED_VOLUME;
  }
  const volume = new Volume(backend, control.type.name, storageDevice, vpb);
  const volumeDevice = IoCreateDevice(controlDevice.driver, {
    deviceType: FILE_DEVICE_DISK_FILE_SYSTEM,
    characteristics: storageDevice.characteristics & FILE_REMOVABLE_MEDIA,
    extension: volume,
  });
  volumeDevice.vpb = vpb;
  vpb.deviceObject = volumeDevice;
  vpb.flags |= VPB_MOUNTED;
  volumeDevice.flags &= ~DO_DEVICE_INITIALIZING;
  return STATUS_SUCCESS;
}

function dismount(volumeDevice: DeviceObject, volume: Volume, irp: Irp, loc: IoStackLocation): NTSTATUS {
  // The handle the dismount was sent on (if it is an open of this volume) does not keep the volume busy.
  const own = ccbOf(volume, loc);
  const ownOpen = own !== null && !own.closed ? 1 : 0;
  if (volume.openFiles > ownOpen || volume.inFlight > 0) return completeIrp(irp, STATUS_FILES_OPEN);
  if (own !== null && !own.closed) {
    // NT would keep the volume device until that handle closes; Strata closes the open now and the storage
    // device answers its later cleanup and close.
    own.cleanedUp = own.closed = true;
    own.fcb.openCount--;
    volume.openFiles--;
    releaseReference(volume, own.fcb);
  }
  const vpb = volume.vpb;
  vpb.flags &= ~VPB_MOUNTED;
  vpb.deviceObject = null;
  volume.dismounted = true;
  volume.backend.dispose?.();
  completeIrp(irp, STATUS_SUCCESS);
  IoDeleteDevice(volumeDevice);
  return STATUS_SUCCESS;
}
