// What distinguishes one Strata file system from another: its name, the medium it recognises and how
// it opens a backend on that medium at mount time. Everything else is the shared driver.

import type { DeviceObject } from '../io/index.js';
import type { VolumeSource } from './storage-device.js';
import type { MaybeAsync } from './sync-or-async.js';
import type { VolumeBackend } from './volume-backend.js';

export interface FileSystemType {
  /** Driver and control-device name below \FileSystem, e.g. 'StrataMemory'. */
  readonly name: string;
  /** The medium kind it mounts; any other storage device gets STATUS_UNRECOGNIZED_VOLUME. */
  readonly kind: VolumeSource['kind'];
  /** A backend for the medium; throws (or rejects) a VolumeError to refuse the mount with its status. */
  mount(source: VolumeSource, storageDevice: DeviceObject): MaybeAsync<VolumeBackend>;
}

/** The extension of a file system's control device. */
export class FileSystemControl {
  constructor(readonly type: FileSystemType) {}
}
