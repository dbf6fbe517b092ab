// The crypt minifilter: folders encrypted at rest in the age v1 format, plaintext only through Strata.
// Registration table: create (name rules, stream contexts), read/write/set-information (served from the
// stream), query-information and directory listings (plaintext sizes), cleanup (save as a new age file).
// Altitude 141000, in the Encryption band: see README.md for why.

import type { FilterManager, FltFilter, FltInstance } from '../../main/fltmgr/index.js';
import {
  IRP_MJ_CLEANUP, IRP_MJ_CREATE, IRP_MJ_DIRECTORY_CONTROL, IRP_MJ_QUERY_INFORMATION, IRP_MJ_READ,
  IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE, STATUS_SUCCESS,
} from '../../main/io/index.js';
import type { Sodium } from '../../main/age/index.js';
import { postCleanup, preCleanup } from './cleanup-callbacks.js';
import { postCreate, preCreate } from './create-callbacks.js';
import type { CryptoPool } from './crypto-pool.js';
import type { CryptStream } from './crypt-stream.js';
import { CryptVolume } from './crypt-volume.js';
import { preRead, preSetInformation, preWrite } from './data-callbacks.js';
import { postDirectoryControl, postQueryInformation } from './info-callbacks.js';
import type { KeyRing } from './key-ring.js';
import type { TempSweep } from './temp-sweep.js';

export const CRYPT_ALTITUDE = '141000';
export const CRYPT_FILTER_NAME = 'StrataCrypt';
/** How long an operation waits for the vault to be unlocked before failing with STATUS_FILE_ENCRYPTED. */
export const DEFAULT_LOCKED_WAIT_MS = 30_000;

export interface CryptFilterOptions {
  sodium: Sodium;
  keyRing: KeyRing;
  pool: CryptoPool;
  lockedWaitMs?: number;
  altitude?: string;
  /**
   * Told, once per volume the filter attaches to, what the sweep of leftover temporary files (those of
   * saves a crashed process never finished) removed, kept and could not remove.
   */
  onTempSweep?: (sweep: TempSweep, volumeName: string) => void;
}

export interface CryptFilter {
  readonly filter: FltFilter;
  /** The filter's state on a volume it is attached to. */
  volumeOf(instance: FltInstance): CryptVolume | undefined;
  readonly volumes: ReadonlyMap<FltInstance, CryptVolume>;
  /** Resolves once the background work begun at attach (the sweeps of leftover temporary files) is over. */
  idle(): Promise<void>;
  /**
   * Stops that background work and resolves once none of its I/O is under way: call it before
   * unregistering, so that no request of the filter's own is still out when the volume goes.
   */
  quiesce(): Promise<void>;
}

/** Registers the crypt filter and starts filtering (call before the folder's volume mounts). */
export function registerCryptFilter(manager: FilterManager, options: CryptFilterOptions): CryptFilter {
  const volumes = new Map<FltInstance, CryptVolume>();
  const sweeps = new Set<Promise<TempSweep>>();
  const volumeOf = (instance: FltInstance): CryptVolume => {
    const volume = volumes.get(instance);
    if (volume === undefined) throw new Error('crypt filter: callback on an instance it did not set up');
    return volume;
  };
  const filter: FltFilter = manager.registerFilter({
    name: CRYPT_FILTER_NAME,
    altitude: options.altitude ?? CRYPT_ALTITUDE,
    operations: {
      [IRP_MJ_CREATE]: { pre: (data, objects) => preCreate(volumeOf(objects.instance), data), post: (data, objects, requested, flags) => postCreate(filter, volumeOf(objects.instance), data, requested, flags) },
      [IRP_MJ_READ]: { pre: (data, objects) => preRead(volumeOf(objects.instance), data) },
      [IRP_MJ_WRITE]: { pre: (data, objects) => preWrite(volumeOf(objects.instance), data) },
      [IRP_MJ_SET_INFORMATION]: { pre: (data, objects) => preSetInformation(volumeOf(objects.instance), data) },
      [IRP_MJ_QUERY_INFORMATION]: { post: (data, objects, _c, flags) => postQueryInformation(volumeOf(objects.instance), data, flags) },
      [IRP_MJ_DIRECTORY_CONTROL]: { post: (data, objects, _c, flags) => postDirectoryControl(volumeOf(objects.instance), data, flags) },
      [IRP_MJ_CLEANUP]: {
        pre: (data, objects) => preCleanup(volumeOf(objects.instance), data),
        post: (data, objects, context, flags) => postCleanup(volumeOf(objects.instance), data, context, flags),
      },
    },
    instanceSetup: ({ instance, volume: fltVolume }) => {
      const volume = new CryptVolume(manager, instance, options.sodium, options.keyRing, options.pool, options.lockedWaitMs ?? DEFAULT_LOCKED_WAIT_MS);
      volumes.set(instance, volume);
      sweeps.add(volume.tempSweep);
      void volume.tempSweep.then((sweep) => {
        sweeps.delete(volume.tempSweep);
        options.onTempSweep?.(sweep, fltVolume.name);
      });
      return STATUS_SUCCESS;
    },
    instanceTeardownStart: ({ instance }) => {
      volumes.get(instance)?.stopBackgroundWork();
    },
    instanceTeardownComplete: ({ instance }) => {
      volumes.get(instance)?.dispose();
      volumes.delete(instance);
    },
    contextCleanup: (value, kind) => {
      if (kind !== 'stream') return;
      for (const volume of volumes.values()) if (volume.streams.has(value as CryptStream)) volume.forget(value as CryptStream);
    },
  });
  filter.startFiltering();
  return {
    filter, volumes, volumeOf: (instance) => volumes.get(instance),
    idle: async () => void (await Promise.all(sweeps)),
    quiesce: async () => {
      for (const volume of volumes.values()) volume.stopTempSweep();
      await Promise.all(sweeps);
    },
  };
}
