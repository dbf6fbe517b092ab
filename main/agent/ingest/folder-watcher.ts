// Watches a protected folder for files other programs create or change (chokidar), lets them settle, and
// offers them for ingest. A rescan walks the whole folder instead, at start: it catches what changed while
// no agent ran and removes the temporary files a crash left behind.
//
// Storms: chokidar re-reads a whole directory (an lstat per entry) each time something in it changes, so
// during a storm of thousands of files its cost grows with the square of the storm. Past `stormThreshold`
// files waiting to settle, the watcher steps aside: chokidar is closed and the folder is walked once
// instead; when everything found has been ingested, chokidar starts again and one more walk catches what
// changed in between. Nothing is missed, because a walk compares every file with what Strata last wrote.

import { watch, type FSWatcher } from 'chokidar';
import { opendir, stat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { stampOf, type FileStamp } from './file-stamp.js';
import { Settler } from './settler.js';
import { recoverHold } from './hold-recovery.js';
import { isStrataPath, parseIngestName, type IngestNameParts } from './strata-names.js';

export interface FolderWatcherOptions {
  root: string;
  quietMs: number;
  offer: (relativePath: string, stamp: FileStamp) => boolean;
  isOwn: (relativePath: string, stamp: FileStamp) => boolean | Promise<boolean>;
  onRemoved: (relativePath: string) => void;
  onError: (error: Error) => void;
  /** Nothing of this folder waits in or runs through the ingest queue. */
  isIdle: () => boolean;
  /** Files waiting to settle beyond which chokidar steps aside for a walk. Default 1000. */
  stormThreshold?: number;
}

export class FolderWatcher {
  private readonly settler: Settler;
  private watcher: FSWatcher | null = null;
  private storm: { timer: NodeJS.Timeout | null } | null = null;
  private stopped = false;

  constructor(private readonly options: FolderWatcherOptions) {
    this.settler = new Settler({ root: options.root, quietMs: options.quietMs, offer: options.offer, isOwn: options.isOwn });
  }

  async start(): Promise<void> {
    await this.startChokidar();
  }

  /** Looks at the file again after a quiet period (it was busy when ingest tried). */
  retryLater(relativePath: string): void {
    this.touch(relativePath);
  }

  /** The ingest queue has room again. */
  resume(): void {
    this.settler.resume();
  }

  /** Paths waiting to settle or to be offered again. */
  get waiting(): number {
    return this.settler.size;
  }

  /** True while chokidar has stepped aside for a storm. */
  get inStorm(): boolean {
    return this.storm !== null;
  }

  /**
   * Walks the folder: every file not as Strata left it goes to the settler. At start (and only then: later
   * walks run while ingests are in flight) what a crash left of ingests is settled too: copies are
   * removed, holds on originals judged (a later edit is put back in place).
   */
  async rescan(options: { recoverLeftovers?: boolean } = {}): Promise<number> {
    let found = 0;
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await opendir(dir);
      } catch {
        return;
      }
      for await (const entry of entries) {
        if (this.stopped) return;
        const path = join(dir, entry.name);
        const rel = this.toRelative(path);
        const leftover = entry.isFile() ? parseIngestName(entry.name) : null;
        if (leftover !== null) {
          if (options.recoverLeftovers !== true) continue;
          if (leftover.kind === 'copy') await unlink(path).catch(() => undefined);
          else await this.recoverLeftoverHold(dir, entry.name, leftover);
        } else if (isStrataPath(rel)) {
          continue;
        } else if (entry.isDirectory()) {
          await walk(path);
        } else if (entry.isFile()) {
          const stats = await stat(path).catch(() => null);
          if (stats !== null && !(await this.options.isOwn(rel, stampOf(stats)))) {
            this.settler.touch(rel);
            found++;
          }
        }
      }
    };
    await walk(this.options.root);
    return found;
  }

  /** A hold a crash left: judged; what comes back in place, or is kept beside it, is looked at again. */
  private async recoverLeftoverHold(dir: string, name: string, parts: IngestNameParts): Promise<void> {
    const holdPath = this.toRelative(join(dir, name));
    try {
      const recovery = await recoverHold(dir, name, parts);
      if (recovery.kind === 'restored') this.settler.touch(this.toRelative(join(dir, recovery.original)));
      if (recovery.kind === 'kept') {
        const keptAs = this.toRelative(join(dir, recovery.keptAs));
        this.settler.touch(keptAs);
        this.options.onError(new Error(`the original ingest held at ${holdPath} when Strata stopped was kept as ${keptAs}: ${recovery.reason}`));
      }
    } catch (error) {
      this.options.onError(new Error(`recovering the original ingest held at ${holdPath}: ${(error as Error).message}; it stays for the next start`));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.storm?.timer) clearTimeout(this.storm.timer);
    this.settler.stop();
    await this.watcher?.close();
  }

  private touch(relativePath: string): void {
    this.settler.touch(relativePath);
    if (this.storm === null && this.watcher !== null && this.settler.size > (this.options.stormThreshold ?? 1000)) void this.enterStorm();
  }

  private async startChokidar(): Promise<void> {
    const watcher = watch(this.options.root, {
      ignoreInitial: true,
      followSymlinks: false,
      // chokidar can open a handle for a file it was still reading about when closed (a storm closes it
      // mid-flood); such a straggler must not keep the process alive. The agent lives by its server.
      persistent: false,
      ignored: (path) => path !== this.options.root && isStrataPath(this.toRelative(path)),
    });
    watcher.on('add', (path) => this.touch(this.toRelative(path)));
    watcher.on('change', (path) => this.touch(this.toRelative(path)));
    watcher.on('unlink', (path) => {
      const rel = this.toRelative(path);
      this.settler.forget(rel);
      this.options.onRemoved(rel);
    });
    watcher.on('error', (error) => this.options.onError(error as Error));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    if (this.stopped) await watcher.close();
    else this.watcher = watcher;
  }

  private async enterStorm(): Promise<void> {
    const storm = { timer: null as NodeJS.Timeout | null };
    this.storm = storm;
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
    await this.rescan();
    const poll = () => {
      storm.timer = setTimeout(() => {
        storm.timer = null;
        if (this.stopped) return;
        if (this.settler.size > 0 || !this.options.isIdle()) return poll();
        void this.leaveStorm();
      }, this.options.quietMs);
    };
    poll();
  }

  private async leaveStorm(): Promise<void> {
    await this.startChokidar();
    this.storm = null;
    // Whatever changed while chokidar was closed (after the storm's walk) is found now.
    await this.rescan();
  }

  private toRelative(path: string): string {
    return relative(this.options.root, path).split(sep).join('/');
  }
}
