// The shared file-system driver: one driver object per file-system type, its dispatch table, and the
// control device registered with IoRegisterFileSystem so that mounts (and filters watching for file
// systems) find it. Unimplemented major functions stay absent: the I/O manager answers them.

import {
  FILE_DEVICE_DISK_FILE_SYSTEM, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DIRECTORY_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_FLUSH_BUFFERS, IRP_MJ_QUERY_INFORMATION, IRP_MJ_READ,
  IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE, DO_DEVICE_INITIALIZING, IoCreateDevice, IoDeleteDevice,
  IoRegisterFileSystem, IoUnregisterFileSystem, type DeviceObject, type IoManager,
} from '../io/index.js';
import { FileSystemControl, type FileSystemType } from './file-system-type.js';
import { dispatchCleanup, dispatchClose } from './fs-cleanup-close.js';
import { dispatchCreate } from './fs-create.js';
import { dispatchDirectoryControl } from './fs-directory.js';
import { dispatchFileSystemControl } from './fs-mount.js';
import { dispatchQueryInformation } from './fs-query-information.js';
import { dispatchFlush, dispatchRead, dispatchWrite } from './fs-read-write.js';
import { dispatchSetInformation } from './fs-set-information.js';

export interface RegisteredFileSystem {
  readonly controlDevice: DeviceObject<FileSystemControl>;
  /** Unregisters the file system and deletes its control device (mounted volumes stay until dismounted). */
  unregister(): void;
}

const registered = new WeakMap<IoManager, Map<string, RegisteredFileSystem>>();

/** Registers `type` with `io` (once per I/O manager: a second call returns the first registration). */
export function registerFileSystem(io: IoManager, type: FileSystemType): RegisteredFileSystem {
  let byName = registered.get(io);
  if (byName === undefined) registered.set(io, (byName = new Map()));
  const existing = byName.get(type.name);
  if (existing !== undefined) return existing;

  const driver = io.createDriver(`\\FileSystem\\${type.name}`);
  const dispatch = driver.majorFunction;
  dispatch[IRP_MJ_CREATE] = dispatchCreate;
  dispatch[IRP_MJ_CLEANUP] = dispatchCleanup;
  dispatch[IRP_MJ_CLOSE] = dispatchClose;
  dispatch[IRP_MJ_READ] = dispatchRead;
  dispatch[IRP_MJ_WRITE] = dispatchWrite;
  dispatch[IRP_MJ_FLUSH_BUFFERS] = dispatchFlush;
  dispatch[IRP_MJ_QUERY_INFORMATION] = dispatchQueryInformation;
  dispatch[IRP_MJ_SET_INFORMATION] = dispatchSetInformation;
  dispatch[IRP_MJ_DIRECTORY_CONTROL] = dispatchDirectoryControl;
  dispatch[IRP_MJ_FILE_SYSTEM_CONTROL] = dispatchFileSystemControl;

  const controlDevice = IoCreateDevice(driver, {
    name: `\\FileSystem\\${type.name}`,
    deviceType: FILE_DEVICE_DISK_FILE_SYSTEM,
    extension: new FileSystemControl(type),
  });
  controlDevice.flags &= ~DO_DEVICE_INITIALIZING;
  IoRegisterFileSystem(controlDevice);

  const registration: RegisteredFileSystem = {
    controlDevice,
    unregister() {
      if (byName.get(type.name) !== registration) return;
      byName.delete(type.name);
      IoUnregisterFileSystem(controlDevice);
      IoDeleteDevice(controlDevice);
    },
  };
  byName.set(type.name, registration);
  return registration;
}
