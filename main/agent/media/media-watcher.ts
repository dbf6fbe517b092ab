// Removable media: a new folder under a media root (/media/$USER, /run/media/$USER, /Volumes, or the
// roots given) is a newly plugged-in medium. It is mounted as a removable volume and, per the media
// policy, scanned through the scan filter; when its folder goes, the volume is dismounted.

import { watch, type FSWatcher } from 'chokidar';
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { JobProgress } from '../../api/index.js';
import type { AgentCore } from '../agent-core.js';
import { openFolderStack, type FolderStack } from '../folder-stack.js';
import type { ActiveProtection, VolumeScanSummary } from '../protections/provider.js';

export interface MediumState {
  path: string;
  state: 'mounted' | 'scanning' | 'scanned' | 'failed';
  message: string | null;
}

interface Medium extends MediumState {
  stack: FolderStack | null;
  protection: ActiveProtection | null;
  abort: AbortController;
  work: Promise<void>;
}

export interface MediaWatcherOptions {
  core: AgentCore;
  roots: readonly string[];
  verifier: boolean;
  progress: (job: JobProgress) => void;
}

export class MediaWatcher {
  private readonly media = new Map<string, Medium>();
  private readonly watchers: FSWatcher[] = [];
  private readonly roots: string[];

  constructor(private readonly options: MediaWatcherOptions) {
    this.roots = options.roots.map((root) => resolve(root));
  }

  /** Watches the roots that exist; media already present at start are known but not scanned again. */
  async start(): Promise<void> {
    for (const root of this.roots.filter((r) => existsSync(r))) {
      const watcher = watch(root, { depth: 0, ignoreInitial: true, followSymlinks: false });
      watcher.on('addDir', (path) => {
        if (dirname(resolve(path)) === root) this.mount(resolve(path));
      });
      watcher.on('unlinkDir', (path) => {
        if (dirname(resolve(path)) === root) void this.unmount(resolve(path));
      });
      watcher.on('error', () => undefined);
      await new Promise<void>((ready) => watcher.once('ready', () => ready()));
      this.watchers.push(watcher);
    }
  }

  list(): MediumState[] {
    return [...this.media.values()].map(({ path, state, message }) => ({ path, state, message }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.close()));
    await Promise.all([...this.media.keys()].map((path) => this.unmount(path, false)));
  }

  private mount(path: string): void {
    if (this.media.has(path)) return;
    const medium: Medium = { path, state: 'mounted', message: null, stack: null, protection: null, abort: new AbortController(), work: Promise.resolve() };
    this.media.set(path, medium);
    medium.work = this.mountAndScan(medium).catch((error: unknown) => {
      medium.state = 'failed';
      medium.message = (error as Error).message;
      this.record(medium, 'medium-mounted', 'failed', medium.message);
    });
  }

  private async mountAndScan(medium: Medium): Promise<void> {
    const { core } = this.options;
    medium.stack = await openFolderStack(medium.path, { verifier: this.options.verifier, removable: true });
    this.record(medium, 'medium-mounted', 'ok', medium.path);
    const media = core.policy.store.getMedia();
    if (!media.scanOnMount) {
      this.record(medium, 'medium-scanned', 'skipped', 'scanning on mount is off in the media policy');
      return;
    }
    const provider = core.providers.scan;
    if (provider.unavailableReason !== null) {
      medium.message = provider.unavailableReason;
      this.record(medium, 'medium-scanned', 'skipped', provider.unavailableReason);
      return;
    }
    medium.protection = await provider.attach(
      {
        folder: { id: `medium:${medium.path}`, name: basename(medium.path), path: medium.path },
        stack: medium.stack,
        dataDir: core.dataDir,
        store: core.store,
        record: (event) => core.log.record({ ...event, folderName: `medium ${basename(medium.path)}` }),
        progress: (job) => this.options.progress({ ...job, folderId: null }),
        tier: () => undefined,
        signatureSet: (name) => core.policy.store.listSignatureSets().find((s) => s.name.toLowerCase() === name.toLowerCase()),
      },
      { enabled: true, altitude: provider.defaultAltitude, settings: media.scan },
    );
    medium.state = 'scanning';
    const job = (done: number, failed: number, finished: boolean): JobProgress => ({
      id: `media-scan:${medium.path}`, kind: 'media-scan', folderId: null, label: `scanning ${medium.path}`, done, total: null, failed, finished,
    });
    // The first open through the stack mounts the medium's volume; the scan filter attaches at the mount.
    const result = await medium.protection.scanVolume!({ signal: medium.abort.signal, origin: 'media', onProgress: (p) => this.options.progress(job(p.files, p.infected, false)) });
    this.options.progress(job(result.files, result.infected, true));
    medium.state = 'scanned';
    medium.message = describeScan(result);
    this.record(medium, 'medium-scanned', result.infected > 0 ? 'infected' : result.cancelled ? 'skipped' : 'ok', medium.message);
  }

  private async unmount(path: string, removed = true): Promise<void> {
    const medium = this.media.get(path);
    if (medium === undefined) return;
    this.media.delete(path);
    medium.abort.abort(new Error('the medium was removed'));
    await medium.work;
    await medium.protection?.detach();
    await medium.stack?.close().catch(() => undefined);
    if (removed) this.record(medium, 'medium-removed', 'ok', path);
  }

  private record(medium: Medium, action: 'medium-mounted' | 'medium-scanned' | 'medium-removed', result: 'ok' | 'failed' | 'skipped' | 'infected', detail: string): void {
    this.options.core.log.record({ folderName: `medium ${basename(medium.path)}`, path: medium.path, action, result, detail });
  }
}

function describeScan(result: VolumeScanSummary): string {
  const parts = [`${result.files} file(s) scanned`, `${result.infected} infected`, `${result.errors} unreadable`];
  if (result.cancelled) parts.push('cancelled');
  if (result.infected > 0) parts.push(`threats: ${result.threats.slice(0, 5).map((i) => `${i.path} (${i.signature})`).join(', ')}${result.threats.length > 5 ? ', …' : ''}`);
  return parts.join(', ');
}
