// The HSM minifilter: its registration table and its instances. Cold files of a protected folder move
// to a tier and leave an authenticated stub; through the filter a stub looks like its file (size,
// times, FILE_ATTRIBUTE_OFFLINE) and is recalled when its data is needed. Altitude 135000 — below the
// Encryption band — so that in an encrypted folder the HSM only ever handles ciphertext (README.md).

import type { Database } from 'better-sqlite3';
import {
  IRP_MJ_CLEANUP, IRP_MJ_CREATE, IRP_MJ_DIRECTORY_CONTROL, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_QUERY_INFORMATION,
  IRP_MJ_READ, IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE, STATUS_CANCELLED, STATUS_FLT_DO_NOT_ATTACH, STATUS_SUCCESS,
} from '../../main/io/index.js';
import type { FilterManager, FltFilter, FltInstance } from '../../main/fltmgr/index.js';
import type { HsmFolder } from './catalog/folder-policy.js';
import { recoverJournal } from './engine/recover-journal.js';
import { cleanupCallbacks } from './filter/on-cleanup.js';
import { createCallbacks } from './filter/on-create.js';
import { fsControlCallbacks } from './filter/on-fs-control.js';
import { directoryCallbacks, queryInformationCallbacks } from './filter/on-information.js';
import { readCallbacks, writeCallbacks } from './filter/on-read-write.js';
import { setInformationCallbacks } from './filter/on-set-information.js';
import type { HsmHost } from './filter/hsm-host.js';
import type { StubStream } from './filter/stub-stream.js';
import type { ContentGate } from './policy/eligibility.js';
import type { HostNameDecoder } from './policy/host-spelling.js';
import { TierRegistry } from './tier/tier-config.js';
import type { HsmEventSink } from './volume/hsm-events.js';
import { HsmVolume } from './volume/hsm-volume.js';

/** In the FSFilter Physical Quota Management band (130000-139999), just below Encryption (140000-149999). */
export const HSM_ALTITUDE = '135000';
export const HSM_FILTER_NAME = 'StrataHsm';

export interface HsmFilterOptions {
  readonly db: Database;
  readonly stubKey: Uint8Array;
  readonly events?: HsmEventSink;
  readonly altitude?: string;
  /** false: recalls stream every byte through the stack instead of asking the volume for a kernel copy. */
  readonly hostCopies?: boolean;
  /** Content that must not go to the tier yet: migration skips such files, saying why (see ContentGate). */
  readonly contentGate?: ContentGate;
  /**
   * The host's spelling of a name the volume lists (the local volume's hostNameOf): include and exclude globs
   * are matched against it, as users write them. Absent: globs see the names as the volume lists them.
   */
  readonly hostNameOf?: HostNameDecoder;
}

export class HsmFilter {
  readonly filter: FltFilter;
  private readonly folders = new Map<string, HsmFolder>();
  private readonly volumes = new Map<FltInstance, HsmVolume>();
  private readonly tiers: TierRegistry;

  constructor(readonly manager: FilterManager, private readonly options: HsmFilterOptions) {
    this.tiers = new TierRegistry(options.db);
    const host: HsmHost = {
      volumeOf: (instance) => this.volumes.get(instance),
      allocateStreamContext: (volume, stream) => {
        volume.streams.add(stream);
        return this.filter.allocateContext('stream', stream);
      },
    };
    this.filter = manager.registerFilter({
      name: HSM_FILTER_NAME,
      altitude: options.altitude ?? HSM_ALTITUDE,
      operations: {
        [IRP_MJ_CREATE]: createCallbacks(host),
        [IRP_MJ_READ]: readCallbacks(host),
        [IRP_MJ_WRITE]: writeCallbacks(host),
        [IRP_MJ_QUERY_INFORMATION]: queryInformationCallbacks(),
        [IRP_MJ_SET_INFORMATION]: setInformationCallbacks(host),
        [IRP_MJ_DIRECTORY_CONTROL]: directoryCallbacks(host),
        [IRP_MJ_FILE_SYSTEM_CONTROL]: fsControlCallbacks(host),
        [IRP_MJ_CLEANUP]: cleanupCallbacks(host),
      },
      instanceSetup: ({ instance, volume }) => {
        const folder = this.folders.get(volume.name.toLowerCase());
        if (folder === undefined) return STATUS_FLT_DO_NOT_ATTACH;
        this.volumes.set(instance, this.startVolume(instance, folder));
        return STATUS_SUCCESS;
      },
      instanceTeardownStart: ({ instance }) => {
        const volume = this.volumes.get(instance);
        volume?.gate.drain();
        volume?.tierReads.disableAndDrain(STATUS_CANCELLED);
        for (const stream of volume?.streams ?? []) {
          stream.recallAbort?.abort();
          stream.waiting.disableAndDrain(STATUS_CANCELLED);
        }
      },
      instanceTeardownComplete: ({ instance }) => {
        this.volumes.delete(instance);
      },
      contextCleanup: (value) => {
        for (const volume of this.volumes.values()) volume.streams.delete(value as StubStream);
      },
    });
    this.filter.startFiltering();
  }

  /** Attaches the HSM, with `folder`'s policy, to the volume named `volumeName` when it mounts. */
  assign(volumeName: string, folder: HsmFolder): void {
    this.folders.set(volumeName.toLowerCase(), folder);
  }

  /** The HSM state on a mounted volume, for migrations, fsck and status. */
  volumeFor(volumeName: string): HsmVolume | undefined {
    const instance = [...this.volumes.keys()].find((candidate) => candidate.volume.name.toLowerCase() === volumeName.toLowerCase());
    return instance === undefined ? undefined : this.volumes.get(instance);
  }

  /** Resolves once every volume's recovery and background work is done. */
  async idle(): Promise<void> {
    await Promise.all([...this.volumes.values()].map((volume) => volume.idle()));
  }

  private startVolume(instance: FltInstance, folder: HsmFolder): HsmVolume {
    const volume = new HsmVolume(this.manager, instance, {
      db: this.options.db,
      stubKey: this.options.stubKey,
      tiers: this.tiers,
      folder,
      events: this.options.events ?? (() => {}),
      hostCopies: this.options.hostCopies,
      contentGate: this.options.contentGate,
      hostNameOf: this.options.hostNameOf,
    });
    // Opens wait while the journal of an earlier run is recovered; the recovery's own I/O enters below.
    if (volume.journal.pending().length > 0) {
      volume.gate.closeAll();
      volume.ready = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => recoverJournal(volume))
        .then(
          () => undefined,
          (error: unknown) => volume.emit({ kind: 'warning', path: '\\', message: `journal recovery failed: ${(error as Error).message}; it is retried at the next start` }),
        )
        .finally(() => volume.gate.openAll());
    }
    return volume;
  }
}

export function registerHsmFilter(manager: FilterManager, options: HsmFilterOptions): HsmFilter {
  return new HsmFilter(manager, options);
}

export { FSCTL_STRATA_HSM_RECALL } from './filter/on-fs-control.js';
export type { HsmVolume } from './volume/hsm-volume.js';
export type { HsmEvent, HsmEventSink } from './volume/hsm-events.js';
export type { ContentGate } from './policy/eligibility.js';
export type { HostNameDecoder } from './policy/host-spelling.js';
