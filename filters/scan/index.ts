// The antivirus minifilter (filters/scan): its registration table and the handle the agent, the CLI
// and the tests use. Writes are scanned as they stream, opens of existing files per policy, removable
// media when they are mounted; infected data is refused with STATUS_VIRUS_INFECTED, quarantined per
// policy, and rolled back so that nothing of it stays on disk. See README.md.

import {
  IRP_MJ_CLEANUP, IRP_MJ_CREATE, IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE, STATUS_SUCCESS,
} from '../../main/io/index.js';
import { FLT_SET_CONTEXT_KEEP_IF_EXISTS, type FilterManager, type FltFilter, type FltInstance } from '../../main/fltmgr/index.js';
import { builtinEngine, type ScanEngine } from './engine/scan-engine.js';
import { cleanupCallbacks } from './filter/cleanup-callbacks.js';
import { createCallbacks } from './filter/create-callbacks.js';
import { afterRecovery, type ScanFilterContext } from './filter/filter-context.js';
import { recoverJournals } from './filter/journal-recovery.js';
import type { InfectionSink, ScanEvent } from './filter/scan-events.js';
import { DEFAULT_SCAN_POLICY, type ScanPolicy } from './filter/scan-policy.js';
import { defaultStagingDir, ensurePrivateStagingDir } from './filter/staging-dir.js';
import { ScanStreamState } from './filter/stream-state.js';
import { VerdictCache } from './filter/verdict-cache.js';
import { scanVolumeFiles, type VolumeScanOptions, type VolumeScanResult } from './filter/volume-scan.js';
import { setInformationCallbacks, writeCallbacks } from './filter/write-callbacks.js';

/** In the Anti-Virus band (320000-329999): above HSM and encryption, so it sees plaintext at logical sizes. */
export const SCAN_ALTITUDE = '325000';
export const SCAN_FILTER_NAME = 'StrataScan';

export interface ScanFilterOptions {
  /** The signatures (default: the built-in ones only). */
  readonly engine?: ScanEngine;
  readonly policy?: Partial<ScanPolicy>;
  /** Where infected content goes before it is removed (the quarantine store). */
  readonly sink?: InfectionSink | null;
  readonly onEvent?: (event: ScanEvent) => void;
  /**
   * Detections the user allowed (volume, volume-relative path, signature): an existing file found
   * infected with an allowed signature is treated as clean when it is opened or scanned. Writes are
   * still scanned: new content is never allowed in advance.
   */
  readonly isAllowed?: (volume: string, path: string, signature: string) => boolean;
  /** Called with the result of the scan run when a removable volume is mounted. */
  readonly onMediaScanned?: (result: VolumeScanResult) => void;
  /**
   * Folder for the undo journals of files being overwritten: they hold the files' original content
   * (plaintext in an encrypted folder), so it must be private — created 0700 if missing, refused
   * (StagingDirError) if it is someone else's or open to others. The agent gives `<data dir>/scan-undo`;
   * default (tests, benchmarks): `$TMPDIR/strata-scan-staging-<uid>`.
   */
  readonly stagingDir?: string;
  /**
   * Names a volume the same way in every run (the agent: by its folder's id), so that an undo journal a
   * dead run left is recovered when that volume is attached again. Default: the volume's NT name.
   */
  readonly volumeKey?: (volumeName: string) => string;
  readonly altitude?: string;
  readonly name?: string;
}

export interface ScanFilter {
  readonly filter: FltFilter;
  readonly engine: ScanEngine;
  /** The policy in force; setPolicy changes it for the operations that follow. */
  readonly policy: ScanPolicy;
  setPolicy(policy: Partial<ScanPolicy>): void;
  /** Scans every file of a volume the filter is attached to ("\Device\StrataFolder1"). */
  scanVolume(volumeName: string, options?: VolumeScanOptions): Promise<VolumeScanResult>;
  /** Media scans started at mount and still running. */
  readonly pendingMediaScans: Promise<unknown>[];
  unregister(): Promise<void>;
}

/**
 * Registers the scan filter with `manager` and starts filtering (it attaches to every volume, mounted now
 * or later; at each attach, undo journals a dead run left for that volume are recovered first).
 * Throws StagingDirError when the staging folder is not private.
 */
export function registerScanFilter(manager: FilterManager, options: ScanFilterOptions = {}): ScanFilter {
  const engine = options.engine ?? builtinEngine();
  const stagingDir = options.stagingDir ?? defaultStagingDir();
  ensurePrivateStagingDir(stagingDir);
  const context: ScanFilterContext = {
    manager,
    engine,
    policy: { ...DEFAULT_SCAN_POLICY, ...options.policy },
    sink: options.sink ?? null,
    emit: options.onEvent ?? (() => {}),
    isAllowed: options.isAllowed ?? (() => false),
    stagingDir,
    volumeKey: options.volumeKey ?? ((volumeName) => volumeName),
    recoveries: new Map(),
    filter: null,
  };
  const pendingMediaScans: Promise<unknown>[] = [];
  const scanMedium = (instance: FltInstance): void => {
    // Not inside InstanceSetup: it runs in the mount's completion, before the volume is usable.
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => afterRecovery(context, instance))
      .then(() => scanVolumeFiles(context, instance, { origin: 'media' }))
      .then((result) => options.onMediaScanned?.(result), () => {})
      .finally(() => pendingMediaScans.splice(pendingMediaScans.indexOf(run), 1));
    pendingMediaScans.push(run);
  };
  const recover = (instance: FltInstance): void => {
    // Like the media scan, after InstanceSetup; opens of the volume wait for it (create-callbacks.ts).
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => recoverJournals(context, instance))
      .catch((error: unknown) => process.emitWarning(error instanceof Error ? error : new Error(String(error)), { code: 'STRATA_SCAN_FILTER' }))
      .finally(() => context.recoveries.delete(instance));
    context.recoveries.set(instance, run);
  };
  const filter = manager.registerFilter({
    name: options.name ?? SCAN_FILTER_NAME,
    altitude: options.altitude ?? SCAN_ALTITUDE,
    operations: {
      [IRP_MJ_CREATE]: createCallbacks(context),
      [IRP_MJ_WRITE]: writeCallbacks(context),
      [IRP_MJ_SET_INFORMATION]: setInformationCallbacks(context),
      [IRP_MJ_CLEANUP]: cleanupCallbacks(context),
    },
    instanceSetup({ instance, volume }) {
      const cache = context.filter!.allocateContext('instance', new VerdictCache());
      instance.setInstanceContext(FLT_SET_CONTEXT_KEEP_IF_EXISTS, cache);
      cache.release();
      recover(instance);
      if (volume.removable && context.policy.scanRemovableOnMount) scanMedium(instance);
      return STATUS_SUCCESS;
    },
    contextCleanup(value, kind) {
      if (kind === 'stream' && value instanceof ScanStreamState) void value.journal?.discard();
    },
  });
  context.filter = filter;
  filter.startFiltering();
  return {
    filter,
    engine,
    get policy() {
      return context.policy;
    },
    setPolicy(policy) {
      context.policy = { ...context.policy, ...policy };
    },
    async scanVolume(volumeName, scanOptions) {
      const instance = [...filter.instances].find((candidate) => candidate.volume.name.toLowerCase() === volumeName.toLowerCase());
      if (instance === undefined) throw new Error(`the scan filter is not attached to ${volumeName}`);
      await afterRecovery(context, instance);
      return scanVolumeFiles(context, instance, { origin: 'open', ...scanOptions });
    },
    pendingMediaScans,
    async unregister() {
      await Promise.allSettled(context.recoveries.values());
      await filter.unregister();
    },
  };
}

export { ScanEngine, builtinEngine } from './engine/scan-engine.js';
export { QuarantineStore, QuarantineError, type QuarantineEntry } from './quarantine/quarantine-store.js';
export { quarantineSink } from './quarantine/quarantine-sink.js';
export { scanPaths, type PathScanReport, type FileOutcome } from './ondemand/path-scan.js';
export { SignatureLibrary } from './storage/signature-library.js';
export { SignatureError } from './signatures/signature-error.js';
export { StagingDirError } from './filter/staging-dir.js';
export type { InfectionSink, InfectedContent, ScanEvent } from './filter/scan-events.js';
export type { ScanPolicy, ScanAction } from './filter/scan-policy.js';
export type { VolumeScanResult, VolumeScanOptions } from './filter/volume-scan.js';
