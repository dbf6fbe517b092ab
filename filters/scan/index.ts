// The antivirus minifilter (filters/scan): its registration table and the handle the agent, the CLI
// and the tests use. Writes are scanned as they stream, opens of existing files per policy, removable
// media when they are mounted; infected data is refused with STATUS_VIRUS_INFECTED, quarantined per
// policy, and rolled back so that nothing of it stays on disk. See README.md.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IRP_MJ_CLEANUP, IRP_MJ_CREATE, IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE, STATUS_SUCCESS,
} from '../../main/io/index.js';
import { FLT_SET_CONTEXT_KEEP_IF_EXISTS, type FilterManager, type FltFilter, type FltInstance } from '../../main/fltmgr/index.js';
import { builtinEngine, type ScanEngine } from './engine/scan-engine.js';
import { cleanupCallbacks } from './filter/cleanup-callbacks.js';
import { createCallbacks } from './filter/create-callbacks.js';
import type { ScanFilterContext } from './filter/filter-context.js';
import type { InfectionSink, ScanEvent } from './filter/scan-events.js';
import { DEFAULT_SCAN_POLICY, type ScanPolicy } from './filter/scan-policy.js';
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
  /** Folder for the undo journals of files being overwritten (default: the OS temp folder). */
  readonly stagingDir?: string;
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

/** Registers the scan filter with `manager` and starts filtering (it attaches to every volume, mounted now or later). */
export function registerScanFilter(manager: FilterManager, options: ScanFilterOptions = {}): ScanFilter {
  const engine = options.engine ?? builtinEngine();
  const context: ScanFilterContext = {
    manager,
    engine,
    policy: { ...DEFAULT_SCAN_POLICY, ...options.policy },
    sink: options.sink ?? null,
    emit: options.onEvent ?? (() => {}),
    isAllowed: options.isAllowed ?? (() => false),
    stagingDir: options.stagingDir ?? join(tmpdir(), `strata-scan-staging-${process.getuid?.() ?? 'user'}`),
    filter: null,
  };
  const pendingMediaScans: Promise<unknown>[] = [];
  const scanMedium = (instance: FltInstance): void => {
    // Not inside InstanceSetup: it runs in the mount's completion, before the volume is usable.
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => scanVolumeFiles(context, instance, { origin: 'media' }))
      .then((result) => options.onMediaScanned?.(result), () => {})
      .finally(() => pendingMediaScans.splice(pendingMediaScans.indexOf(run), 1));
    pendingMediaScans.push(run);
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
      return scanVolumeFiles(context, instance, { origin: 'open', ...scanOptions });
    },
    pendingMediaScans,
    unregister: () => filter.unregister(),
  };
}

export { ScanEngine, builtinEngine } from './engine/scan-engine.js';
export { QuarantineStore, QuarantineError, type QuarantineEntry } from './quarantine/quarantine-store.js';
export { quarantineSink } from './quarantine/quarantine-sink.js';
export { scanPaths, type PathScanReport, type FileOutcome } from './ondemand/path-scan.js';
export { SignatureLibrary } from './storage/signature-library.js';
export { SignatureError } from './signatures/signature-error.js';
export type { InfectionSink, InfectedContent, ScanEvent } from './filter/scan-events.js';
export type { ScanPolicy, ScanAction } from './filter/scan-policy.js';
export type { VolumeScanResult, VolumeScanOptions } from './filter/volume-scan.js';
