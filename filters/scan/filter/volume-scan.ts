// Scans every file of a volume the filter is attached to, through its own I/O below the instance: the
// scan a newly mounted removable medium gets, and an on-demand scan of a protected folder. Each file
// goes through checkFile (so HSM stubs are skipped unless a recall is asked for, verdicts are cached,
// and infected files are handled per policy). Reports progress; stops when the signal is aborted. Links
// (reparse points in the listing) are not followed: a link back to a parent would make the scan endless,
// and a link's target is scanned where it lies.

import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, FILE_DIRECTORY_FILE, FILE_OPEN, NT_SUCCESS, type FileDirectoryInformation } from '../../../main/io/index.js';
import type { FltInstance } from '../../../main/fltmgr/index.js';
import { checkFile } from './file-check.js';
import type { ScanFilterContext } from './filter-context.js';
import type { ScanEventOrigin } from './scan-events.js';

export interface VolumeScanProgress {
  files: number;
  bytes: number;
  infected: number;
  skippedOffline: number;
  current: string;
}

export interface VolumeScanResult {
  readonly volume: string;
  readonly files: number;
  readonly bytes: number;
  readonly infected: ReadonlyArray<{ readonly path: string; readonly signature: string }>;
  readonly skippedOffline: number;
  readonly errors: ReadonlyArray<{ readonly path: string; readonly message: string }>;
  readonly cancelled: boolean;
  readonly elapsedMs: number;
}

export interface VolumeScanOptions {
  readonly signal?: AbortSignal;
  readonly recall?: boolean;
  readonly onProgress?: (progress: Readonly<VolumeScanProgress>) => void;
  readonly origin?: ScanEventOrigin;
  /** Paths (volume-relative, "\\dir\\name") the caller's own machinery owns and keeps: not scanned, not counted, not descended into. */
  readonly skip?: (path: string) => boolean;
}

export async function scanVolumeFiles(context: ScanFilterContext, instance: FltInstance, options: VolumeScanOptions = {}): Promise<VolumeScanResult> {
  const started = Date.now();
  const progress: VolumeScanProgress = { files: 0, bytes: 0, infected: 0, skippedOffline: 0, current: '' };
  const infected: Array<{ path: string; signature: string }> = [];
  const errors: Array<{ path: string; message: string }> = [];
  let cancelled = false;
  const visit = async (directory: string): Promise<void> => {
    for (const entry of await listDirectory(context, instance, directory)) {
      if (options.signal?.aborted) {
        cancelled = true;
        return;
      }
      const path = `${directory === '\\' ? '' : directory}\\${entry.fileName}`;
      if (options.skip?.(path) === true || (entry.fileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0) continue;
      if ((entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) {
        await visit(path);
        continue;
      }
      progress.current = path;
      try {
        const check = await checkFile(context, instance, path, options.origin ?? 'media', { ...(options.recall === undefined ? {} : { recall: options.recall }), ...(options.signal ? { signal: options.signal } : {}) });
        if (check.skipped === 'offline') progress.skippedOffline++;
        if (check.signature !== null) infected.push({ path, signature: check.signature });
        progress.infected = infected.length;
        progress.bytes += check.bytes;
      } catch (error) {
        if (options.signal?.aborted === true) {
          cancelled = true;
          return;
        }
        errors.push({ path, message: (error as Error).message });
      }
      progress.files++;
      options.onProgress?.(progress);
    }
  };
  await visit('\\');
  return { volume: instance.volume.name, files: progress.files, bytes: progress.bytes, infected, skippedOffline: progress.skippedOffline, errors, cancelled, elapsedMs: Date.now() - started };
}

async function listDirectory(context: ScanFilterContext, instance: FltInstance, directory: string): Promise<FileDirectoryInformation[]> {
  const opened = await context.manager.createFileBelow(instance, directory === '\\' ? '' : directory, { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  if (!NT_SUCCESS(opened.status)) return [];
  try {
    const listing = await context.manager.api.queryDirectory(opened.handle!);
    return NT_SUCCESS(listing.status) ? (listing.info ?? []).filter((entry) => entry.fileName !== '.' && entry.fileName !== '..') : [];
  } finally {
    await context.manager.api.close(opened.handle!);
  }
}
