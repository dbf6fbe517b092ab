// On-demand scan of files and folders on the host (`strata scan`): walks the paths (folders
// recursively, in name order, not following links met on the way, as clamscan), scans each file with
// archives opened, and reports per file, with progress (files, bytes, rate) and cancellation.

import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { scanContent } from '../archives/content-scanner.js';
import type { ArchiveLimits } from '../archives/archive-limits.js';
import type { CompiledDatabase } from '../engine/compiled-database.js';
import { openFileSource } from '../source/file-source.js';

export type FileOutcome =
  | { readonly kind: 'clean'; readonly path: string; readonly size: number }
  | { readonly kind: 'empty'; readonly path: string }
  | { readonly kind: 'infected'; readonly path: string; readonly size: number; readonly signature: string; readonly location: readonly string[] }
  | { readonly kind: 'error'; readonly path: string; readonly message: string };

export interface PathScanProgress {
  readonly files: number;
  readonly bytes: number;
  readonly infected: number;
  readonly errors: number;
  /** Bytes per second since the scan started. */
  readonly rate: number;
  readonly current: string;
}

export interface PathScanReport {
  readonly files: number;
  readonly bytes: number;
  readonly infected: ReadonlyArray<Extract<FileOutcome, { kind: 'infected' }>>;
  readonly errors: ReadonlyArray<Extract<FileOutcome, { kind: 'error' }>>;
  readonly cancelled: boolean;
  readonly elapsedMs: number;
  /** Bytes per second over the whole scan. */
  readonly rate: number;
}

export interface PathScanOptions {
  readonly signal?: AbortSignal;
  readonly limits?: ArchiveLimits;
  readonly onFile?: (outcome: FileOutcome) => void;
  readonly onProgress?: (progress: PathScanProgress) => void;
}

export async function scanPaths(db: CompiledDatabase, paths: readonly string[], options: PathScanOptions = {}): Promise<PathScanReport> {
  const started = performance.now();
  const infected: Array<Extract<FileOutcome, { kind: 'infected' }>> = [];
  const errors: Array<Extract<FileOutcome, { kind: 'error' }>> = [];
  let files = 0;
  let bytes = 0;
  let cancelled = false;
  const rate = (): number => {
    const seconds = (performance.now() - started) / 1000;
    return seconds > 0 ? bytes / seconds : 0;
  };
  const progress = (current: string): void =>
    options.onProgress?.({ files, bytes, infected: infected.length, errors: errors.length, rate: rate(), current });
  const report = (outcome: FileOutcome): void => {
    if (outcome.kind === 'infected') infected.push(outcome);
    if (outcome.kind === 'error') errors.push(outcome);
    if (outcome.kind !== 'error') files++;
    options.onFile?.(outcome);
    progress(outcome.path);
  };

  const scanFile = async (path: string): Promise<void> => {
    let source;
    try {
      source = await openFileSource(path);
    } catch (error) {
      return report({ kind: 'error', path, message: describe(error) });
    }
    try {
      if (source.size === 0) return report({ kind: 'empty', path });
      const verdict = await scanContent(db, source, {
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (count) => {
          bytes += count;
          progress(path);
        },
      });
      const detection = verdict.detection;
      report(detection === null ? { kind: 'clean', path, size: source.size } : { kind: 'infected', path, size: source.size, signature: detection.name, location: verdict.location });
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      report({ kind: 'error', path, message: describe(error) });
    } finally {
      await source.close();
    }
  };

  const visit = async (path: string, named: boolean): Promise<void> => {
    options.signal?.throwIfAborted();
    let info;
    try {
      // Links named by the user are followed; links met while walking are not (no loops, no escapes).
      info = named ? await stat(path) : await lstat(path);
    } catch (error) {
      return report({ kind: 'error', path, message: describe(error) });
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = (await readdir(path)).sort();
      } catch (error) {
        return report({ kind: 'error', path, message: describe(error) });
      }
      for (const name of names) await visit(join(path, name), false);
    } else if (info.isFile()) {
      await scanFile(path);
    }
  };

  try {
    for (const path of paths) await visit(path, true);
  } catch (error) {
    // Whatever the abort reason (an AbortError, or the CLI's "interrupted"), it means: stop here.
    if (options.signal?.aborted !== true) throw error;
    cancelled = true;
  }
  return { files, bytes, infected, errors, cancelled, elapsedMs: performance.now() - started, rate: rate() };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied';
  return error instanceof Error ? error.message : String(error);
}
