// Checks one existing file of the volume, through the filter's own I/O: the scan on open and the scan
// of a mounted medium. Directories and HSM stubs (offline) are skipped (so a scan never recalls), and an
// unchanged file's cached verdict is reused. A stream another open is writing (scanning or modified)
// has no final verdict yet, so its current content is scanned as it is, bypassing the cache. An infected
// file is then dealt with as the policy says: quarantined (kept encrypted, then deleted), blocked, or only
// reported — except a file being written, which is only refused and reported (its writer's cleanup
// rolls it back). Concurrent checks of one file share one scan and one action.

import { FILE_ATTRIBUTE_OFFLINE } from '../../../main/io/index.js';
import type { FltInstance } from '../../../main/fltmgr/index.js';
import { scanContent } from '../archives/content-scanner.js';
import { withBelowFile, type BelowFile, type BelowFileInfo } from './below-file.js';
import { currentName } from './file-names.js';
import { verdictCacheOf, withStreamState, type ScanFilterContext } from './filter-context.js';
import type { ScanEventOrigin } from './scan-events.js';
import { StreamVerdict } from './stream-state.js';

export interface FileCheck {
  /** The signature found, or null. */
  readonly signature: string | null;
  /** Why the content was not scanned, when it was not. */
  readonly skipped: 'missing' | 'directory' | 'offline' | null;
  readonly cached: boolean;
  /** Bytes scanned (0 when skipped or cached). */
  readonly bytes: number;
}

export interface FileCheckOptions {
  /** Scan offline files (recalling them); default: the policy's recallOffline. */
  readonly recall?: boolean;
  readonly signal?: AbortSignal;
}

const skipped = (why: FileCheck['skipped']): FileCheck => ({ signature: null, skipped: why, cached: false, bytes: 0 });

/** Checks in flight per instance, by the file's name: concurrent opens of one file wait for one check. */
const inFlight = new WeakMap<FltInstance, Map<string, Promise<FileCheck>>>();

function inFlightOf(instance: FltInstance): Map<string, Promise<FileCheck>> {
  let checks = inFlight.get(instance);
  if (checks === undefined) {
    checks = new Map();
    inFlight.set(instance, checks);
  }
  return checks;
}

export async function checkFile(context: ScanFilterContext, instance: FltInstance, name: string, origin: ScanEventOrigin, options: FileCheckOptions = {}): Promise<FileCheck> {
  // Recorded before anything is awaited, so an open arriving while the file is being scanned or
  // quarantined gets that check's verdict instead of scanning (and quarantining) it again.
  const checks = inFlightOf(instance);
  const pending = checks.get(name);
  if (pending !== undefined) return pending;
  const check = checkOnce(context, instance, name, origin, options);
  checks.set(name, check);
  try {
    return await check;
  } finally {
    if (checks.get(name) === check) checks.delete(name);
  }
}

async function checkOnce(context: ScanFilterContext, instance: FltInstance, name: string, origin: ScanEventOrigin, options: FileCheckOptions): Promise<FileCheck> {
  const result = await withBelowFile(context.manager, instance, name, async (file): Promise<FileCheck> => {
    const info = await file.info();
    if (info.directory) return skipped('directory');
    if ((info.attributes & FILE_ATTRIBUTE_OFFLINE) !== 0 && !(options.recall ?? context.policy.recallOffline)) return skipped('offline');
    const stream = withStreamState(context, instance, file.handle.fileObject, false, (state) => (state === null ? null : { verdict: state.verdict, signature: state.signature }));
    if (stream?.verdict === StreamVerdict.Infected) return { signature: stream.signature, skipped: null, cached: true, bytes: 0 };
    // Another open is writing it: no final verdict before that writer's cleanup, so what is there now is scanned.
    const beingWritten = stream?.verdict === StreamVerdict.Scanning || stream?.verdict === StreamVerdict.Modified;
    const canonical = await currentName(context.manager, file.handle.fileObject);
    return scanAndAct(context, instance, file, canonical, info, beingWritten, origin, options);
  });
  return result ?? skipped('missing');
}

async function scanAndAct(context: ScanFilterContext, instance: FltInstance, file: BelowFile, canonical: string, info: BelowFileInfo, beingWritten: boolean, origin: ScanEventOrigin, options: FileCheckOptions): Promise<FileCheck> {
  const cache = verdictCacheOf(instance);
  const generation = context.engine.generation;
  const volume = instance.volume.name;
  const allowed = (found: string | null) => found !== null && context.isAllowed(volume, canonical, found);
  // A verdict cached for this size and time says nothing of bytes a writer may be changing right now.
  const hit = beingWritten ? null : cache.get(canonical, info.size, info.lastWriteTime, generation);
  if (hit !== null) return { signature: allowed(hit.signature) ? null : hit.signature, skipped: null, cached: true, bytes: 0 };

  const verdict = await scanContent(context.engine.database, file.source(info.size), { limits: context.policy.limits, ...(options.signal ? { signal: options.signal } : {}) });
  const found = verdict.detection?.name ?? null;
  // A detection the user allowed on this very file (restored from quarantine) is not acted on again.
  const signature = allowed(found) ? null : found;
  if (beingWritten) {
    // Neither cached nor removed: the writer's cleanup gives the final verdict and rolls the file back.
    if (signature !== null) reportInfectedBeingWritten(context, volume, canonical, signature, origin);
  } else if (signature === null) {
    cache.set(canonical, { size: info.size, lastWriteTime: info.lastWriteTime, generation, signature });
  } else {
    const removed = await actOnInfectedFile(context, instance, file, canonical, signature, info.size, origin);
    if (removed) cache.forget(canonical);
    else cache.set(canonical, { size: info.size, lastWriteTime: info.lastWriteTime, generation, signature });
  }
  return { signature, skipped: null, cached: false, bytes: info.size };
}

/** Reports infected content of a file another open is writing; it is refused, its writer's cleanup removes it. */
function reportInfectedBeingWritten(context: ScanFilterContext, volume: string, name: string, signature: string, origin: ScanEventOrigin): void {
  context.emit({ kind: 'threat-found', origin, volume, path: name, signature });
  if (context.policy.action !== 'report') context.emit({ kind: 'blocked', origin, volume, path: name, signature, detail: 'being written' });
}

/** Reports, and quarantines (then deletes) per policy. Returns whether the file was removed. */
async function actOnInfectedFile(context: ScanFilterContext, instance: FltInstance, file: BelowFile, name: string, signature: string, size: number, origin: ScanEventOrigin): Promise<boolean> {
  const volume = instance.volume.name;
  context.emit({ kind: 'threat-found', origin, volume, path: name, signature });
  const action = context.policy.action;
  if (action === 'report') return false;
  if (action === 'quarantine' && context.sink !== null) {
    let id: string;
    try {
      id = await context.sink.quarantine({ origin, volume, path: name, signature, content: file.source(size) });
    } catch (error) {
      // Kept where it is (deleting it would lose it) but still refused.
      context.emit({ kind: 'blocked', origin, volume, path: name, signature, detail: `not quarantined: ${(error as Error).message}` });
      return false;
    }
    await file.markForDeletion();
    context.emit({ kind: 'quarantined', origin, volume, path: name, signature, detail: id });
    return true;
  }
  context.emit({ kind: 'blocked', origin, volume, path: name, signature });
  return false;
}
