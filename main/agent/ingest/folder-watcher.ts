// Watches a protected folder for files other programs create or change (chokidar), lets them settle, and
// offers them for ingest. A rescan walks the whole folder instead, at start: it catches what changed while
// no agent ran and removes the temporary files a crash left behind.

import { watch, type FSWatcher } from 'chokidar';
import { opendir, stat, unlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { stampOf, type FileStamp } from './file-stamp.js';
import { Settler } from './settler.js';
import { isIngestTemp, isStrataPath } from './strata-names.js';

export interface FolderWatcherOptions {
  root: string;
  quietMs: number;
  offer: (relativePath: string, stamp: FileStamp) => boolean;
  isOwn: (relativePath: string, stamp: FileStamp) => boolean;
  onRemoved: (relativePath: string) => void;
  onError: (error: Error) => void;
}

export class FolderWatcher {
  private readonly settler: Settler;
  private watcher: FSWatcher | null = null;
  private stopped = false;

  constructor(private readonly options: FolderWatcherOptions) {
    this.settler = new Settler({ root: options.root, quietMs: options.quietMs, offer: options.offer });
  }

  async start(): Promise<void> {
    const toRelative = (path: string) => relative(this.options.root, path).split(sep).join('/');
    this.watcher = watch(this.options.root, {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (path) => path !== this.options.root && isStrataPath(toRelative(path)),
    });
    this.watcher.on('add', (path) => this.settler.touch(toRelative(path)));
    this.watcher.on('change', (path) => this.settler.touch(toRelative(path)));
    this.watcher.on('unlink', (path) => {
      const rel = toRelative(path);
      this.settler.forget(rel);
      this.options.onRemoved(rel);
    });
    this.watcher.on('error', (error) => this.options.onError(error as Error));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  /** Looks at the file again after a quiet period (it was busy when ingest tried). */
  retryLater(relativePath: string): void {
    this.settler.touch(relativePath);
  }

  /** The ingest queue has room again. */
  resume(): void {
    this.settler.resume();
  }

  /** Paths waiting to settle or to be offered again. */
  get waiting(): number {
    return this.settler.size;
  }

  /** Walks the folder: every file not as Strata left it goes to the settler; stale ingest temps go. */
  async rescan(): Promise<number> {
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
        const rel = relative(this.options.root, path).split(sep).join('/');
        if (entry.isFile() && isIngestTemp(entry.name)) {
          await unlink(path).catch(() => undefined);
        } else if (isStrataPath(rel)) {
          continue;
        } else if (entry.isDirectory()) {
          await walk(path);
        } else if (entry.isFile()) {
          const stats = await stat(path).catch(() => null);
          if (stats !== null && !this.options.isOwn(rel, stampOf(stats))) {
            this.settler.touch(rel);
            found++;
          }
        }
      }
    };
    await walk(this.options.root);
    return found;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.settler.stop();
    await this.watcher?.close();
  }
}
