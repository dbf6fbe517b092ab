// A filter-manager test rig: an I/O manager with the verifier on, the filter manager, the volume file
// systems and one in-memory volume, plus helpers to write and read files through the upper edge.

import assert from 'node:assert/strict';
import { FILE_OPEN_IF, IoManager, NtFileApi, STATUS_SUCCESS, type FileHandle } from '../../main/io/index.js';
import { FilterManager, type FltVolume } from '../../main/fltmgr/index.js';
import { createStorageDevice, registerVolumeFileSystems } from '../../main/volumes/index.js';

export const VOLUME = '\\Device\\FltTestVolume';

export interface Rig {
  io: IoManager;
  manager: FilterManager;
  api: NtFileApi;
}

export function makeRig(): Rig {
  const io = new IoManager({ verifier: true });
  const manager = new FilterManager(io);
  registerVolumeFileSystems(io);
  createStorageDevice(io, { name: VOLUME, source: { kind: 'memory' } });
  return { io, manager, api: new NtFileApi(io) };
}

export async function open(rig: Rig, name: string): Promise<FileHandle> {
  const result = await rig.api.createFile(`${VOLUME}\\${name}`, { disposition: FILE_OPEN_IF });
  assert.equal(result.status, STATUS_SUCCESS, `open ${name}`);
  return result.handle!;
}

export async function writeFile(rig: Rig, name: string, text: string): Promise<void> {
  const handle = await open(rig, name);
  const written = await rig.api.write(handle, new TextEncoder().encode(text), 0);
  assert.equal(written.status, STATUS_SUCCESS);
  assert.equal((await rig.api.close(handle)).status, STATUS_SUCCESS);
}

export function volumeOf(rig: Rig): FltVolume {
  const volume = rig.manager.getVolume(VOLUME);
  assert.ok(volume, 'the volume is mounted and the filter manager attached to it');
  return volume;
}

export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Lets queued promise callbacks run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
