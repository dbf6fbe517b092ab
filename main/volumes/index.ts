// Volume drivers ("file systems") for Strata: storage devices, the in-memory and local-directory file
// systems, and the pieces a further backend (a remote one) plugs into.

import type { IoManager } from '../io/index.js';
import type { RegisteredFileSystem } from './file-system-driver.js';
import { registerLocalFileSystem } from './local/local-file-system.js';
import { registerMemoryFileSystem } from './memory/memory-file-system.js';

export {
  createStorageDevice, removeStorageDevice, storageSourceOf, type StorageDeviceOptions, type VolumeSource,
} from './storage-device.js';
export { registerFileSystem, type RegisteredFileSystem } from './file-system-driver.js';
export type { FileSystemType } from './file-system-type.js';
export { registerMemoryFileSystem, memoryFileSystem } from './memory/memory-file-system.js';
export { registerLocalFileSystem, localFileSystem } from './local/local-file-system.js';
export type { EntryInfo, VolumeBackend } from './volume-backend.js';
export type { MaybeAsync } from './sync-or-async.js';
export { VolumeError } from './volume-error.js';
export { Volume, VolumeFcb, VolumeCcb } from './volume-state.js';
export { parseVolumePath, volumePathName, type VolumePath } from './volume-path.js';
export { hostNameOf, hostRelativeOf, volumeComponentOf } from './host-names.js';
export { compileWildcard } from './wildcard.js';
export { kindOf as hostEntryKindOf } from './local/special-files.js';
export { statusOfOsError } from './os-error-status.js';

/** Registers both Strata file systems with `io` (idempotent). */
export function registerVolumeFileSystems(io: IoManager): { memory: RegisteredFileSystem; local: RegisteredFileSystem } {
  return { memory: registerMemoryFileSystem(io), local: registerLocalFileSystem(io) };
}
