// The live agent: every protected folder mounted with its protections, the shared ingest queue and
// scheduler, removable-media watching, and the event stream fed from the event log, progress and
// folder state. Policy changes from the API reach it as updates and are applied folder by folder.

import { ApiRequestError, type AgentStatus, type FolderRuntime, type JobProgress, type ProtectionKind, type StreamMessage } from '../../api/index.js';
import type { RuntimeView } from '../api-handlers.js';
import type { AgentCore } from '../agent-core.js';
import { endFolderSessions, sweepEndedSessions } from '../crypt-sessions/session-store.js';
import { IngestQueue } from '../ingest/ingest-queue.js';
import { MediaWatcher } from '../media/media-watcher.js';
import type { PolicyUpdate } from '../policy/policy-service.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { FolderScans } from './folder-scans.js';
import { LiveFolder } from './live-folder.js';
import { ProtectionPause } from './protection-pause.js';
import { throttleProgress } from './progress-throttle.js';

/** An expired session's key stays on disk at most about this long while an agent runs. */
const DEFAULT_SESSION_SWEEP_MS = 60_000;

export interface AgentRuntimeOptions {
  core: AgentCore;
  version: string;
  verifier: boolean;
  /** How long a file must be quiet before it is ingested. */
  quietMs: number;
  mediaRoots: readonly string[];
  queueCapacity: number;
  ingestConcurrency: number;
  /** How often folders that were missing are looked for again. */
  retryMs: number;
  /** How often the CLI's unlock sessions that ended (expired, from another boot) are removed; default a minute. */
  sessionSweepMs?: number;
  broadcast: (message: StreamMessage) => void;
}

export class AgentRuntime implements RuntimeView {
  private readonly folders = new Map<string, LiveFolder>();
  readonly scheduler = new Scheduler();
  readonly queue: IngestQueue;
  private readonly media: MediaWatcher;
  private readonly jobs = new Map<string, JobProgress>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly startedAt = new Date().toISOString();
  private readonly progress: (job: JobProgress) => void;
  private readonly progressListeners = new Set<(job: JobProgress) => void>();
  private applying: Promise<void> = Promise.resolve();
  readonly scans: FolderScans;
  readonly pause: ProtectionPause;

  constructor(private readonly options: AgentRuntimeOptions) {
    const emit = throttleProgress((job) => {
      options.broadcast({ type: 'progress', job });
      for (const listener of this.progressListeners) listener(job);
    });
    this.progress = (job) => {
      this.jobs.set(job.id, job);
      emit(job);
    };
    this.queue = new IngestQueue({
      capacity: options.queueCapacity,
      concurrency: options.ingestConcurrency,
      work: (item, signal) => this.folders.get(item.folderId)?.ingest(item.relativePath, signal) ?? Promise.resolve(false),
      onRoom: () => {
        for (const folder of this.folders.values()) folder.resume();
      },
      onProgress: (counters, idle) =>
        this.progress({ id: 'ingest', kind: 'ingest', folderId: null, label: 'ingesting new files', done: counters.done + counters.failed, total: counters.accepted, failed: counters.failed, finished: idle }),
    });
    const log = options.core.log;
    this.scans = new FolderScans({ progress: this.progress, record: (event) => log.record(event) });
    this.pause = new ProtectionPause({
      apply: (paused) => {
        for (const folder of this.folders.values()) {
          const unscanned = folder.setPaused(paused);
          // What came in unscanned is scanned now (the whole folder: a scan's cache skips nothing new).
          if (unscanned > 0) this.catchUpScan(folder, unscanned);
        }
      },
      record: (action, detail) => log.record({ action, result: 'ok', detail }),
      changed: () => {
        for (const folder of this.folders.values()) options.broadcast({ type: 'folder', folder: { ...folder.record, runtime: folder.runtime() } });
      },
    });
    this.media = new MediaWatcher({ core: options.core, roots: options.mediaRoots, verifier: options.verifier, progress: this.progress });
  }

  async start(): Promise<void> {
    const { core } = this.options;
    this.unsubscribe.push(core.log.subscribe((event) => this.options.broadcast({ type: 'event', event })));
    this.unsubscribe.push(core.policy.onUpdate((update) => {
      // Applied one after another; API answers wait for it (whenApplied) so they show the live state.
      this.applying = this.applying.then(() => this.onUpdate(update)).catch((error: unknown) => {
        core.log.record({ action: 'error', result: 'failed', detail: `applying a policy change: ${(error as Error).message}` });
      });
    }));
    // An ended CLI unlock session still holds its vault key on disk: gone before anything else runs.
    await this.sweepCliSessions();
    this.scheduler.add({
      name: 'remove ended CLI unlock sessions',
      trigger: { kind: 'every', intervalMs: this.options.sessionSweepMs ?? DEFAULT_SESSION_SWEEP_MS, jitter: 0.2 },
      run: () => this.sweepCliSessions(),
    });
    // Read under the store's write lock: a CLI command that wrote in-process because it saw no agent
    // lock file still holds that lock until it commits, so its change is read here; a later one sees
    // the lock file and goes through this agent (in-process-guard.ts). startAgent takes the lock first.
    const records = core.policy.store.transaction(() => core.policy.store.listFolders());
    for (const record of records) this.folders.set(record.id, this.newLiveFolder(record));
    await Promise.all([...this.folders.values()].map((folder) => folder.start()));
    this.scheduler.add({
      name: 'look again for missing folders',
      trigger: { kind: 'every', intervalMs: this.options.retryMs, jitter: 0.2 },
      run: async () => void (await Promise.all([...this.folders.values()].map((folder) => folder.retry()))),
    });
    await this.media.start();
  }

  async stop(): Promise<void> {
    this.pause.stop();
    await this.scans.stop();
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    await this.scheduler.stop();
    await this.queue.stop();
    await this.media.stop();
    await Promise.all([...this.folders.values()].map((folder) => folder.stop()));
    this.folders.clear();
  }

  folderRuntime(id: string): FolderRuntime | null {
    return this.folders.get(id)?.runtime() ?? null;
  }

  status(): AgentStatus {
    const { core } = this.options;
    return {
      version: this.options.version,
      pid: process.pid,
      dataDir: core.dataDir,
      startedAt: this.startedAt,
      folders: [...this.folders.values()].map((folder) => ({ id: folder.id, name: folder.record.name, runtime: folder.runtime() })),
      jobs: [...this.jobs.values()],
      mediaRoots: [...this.options.mediaRoots],
      media: this.media.list(),
      pause: this.pause.state(),
    };
  }

  /** The running folder with this id, or null. */
  liveFolder(folderId: string): LiveFolder | null {
    return this.folders.get(folderId) ?? null;
  }

  /** Resolves once every policy change made so far is applied to the running folders. */
  async whenApplied(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.applying;
      await current;
    } while (current !== this.applying);
  }

  /** Runs a folder's jobs of one protection now; 'not-found' when the folder is not running here. */
  runJobs(folderId: string, kind: ProtectionKind): Promise<number> {
    return this.live(folderId).runJobs(kind);
  }

  unlock(folderId: string, passphrase: string): Promise<void> {
    return this.live(folderId).withKey((protection) => protection.unlock!(passphrase));
  }

  /** Wipes the agent's key and ends the folder's CLI unlock sessions (a vault locked here must not open there). */
  async lock(folderId: string): Promise<void> {
    const folder = this.live(folderId);
    try {
      await folder.withKey(async (protection) => {
        // Locked already (Lock all ends CLI sessions of such folders too): no second 'locked' event.
        if (protection.lockState?.() !== 'locked') await protection.lock!();
      });
    } finally {
      await endFolderSessions(this.options.core.dataDir, folder.record.path);
    }
  }

  async refresh(folderId: string): Promise<void> {
    const record = this.options.core.policy.store.getFolder(folderId);
    if (record !== undefined) await this.folders.get(folderId)?.apply(record, { reattach: true });
  }

  live(folderId: string): LiveFolder {
    const folder = this.folders.get(folderId);
    if (folder === undefined) throw new ApiRequestError('not-found', 'the folder is not running in this agent', '$.folder');
    return folder;
  }

  /** Hears every (throttled) progress report, as the event stream does. */
  onProgress(listener: (job: JobProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Resolves when every file offered so far has been ingested (tests, and a clean stop). */
  whenIdle(): Promise<void> {
    return this.queue.whenIdle();
  }

  private catchUpScan(folder: LiveFolder, unscanned: number): void {
    try {
      this.scans.start(folder, `after the pause: ${unscanned} file(s) were taken in unscanned`);
    } catch (error) {
      this.options.core.log.record({ folderId: folder.id, folderName: folder.record.name, action: 'folder-scanned', result: 'failed', detail: `the scan after the pause could not start: ${(error as Error).message}` });
    }
  }

  private newLiveFolder(record: LiveFolder['record']): LiveFolder {
    const folder = this.createLiveFolder(record);
    if (this.pause.state().paused) folder.setPaused(true);
    return folder;
  }

  private createLiveFolder(record: LiveFolder['record']): LiveFolder {
    return new LiveFolder(record, {
      core: this.options.core,
      scheduler: this.scheduler,
      queue: this.queue,
      verifier: this.options.verifier,
      quietMs: this.options.quietMs,
      changed: (folder) => this.options.broadcast({ type: 'folder', folder: { ...folder.record, runtime: folder.runtime() } }),
      vaultLocked: (folder) => this.endCliSessionsAfterAutoLock(folder),
      progress: this.progress,
    });
  }

  private async sweepCliSessions(): Promise<void> {
    try {
      await sweepEndedSessions(this.options.core.dataDir);
    } catch (error) {
      this.options.core.log.record({ action: 'error', result: 'failed', detail: `removing ended CLI unlock sessions: ${(error as Error).message}` });
    }
  }

  private async endCliSessionsAfterAutoLock(folder: LiveFolder): Promise<void> {
    try {
      await endFolderSessions(this.options.core.dataDir, folder.record.path);
    } catch (error) {
      this.options.core.log.record({ folderId: folder.id, folderName: folder.record.name, action: 'error', result: 'failed', detail: `ending the CLI unlock session after the auto-lock: ${(error as Error).message}` });
    }
  }

  private async onUpdate(update: PolicyUpdate): Promise<void> {
    const { store } = this.options.core.policy;
    if (update.type === 'folder') {
      const existing = this.folders.get(update.folder.id);
      if (existing !== undefined) return existing.apply(update.folder);
      const folder = this.newLiveFolder(update.folder);
      this.folders.set(folder.id, folder);
      return folder.start();
    }
    if (update.type === 'folder-removed') {
      const folder = this.folders.get(update.folder.id);
      this.folders.delete(update.folder.id);
      await this.scans.stop(update.folder.id);
      await folder?.stop();
      folder?.allowed.drop();
      this.options.broadcast({ type: 'folder-removed', id: update.folder.id });
      return;
    }
    for (const folder of this.folders.values()) {
      const record = store.getFolder(folder.id);
      if (record !== undefined) await folder.apply(record);
    }
  }
}
