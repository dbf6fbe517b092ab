// The local-directory file system: mounts storage devices whose source is { kind: 'local', root }.
// The mount succeeds only when the root exists and is a directory.

import { realpath, stat } from 'node:fs/promises';
import { STATUS_NO_MEDIA_IN_DEVICE, STATUS_UNRECOGNIZED_VOLUME, type IoManager } from '../../io/index.js';
import type { FileSystemType } from '../file-system-type.js';
import { registerFileSystem, type RegisteredFileSystem } from '../file-system-driver.js';
import type { VolumeSource } from '../storage-device.js';
import { VolumeError } from '../volume-error.js';
import { LocalBackend } from './local-backend.js';

export const localFileSystem: FileSystemType = {
  name: 'StrataLocal',
  kind: 'local',
  mount: (source) => openRoot((source as Extract<VolumeSource, { kind: 'local' }>).root),
};

async function openRoot(root: string): Promise<LocalBackend> {
  let stats;
  try {
    stats = await stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new VolumeError(STATUS_NO_MEDIA_IN_DEVICE, `local volume root '${root}' does not exist`);
    throw error;
  }
  if (!stats.isDirectory()) throw new VolumeError(STATUS_UNRECOGNIZED_VOLUME, `local volume root '${root}' is not a directory`);
  return new LocalBackend(await realpath(root));
}

export function registerLocalFileSystem(io: IoManager): RegisteredFileSystem {
  return registerFileSystem(io, localFileSystem);
}
