// Volume factories for the conformance suite: each builds a fresh verifier-on I/O manager with the
// Strata file systems registered and one storage device, and returns the upper-edge API plus the NT
// path of the volume. `setup` runs before the first mount (for example, to register minifilters that
// attach when the volume mounts), so the same suite can run with filters stacked above the volume.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IoManager, NtFileApi, type DeviceObject } from '../../main/io/index.js';
import { createStorageDevice, registerVolumeFileSystems, type VolumeSource } from '../../main/volumes/index.js';

export interface VolumeUnderTest {
  io: IoManager;
  api: NtFileApi;
  /** The volume's NT path, e.g. '\Device\StrataVolume1'; files are volumePath + '\dir\file'. */
  volumePath: string;
  storage: DeviceObject<VolumeSource>;
  /** The host folder behind a local volume; undefined for a memory volume. */
  hostRoot?: string;
  teardown(): Promise<void>;
}

export type VolumeFactory = () => Promise<VolumeUnderTest>;

/** Runs after the file systems are registered and the storage device exists, before anything mounts. */
export type VolumeSetup = (io: IoManager, storage: DeviceObject<VolumeSource>) => void | Promise<void>;

const VOLUME_PATH = '\\Device\\StrataVolume1';

export function memoryVolumeFactory(setup?: VolumeSetup): VolumeFactory {
  return async () => {
    const { io, storage } = newVolume({ kind: 'memory' });
    await setup?.(io, storage);
    return { io, api: new NtFileApi(io), volumePath: VOLUME_PATH, storage, teardown: async () => {} };
  };
}

/** `hostParent`: where the temp folder holding the root is made (another file system than tmpdir's, say). */
export function localVolumeFactory(setup?: VolumeSetup, hostParent = tmpdir()): VolumeFactory {
  return async () => {
    const temp = await mkdtemp(join(hostParent, 'strata-volume-'));
    const hostRoot = join(temp, 'root');
    await mkdir(hostRoot);
    const { io, storage } = newVolume({ kind: 'local', root: hostRoot });
    await setup?.(io, storage);
    return {
      io,
      api: new NtFileApi(io),
      volumePath: VOLUME_PATH,
      storage,
      hostRoot,
      teardown: () => rm(temp, { recursive: true, force: true }),
    };
  };
}

function newVolume(source: VolumeSource): { io: IoManager; storage: DeviceObject<VolumeSource> } {
  const io = new IoManager({ verifier: true });
  registerVolumeFileSystems(io);
  return { io, storage: createStorageDevice(io, { name: VOLUME_PATH, source }) };
}
