// The in-memory file system: mounts storage devices whose source is { kind: 'memory' }. The directory
// tree is kept per storage device, so it outlives dismounts (like the contents of a disk).

import type { DeviceObject, IoManager } from '../../io/index.js';
import type { FileSystemType } from '../file-system-type.js';
import { registerFileSystem, type RegisteredFileSystem } from '../file-system-driver.js';
import { MemoryBackend } from './memory-backend.js';
import { MemoryNode } from './memory-node.js';

const media = new WeakMap<DeviceObject, MemoryNode>();

export const memoryFileSystem: FileSystemType = {
  name: 'StrataMemory',
  kind: 'memory',
  mount(_source, storageDevice) {
    let root = media.get(storageDevice);
    if (root === undefined) media.set(storageDevice, (root = new MemoryNode('', true)));
    return new MemoryBackend(root);
  },
};

export function registerMemoryFileSystem(io: IoManager): RegisteredFileSystem {
  return registerFileSystem(io, memoryFileSystem);
}
