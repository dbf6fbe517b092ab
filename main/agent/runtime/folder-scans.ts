// On-demand scans of protected folders: one at a time per folder, each through the folder's stack (the
// scan filter reads plaintext at logical sizes and skips stubs), with its progress on the event stream
// as a 'folder-scan' job (files, bytes), cancellable, and its report kept for a while after it ends.

import { randomBytes } from 'node:crypto';
import { ApiRequestError, type JobProgress, type ScanReport } from '../../api/index.js';
import type { NewEvent } from '../events/event-log.js';
import type { LiveFolder } from './live-folder.js';

/** Ended scans kept for the GUI's results list. */
const KEEP_ENDED = 20;

interface RunningScan {
  report: ScanReport;
  abort: AbortController;
  done: Promise<void>;
}

export interface FolderScansDeps {
  progress: (job: JobProgress) => void;
  record: (event: NewEvent) => void;
}

export class FolderScans {
  private readonly scans = new Map<string, RunningScan>();

  constructor(private readonly deps: FolderScansDeps) {}

  /** Starts a scan of `folder` (or answers the one already running there). */
  start(folder: LiveFolder, why = 'on request'): ScanReport {
    const running = [...this.scans.values()].find((scan) => scan.report.folderId === folder.id && scan.report.state === 'running');
    if (running !== undefined) return running.report;
    const protection = folder.protection('scan');
    const started = Date.now();
    const report: ScanReport = {
      id: `folder-scan:${folder.id}:${randomBytes(4).toString('hex')}`,
      folderId: folder.id,
      folderName: folder.record.name,
      state: 'running',
      startedAt: new Date(started).toISOString(),
      finishedAt: null,
      files: 0,
      bytes: 0,
      bytesPerSecond: 0,
      infected: [],
      skippedOffline: 0,
      errors: 0,
      message: null,
    };
    const abort = new AbortController();
    const job = (finished: boolean): JobProgress => ({
      id: report.id, kind: 'folder-scan', folderId: folder.id, label: `scanning ${folder.record.name}`,
      done: report.files, total: null, failed: report.errors, bytes: report.bytes, finished,
    });
    const rate = () => report.bytes / Math.max((Date.now() - started) / 1000, 0.001);
    const base = { folderId: folder.id, folderName: folder.record.name };
    this.deps.record({ ...base, action: 'folder-scanned', result: 'ok', detail: `scan started ${why}` });
    const done = protection.scanVolume!({
      signal: abort.signal,
      origin: 'scan',
      onProgress: (p) => {
        Object.assign(report, { files: p.files, bytes: p.bytes, bytesPerSecond: rate() });
        this.deps.progress(job(false));
      },
    }).then(
      (result) => {
        Object.assign(report, {
          state: result.cancelled ? 'cancelled' : 'finished',
          files: result.files,
          bytes: result.bytes,
          infected: result.threats,
          skippedOffline: result.skippedOffline,
          errors: result.errors,
        });
      },
      (error: unknown) => Object.assign(report, { state: 'failed', message: (error as Error).message }),
    ).then(() => {
      Object.assign(report, { finishedAt: new Date().toISOString(), bytesPerSecond: rate() });
      this.deps.progress(job(true));
      this.deps.record({
        ...base,
        action: 'folder-scanned',
        result: report.state === 'failed' ? 'failed' : report.infected.length > 0 ? 'infected' : report.state === 'cancelled' ? 'skipped' : 'ok',
        detail: describe(report),
      });
      this.forgetOld();
    });
    this.scans.set(report.id, { report, abort, done });
    this.deps.progress(job(false));
    return report;
  }

  async cancel(id: string): Promise<ScanReport> {
    const scan = this.scans.get(id);
    if (scan === undefined) throw new ApiRequestError('not-found', 'there is no such scan (it may have ended long ago)', '$.id');
    scan.abort.abort(new Error('cancelled by the user'));
    await scan.done;
    return scan.report;
  }

  /** Newest first. */
  list(): ScanReport[] {
    return [...this.scans.values()].map((scan) => scan.report).reverse();
  }

  /** Resolves when the scan has ended (tests). */
  async whenEnded(id: string): Promise<ScanReport> {
    const scan = this.scans.get(id);
    if (scan === undefined) throw new ApiRequestError('not-found', 'there is no such scan', '$.id');
    await scan.done;
    return scan.report;
  }

  /** Stops every scan of a folder (it stops or is removed) or of all of them. */
  async stop(folderId?: string): Promise<void> {
    const stopping = [...this.scans.values()].filter((scan) => folderId === undefined || scan.report.folderId === folderId);
    for (const scan of stopping) scan.abort.abort(new Error('the folder stopped'));
    await Promise.all(stopping.map((scan) => scan.done));
  }

  private forgetOld(): void {
    const ended = [...this.scans.values()].filter((scan) => scan.report.state !== 'running');
    for (const scan of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.scans.delete(scan.report.id);
  }
}

function describe(report: ScanReport): string {
  const parts = [`${report.files} file(s), ${report.bytes} bytes scanned`, `${report.infected.length} infected`];
  if (report.skippedOffline > 0) parts.push(`${report.skippedOffline} in cold storage left alone`);
  if (report.errors > 0) parts.push(`${report.errors} unreadable`);
  if (report.state === 'cancelled') parts.push('cancelled');
  if (report.state === 'failed') parts.push(`failed: ${report.message}`);
  if (report.infected.length > 0) parts.push(`threats: ${report.infected.slice(0, 5).map((i) => `${i.path} (${i.signature})`).join(', ')}${report.infected.length > 5 ? ', …' : ''}`);
  return parts.join(', ');
}
