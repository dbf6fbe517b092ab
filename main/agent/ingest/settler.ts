// Waits for files to stop changing before they are ingested (awaitWriteFinish-style): a path is ready
// once no watcher event came for `quietMs` and two stats `quietMs` apart agree. Ready paths are offered
// to a sink that may refuse when full; refused paths wait here, and the sink calls resume() when it has
// room again (back-pressure from the ingest queue).

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sameStamp, stampOf, type FileStamp } from './file-stamp.js';

export interface SettlerOptions {
  root: string;
  quietMs: number;
  /** A settled file exactly as Strata itself left it is dropped, not offered (the answer may need a read of the file). */
  isOwn: (relativePath: string, stamp: FileStamp) => boolean | Promise<boolean>;
  /** Takes a settled path; false means "full, keep it and call resume() later". */
  offer: (relativePath: string, stamp: FileStamp) => boolean;
  /** How many stats run at once during a sweep. */
  statConcurrency?: number;
}

interface Pending {
  lastEvent: number;
  stamp: FileStamp | null;
}

export class Settler {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private blocked = false;
  private stopped = false;

  constructor(private readonly options: SettlerOptions) {}

  /** Something happened to the file: restart its quiet period. */
  touch(relativePath: string): void {
    if (this.stopped) return;
    const entry = this.pending.get(relativePath);
    if (entry === undefined) this.pending.set(relativePath, { lastEvent: Date.now(), stamp: null });
    else entry.lastEvent = Date.now();
    this.schedule();
  }

  forget(relativePath: string): void {
    this.pending.delete(relativePath);
  }

  /** The sink has room again. */
  resume(): void {
    this.blocked = false;
    this.schedule();
  }

  get size(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private schedule(): void {
    if (this.timer !== null || this.sweeping || this.stopped || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sweep();
    }, Math.max(10, Math.round(this.options.quietMs / 2)));
  }

  private async sweep(): Promise<void> {
    this.sweeping = true;
    try {
      const now = Date.now();
      // In path order: a storm is then taken in folder by folder, which keeps the watcher's re-reads of
      // busy folders few.
      const due = [...this.pending].filter(([, entry]) => now - entry.lastEvent >= this.options.quietMs).map(([path]) => path).sort();
      const width = this.options.statConcurrency ?? 64;
      for (let i = 0; i < due.length && !this.blocked && !this.stopped; i += width) {
        await Promise.all(due.slice(i, i + width).map((path) => this.check(path)));
      }
    } finally {
      this.sweeping = false;
      if (!this.blocked) this.schedule();
    }
  }

  private async check(relativePath: string): Promise<void> {
    const entry = this.pending.get(relativePath);
    if (entry === undefined || this.blocked) return;
    let current: FileStamp;
    try {
      const stats = await stat(join(this.options.root, relativePath));
      if (!stats.isFile()) {
        this.pending.delete(relativePath);
        return;
      }
      current = stampOf(stats);
    } catch {
      this.pending.delete(relativePath); // gone meanwhile: nothing to ingest
      return;
    }
    if (this.pending.get(relativePath) !== entry) return;
    if (!sameStamp(entry.stamp, current)) {
      // Still changing (or first look): wait another quiet period.
      entry.stamp = current;
      entry.lastEvent = Date.now();
      return;
    }
    const lastEvent = entry.lastEvent;
    const own = await this.options.isOwn(relativePath, current);
    // Telling may take a read of the file: meanwhile it may have changed again (its quiet period starts
    // over), gone, or the settler stopped (nothing may be offered once the folder's ingest is quiesced).
    if (this.stopped || this.pending.get(relativePath) !== entry || entry.lastEvent !== lastEvent) return;
    if (own || this.options.offer(relativePath, current)) this.pending.delete(relativePath);
    else this.blocked = true;
  }
}
