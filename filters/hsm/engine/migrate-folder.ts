// A migration run over one folder: list the files, judge each against the policy (and its content against
// the folder's content gate: a file waiting to be encrypted stays), and release the eligible ones one by
// one, reporting progress; a dry run only reports what it would do. Cancelling
// (the signal) stops between files, or inside the copy of a big one, leaving nothing half-done.

import { NtStatusError, STATUS_CANCELLED, statusName } from '../../../main/io/index.js';
import type { HsmPolicy } from '../catalog/folder-policy.js';
import { Eligibility, type FileFacts } from '../policy/eligibility.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { contentRefusalAt } from './content-refusal.js';
import { walkFolder } from './folder-walk.js';
import { releaseFile } from './release-file.js';

export interface MigrationOptions {
  readonly dryRun?: boolean;
  /** Overrides the policy's minimum age for this run. */
  readonly minAgeSeconds?: number;
  readonly now?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: MigrationProgress) => void;
  readonly onFile?: (outcome: FileOutcome) => void;
}

export interface MigrationProgress {
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly current?: string;
}

export type FileOutcome =
  | { readonly path: string; readonly result: 'released' | 'would release'; readonly size: number }
  /** `heldBack`: the folder's content gate kept it (its reason is the gate's: 'waiting to be encrypted'). */
  | { readonly path: string; readonly result: 'skipped'; readonly reason: string; readonly heldBack?: true }
  | { readonly path: string; readonly result: 'failed'; readonly status: string; readonly reason: string };

export interface MigrationSummary {
  readonly dryRun: boolean;
  readonly examined: number;
  readonly eligible: number;
  readonly released: number;
  readonly bytesReleased: number;
  readonly skipped: number;
  readonly failed: number;
  readonly cancelled: boolean;
  readonly files: readonly FileOutcome[];
}

export async function migrateFolder(volume: HsmVolume, options: MigrationOptions = {}): Promise<MigrationSummary> {
  await volume.ready;
  const policy: HsmPolicy = { ...volume.folder.policy, ...(options.minAgeSeconds !== undefined ? { minAgeSeconds: options.minAgeSeconds } : {}) };
  const judge = new Eligibility(policy, volume.pins.list(), options.now ?? Date.now(), volume.settings.hostNameOf);
  const files: FileOutcome[] = [];
  const record = (outcome: FileOutcome): void => {
    files.push(outcome);
    options.onFile?.(outcome);
  };
  const eligible: FileFacts[] = [];
  let examined = 0;
  for await (const { path, entry } of walkFolder(volume, '\\', options.signal)) {
    if (volume.catalog.get(path) !== null) continue;
    examined++;
    const facts: FileFacts = { path, size: entry.endOfFile, lastWriteTime: entry.lastWriteTime, lastAccessTime: entry.lastAccessTime };
    const verdict = judge.judge(facts);
    if (!verdict.eligible) {
      record({ path, result: 'skipped', reason: verdict.reason });
      continue;
    }
    const refused = await judgeContent(volume, path);
    if (refused === null) eligible.push(facts);
    else record(refused);
  }
  const totalBytes = eligible.reduce((sum, file) => sum + file.size, 0);
  let bytes = 0;
  let done = 0;
  let cancelled = options.signal?.aborted ?? false;
  for (const file of eligible) {
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    options.onProgress?.({ done, total: eligible.length, bytes, totalBytes, current: file.path });
    if (options.dryRun) record({ path: file.path, result: 'would release', size: file.size });
    else record(await releaseOne(volume, file, options.signal));
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    bytes += file.size;
    done++;
  }
  options.onProgress?.({ done, total: eligible.length, bytes, totalBytes });
  const released = files.filter((file) => file.result === 'released');
  return {
    dryRun: options.dryRun ?? false,
    examined,
    eligible: eligible.length,
    released: released.length,
    bytesReleased: released.reduce((sum, file) => sum + ('size' in file ? file.size : 0), 0),
    skipped: files.filter((file) => file.result === 'skipped').length,
    failed: files.filter((file) => file.result === 'failed').length,
    cancelled,
    files,
  };
}

/** Null when the file's content may go to the tier; else its outcome (skipped, saying why; or failed to look). */
async function judgeContent(volume: HsmVolume, path: string): Promise<FileOutcome | null> {
  try {
    const reason = await contentRefusalAt(volume, path);
    return reason === null ? null : { path, result: 'skipped', reason, heldBack: true };
  } catch (error) {
    return failed(path, error);
  }
}

async function releaseOne(volume: HsmVolume, file: FileFacts, signal?: AbortSignal): Promise<FileOutcome> {
  try {
    return await releaseFile(volume, file, signal);
  } catch (error) {
    // Cancelled in the middle of its copy: rolled back, so it is simply not released.
    if (error instanceof NtStatusError && error.status === STATUS_CANCELLED) return { path: file.path, result: 'skipped', reason: 'cancelled; left as it was' };
    return failed(file.path, error);
  }
}

function failed(path: string, error: unknown): FileOutcome {
  const status = error instanceof NtStatusError ? statusName(error.status) : 'error';
  return { path, result: 'failed', status, reason: (error as Error).message };
}
