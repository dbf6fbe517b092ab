// The HSM filter's state on one volume (one protected folder): its policy and tables, its tiers, the
// stub key, the filter's own I/O below the instance, the create gate, the streams it tracks, the host
// directories the volume was told to take kernel copies from, and the background work (object
// clean-up) that tests and the CLI wait for before closing.

import type { Database } from 'better-sqlite3';
import { FltCancelSafeQueue, type FilterManager, type FltInstance } from '../../../main/fltmgr/index.js';
import type { FileObject } from '../../../main/io/index.js';
import type { HsmFolder } from '../catalog/folder-policy.js';
import type { ContentGate } from '../policy/eligibility.js';
import type { HostNameDecoder } from '../policy/host-spelling.js';
import { Journal } from '../catalog/journal.js';
import { Pins } from '../catalog/pins.js';
import { StubCatalog } from '../catalog/stub-catalog.js';
import type { TierRegistry } from '../tier/tier-config.js';
import type { Tier } from '../tier/tier.js';
import { BelowIo, type OpenFile } from './below-io.js';
import { CreateGate } from './create-gate.js';
import type { HsmEvent, HsmEventSink } from './hsm-events.js';
import type { StubStream } from '../filter/stub-stream.js';

export interface HsmVolumeSettings {
  readonly db: Database;
  readonly stubKey: Uint8Array;
  readonly tiers: TierRegistry;
  readonly folder: HsmFolder;
  readonly events: HsmEventSink;
  /** false: recalls never ask the volume for a kernel copy, they stream (default: ask where the tier allows). */
  readonly hostCopies?: boolean;
  /** Content that must not go to the tier yet (see ContentGate); absent: any content may. */
  readonly contentGate?: ContentGate;
  /** The volume's names as the host spells them, for the policy's globs (see HostNameDecoder); absent: as listed. */
  readonly hostNameOf?: HostNameDecoder;
}

export class HsmVolume {
  readonly io: BelowIo;
  readonly catalog: StubCatalog;
  readonly pins: Pins;
  readonly journal: Journal;
  readonly gate: CreateGate;
  /** No-recall reads waiting for the tier, cancel-safely. */
  readonly tierReads: FltCancelSafeQueue;
  /** The stub streams open on this volume (their contexts), for teardown. */
  readonly streams = new Set<StubStream>();
  /** Opens made with FILE_OPEN_NO_RECALL. */
  readonly noRecallOpens = new WeakSet<FileObject>();
  /** Recovery of the journal left by an earlier run; creates wait for it. */
  ready: Promise<void> = Promise.resolve();
  private readonly background = new Set<Promise<unknown>>();
  private readonly copySources = new Map<string, Promise<boolean>>();

  constructor(readonly manager: FilterManager, readonly instance: FltInstance, readonly settings: HsmVolumeSettings) {
    this.io = new BelowIo(manager, instance);
    this.catalog = new StubCatalog(settings.db, settings.folder.id);
    this.pins = new Pins(settings.db, settings.folder.id);
    this.journal = new Journal(settings.db, settings.folder.id);
    this.gate = new CreateGate(manager);
    this.tierReads = new FltCancelSafeQueue(manager);
  }

  get folder(): HsmFolder {
    return this.settings.folder;
  }

  get db(): Database {
    return this.settings.db;
  }

  get stubKey(): Uint8Array {
    return this.settings.stubKey;
  }

  tier(name: string): Tier {
    return this.settings.tiers.get(name);
  }

  emit(event: HsmEvent): void {
    this.settings.events(event);
  }

  /**
   * Whether the volume takes kernel copies from host files below `directory` (a local tier's objects):
   * told once per directory (FSCTL_STRATA_TRUST_COPY_SOURCE, on `file`), remembered. A refusal other than
   * "cannot" is not remembered: the recall streams this time and asks again next time.
   */
  async trustsCopiesFrom(directory: string, file: OpenFile): Promise<boolean> {
    let answer = this.copySources.get(directory);
    if (answer === undefined) {
      answer = this.io.trustCopySource(file, directory);
      this.copySources.set(directory, answer);
    }
    try {
      return await answer;
    } catch {
      if (this.copySources.get(directory) === answer) this.copySources.delete(directory);
      return false;
    }
  }

  /** Runs `work` in the background; its failure becomes a warning, never an unhandled rejection. */
  track(path: string, work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.emit({ kind: 'warning', path, message: (error as Error).message ?? String(error) }));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** Deletes a tier object, in the background, once nothing (no stub of any folder, no journal entry) uses it. */
  releaseObjectIfUnused(path: string, tierName: string, objectId: string): void {
    if (this.catalog.references(tierName, objectId) > 0) return;
    this.track(path, this.tier(tierName).delete(objectId));
  }

  /**
   * The same, awaited, for a journaled step that ends with it: the entry is finished only afterwards,
   * so a crash in between is finished by recovery instead of leaving an orphan object. A tier that
   * cannot be reached leaves the object for fsck (with a warning); the step still finishes.
   */
  async deleteObjectIfUnused(path: string, tierName: string, objectId: string, journalId: number): Promise<void> {
    if (this.catalog.references(tierName, objectId, journalId) > 0) return;
    try {
      await this.tier(tierName).delete(objectId);
    } catch (error) {
      this.emit({ kind: 'warning', path, message: `the unused tier copy ${objectId} stays in tier '${tierName}' (${(error as Error).message}); fsck --repair removes it` });
    }
  }

  /** Resolves when recovery and every background task have finished. */
  async idle(): Promise<void> {
    await this.ready;
    while (this.background.size > 0) await Promise.all([...this.background]);
  }
}
