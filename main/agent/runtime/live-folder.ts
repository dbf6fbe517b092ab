// One protected folder in the running agent: its filter stack (the write tracker at the bottom, one
// minifilter per enabled protection above it), its watcher feeding the ingest queue, and its jobs.
// Policy changes attach and detach protections live; detaching drains the filter's in-flight I/O. A folder
// is mounted only where a protected folder may be (checked again at each start: it may have appeared
// since the policy named it, or lead elsewhere through a symlink).

import { existsSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderFile, FolderRuntime, JobProgress, Protection, ProtectionKind, ProtectionRuntime } from '../../api/index.js';
import { ApiRequestError, PROTECTION_KINDS, isInside } from '../../api/index.js';
import type { AgentCore } from '../agent-core.js';
import { mountFolderStack, openFolderStack, type FolderStack } from '../folder-stack.js';
import { stampOf, type FileStamp } from '../ingest/file-stamp.js';
import { FolderWatcher } from '../ingest/folder-watcher.js';
import { ingestFile, type IngestOutcome } from '../ingest/ingest-file.js';
import { IngestLedger } from '../ingest/ingest-ledger.js';
import { isSettledOwnWrite, type OwnWriteContext } from '../ingest/own-write.js';
import { HoldJudge } from '../ingest/original-hold.js';
import type { IngestQueue } from '../ingest/ingest-queue.js';
import { isStrataPath } from '../ingest/strata-names.js';
import { registerWriteTracker } from '../ingest/write-tracker.js';
import { checkFolderPath } from '../policy/folder-path.js';
import type { FolderRecord } from '../policy/policy-store.js';
import type { ActiveProtection, ColdStorageControl, ProtectionContext } from '../protections/provider.js';
import { AllowedThreats } from '../quarantine/allowed-threats.js';
import { PROTECTION_NAMES_IN_WORDS } from './protection-words.js';
import { listThroughStack } from './folder-listing.js';
import type { JobHandle, JobSpec, Scheduler } from '../scheduler/scheduler.js';
import { Serial } from './serial.js';

/** How often changed ingest counts are reported on the event stream while files are taken in. */
const COUNTS_REPORT_MS = 250;

const MAX_RETRIES = 3;
const RETRY_BASE_MS = 1000;

export interface LiveFolderDeps {
  core: AgentCore;
  scheduler: Scheduler;
  queue: IngestQueue;
  verifier: boolean;
  quietMs: number;
  /** The folder's live state changed (for the event stream). */
  changed: (folder: LiveFolder) => void;
  /** A protection's own job (the auto-lock) locked the folder's vault. */
  vaultLocked: (folder: LiveFolder) => Promise<void>;
  progress: (job: JobProgress) => void;
}

interface Attached {
  protection: ActiveProtection;
  jobs: JobHandle[];
  /** What it was attached with: a different key means detach and attach again. */
  key: string;
}

export class LiveFolder {
  private stack: FolderStack | null = null;
  private watcher: FolderWatcher | null = null;
  private readonly attached = new Map<ProtectionKind, Attached>();
  private readonly failures = new Map<ProtectionKind, string>();
  private readonly serial = new Serial();
  private state: FolderRuntime['state'] = 'starting';
  private message: string | null = null;
  private readonly counts = { done: 0, failed: 0 };
  /** Set while a report of changed ingest counts waits to go out (at most one per COUNTS_REPORT_MS). */
  private countsReport: NodeJS.Timeout | null = null;
  /** Files whose ingest failed, with how often: retried a few times, further apart each time. */
  private readonly failedTries = new Map<string, number>();
  readonly ledger: IngestLedger;
  private sweptTemps = false;
  private readonly holds: HoldJudge;
  /** Detections the user allowed here by restoring files from quarantine. */
  readonly allowed: AllowedThreats;
  private paused = false;
  /** Files taken in while on-access scanning was paused: the folder gets a scan when it resumes. */
  private ingestedWhilePaused = 0;

  constructor(public record: FolderRecord, private readonly deps: LiveFolderDeps) {
    this.ledger = new IngestLedger(deps.core.store.db, record.id);
    this.allowed = new AllowedThreats(deps.core.store.db, record.id);
    // A writer quiet for this long after ingest replaced its file is taken to be done with it.
    this.holds = new HoldJudge(Math.max(2000, 5 * deps.quietMs));
  }

  get id(): string {
    return this.record.id;
  }

  start(): Promise<void> {
    return this.serial.run(() => this.startNow());
  }

  /** Applies a changed policy (or changed tiers and signature sets it refers to); `reattach` redoes all. */
  apply(record: FolderRecord, options: { reattach?: boolean } = {}): Promise<void> {
    return this.serial.run(async () => {
      this.record = record;
      if (this.stack === null) return this.startNow();
      if (options.reattach === true) {
        await this.quiesceIngest();
        for (const kind of [...this.attached.keys()]) await this.detach(kind);
      }
      await this.reconcile();
      this.deps.changed(this);
    });
  }

  /** Runs `fn` on the folder's protection that holds a key (crypt); a clear error when there is none. */
  async withKey(fn: (protection: ActiveProtection) => Promise<void>): Promise<void> {
    const protection = [...this.attached.values()].map((a) => a.protection).find((p) => p.lockState !== undefined);
    if (protection === undefined) {
      const failure = this.failures.get('crypt');
      throw new ApiRequestError('conflict', failure ?? `${this.record.name} is not an encrypted folder with an active vault`, '$.folder');
    }
    await fn(protection);
    this.deps.changed(this);
  }

  stop(): Promise<void> {
    return this.serial.run(async () => {
      await this.stopNow();
      this.state = 'stopped';
      this.deps.changed(this);
    });
  }

  /** Tries again to start a folder that was missing or failed. */
  retry(): Promise<void> {
    return this.serial.run(async () => {
      if (this.state === 'missing' || this.state === 'failed') await this.startNow();
    });
  }

  runtime(): FolderRuntime {
    const protections: ProtectionRuntime[] = PROTECTION_KINDS.flatMap((kind) => {
      const protection = this.record.policy[kind];
      if (protection === undefined) return [];
      const provider = this.deps.core.providers[kind];
      const failure = this.failures.get(kind);
      const state = !protection.enabled ? 'disabled' : this.attached.has(kind) ? 'active' : provider.unavailableReason !== null ? 'unavailable' : failure !== undefined ? 'failed' : 'disabled';
      const lock = this.attached.get(kind)?.protection.lockState?.();
      return [{ kind, state, altitude: protection.altitude, message: failure ?? (state === 'unavailable' ? provider.unavailableReason : null), ...(lock === undefined ? {} : { lock }) }];
    });
    const pending = this.deps.queue.pendingFor(this.id) + (this.watcher?.waiting ?? 0);
    return { state: this.state, message: this.message, protections, ingest: { pending, done: this.counts.done, failed: this.counts.failed } };
  }

  /** The queue's worker for this folder's files. */
  async ingest(relativePath: string, signal: AbortSignal): Promise<boolean> {
    const stack = this.stack;
    if (stack === null) return false;
    const outcome = await ingestFile({
      ...this.ownWrites(),
      stack,
      restored: (path, absolutePath) => this.allowed.isRestoredContent(path, absolutePath),
    }, relativePath, signal);
    this.report(relativePath, outcome);
    if (this.paused && outcome.kind === 'ingested') this.ingestedWhilePaused++;
    // Counted: files taken in (or refused as threats); a file found unchanged is no work done.
    if (outcome.kind === 'ingested' || outcome.kind === 'refused') this.counts.done++;
    if (outcome.kind === 'failed') this.counts.failed++;
    this.reportCounts();
    return outcome.kind !== 'failed';
  }

  private async startNow(): Promise<void> {
    await this.stopNow();
    const { path } = this.record;
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      this.setState('missing', `there is no folder at ${path}`);
      return;
    }
    // Stored paths were checked when the folder did not exist yet, or may lead elsewhere since (a symlink):
    // where it really is must still be a place a protected folder may be.
    const refusal = this.placeRefusal();
    if (refusal !== null) {
      if (this.state !== 'failed' || this.message !== refusal) {
        this.deps.core.log.record({ folderId: this.id, folderName: this.record.name, action: 'folder-mounted', result: 'failed', detail: refusal });
      }
      this.setState('failed', refusal);
      return;
    }
    try {
      this.stack = await openFolderStack(path, {
        verifier: this.deps.verifier,
        onDriverFailure: (error) => this.deps.core.log.record({ folderId: this.id, folderName: this.record.name, action: 'error', result: 'failed', detail: error.message }),
        setup: (manager) => void registerWriteTracker(manager, {
          begin: (stream, relativePath) => this.ledger.beginWrite(stream, relativePath),
          end: (stream, relativePath) => void stat(join(path, relativePath)).then(
            (stats) => {
              this.ledger.endWrite(stream, stampOf(stats), relativePath);
              this.lookAgainAfterOwnWrite(relativePath, stampOf(stats));
            },
            () => this.ledger.endWrite(stream, null, relativePath),
          ),
        }),
      });
      // Protections attach before the first open mounts the volume, so mount interception sees them all;
      // then the folder is mounted at once (the HSM recovers what a crash left before anyone waits on it).
      await this.reconcile();
      await mountFolderStack(this.stack);
      this.setState('running', null);
      this.deps.core.log.record({ folderId: this.id, folderName: this.record.name, action: 'folder-mounted', result: 'ok', detail: path });
    } catch (error) {
      await this.stopNow();
      this.setState('failed', (error as Error).message);
      this.deps.core.log.record({ folderId: this.id, folderName: this.record.name, action: 'folder-mounted', result: 'failed', detail: (error as Error).message });
    }
  }

  /** What tells Strata's own writes apart: the ledger, and the protections that may want one taken in all the same. */
  private ownWrites(): OwnWriteContext {
    return { root: this.record.path, ledger: this.ledger, protections: () => [...this.attached.values()].map((a) => a.protection) };
  }

  /**
   * A write of the stack's ended: if it left the file in a form a protection does not keep (an HSM recall
   * under crypt writes plaintext), the file goes to the watcher. Its own look may have come while the write
   * was still going on (a large recall's hash outlasts the settle), which passed it over as Strata's.
   */
  private lookAgainAfterOwnWrite(relativePath: string, stamp: FileStamp): void {
    const watcher = this.watcher;
    if (watcher === null || isStrataPath(relativePath)) return;
    void isSettledOwnWrite(this.ownWrites(), relativePath, stamp).then((own) => {
      if (!own) watcher.retryLater(relativePath);
    });
  }

  /** Why the folder cannot be protected where it really is (in or around the data dir, nested with another), or null. */
  private placeRefusal(): string | null {
    let real: string;
    try {
      real = checkFolderPath(this.record.path, this.deps.core.dataDir);
    } catch (error) {
      return `${(error as Error).message}; not protected`;
    }
    const other = this.deps.core.policy.store.listFolderPlaces().find((f) => f.id !== this.id && (isInside(real, f.path) || isInside(f.path, real)));
    return other === undefined ? null : `${this.record.path} leads to ${real}, which nests with the protected folder ${other.path} ('${other.name}'); not protected`;
  }

  /** The GUI shows ingest (the first encryption of a folder's files) as it goes: counts go out at a human pace. */
  private reportCounts(): void {
    if (this.countsReport !== null) return;
    this.countsReport = setTimeout(() => {
      this.countsReport = null;
      this.deps.changed(this);
      // Waiting files also drop without an ingest (the watcher finds one was Strata's own write): keep
      // reporting until nothing waits, so the last report says so.
      if (this.runtime().ingest.pending > 0) this.reportCounts();
    }, COUNTS_REPORT_MS);
    this.countsReport.unref();
  }

  private async stopNow(): Promise<void> {
    await this.quiesceIngest();
    if (this.countsReport !== null) clearTimeout(this.countsReport);
    this.countsReport = null;
    await this.holds.flush();
    for (const kind of [...this.attached.keys()]) await this.detach(kind);
    if (this.stack !== null) {
      const stack = this.stack;
      this.stack = null;
      await stack.close();
    }
  }

  /**
   * Makes the attached protections and the watcher match the policy. Ingest pauses while protections
   * change (no copy goes through a half-changed stack), and if the protections that take files in are
   * not those the ledger's records were made under, every file is taken in again under the new ones.
   */
  private async reconcile(): Promise<void> {
    const stack = this.stack!;
    const changes = PROTECTION_KINDS.flatMap((kind) => {
      const protection = this.record.policy[kind];
      const wanted = protection?.enabled === true ? this.keyOf(kind, protection) : null;
      const current = this.attached.get(kind);
      return current?.key === wanted || (current === undefined && wanted === null) ? [] : [{ kind, protection, wanted }];
    });
    if (changes.length > 0) await this.quiesceIngest();
    for (const { kind, protection, wanted } of changes) {
      if (this.attached.has(kind)) await this.detach(kind);
      this.failures.delete(kind);
      if (wanted !== null) await this.attach(kind, protection!, wanted, stack);
    }
    const ingesting = [...this.attached.values()].filter((a) => this.deps.core.providers[a.protection.kind].ingests);
    this.ledger.useProtections(ingesting.map((a) => `${a.protection.kind}@${a.protection.altitude}`).sort().join(','));
    if (ingesting.length > 0 && this.watcher === null) await this.startWatcher();
    if (ingesting.length === 0) await this.quiesceIngest();
  }

  /** Stops taking files in and waits until nothing of this folder is being ingested or written. */
  private async quiesceIngest(): Promise<void> {
    await this.watcher?.stop();
    this.watcher = null;
    this.deps.queue.dropFolder(this.id);
    while (this.deps.queue.pendingFor(this.id) > 0) await sleep(20);
    // The last copies' stamps are recorded a moment after their handles close (bounded: a user's own
    // handle open for writing through Strata must not hold this up).
    for (let waited = 0; this.ledger.writingCount > 0 && waited < 2000; waited += 20) await sleep(20);
  }

  private async attach(kind: ProtectionKind, protection: Protection<ProtectionKind>, key: string, stack: FolderStack): Promise<void> {
    const provider = this.deps.core.providers[kind] as { attach(context: ProtectionContext, protection: Protection<ProtectionKind>): Promise<ActiveProtection> };
    try {
      const active = await provider.attach(this.context(stack), protection);
      if (this.paused) active.setPaused?.(true);
      const jobs = active.jobs.map((spec) => this.deps.scheduler.add({ ...spec, name: `${this.record.name}: ${spec.name}`, run: this.noticingLocks(active, spec.run) }));
      this.attached.set(kind, { protection: active, jobs, key });
    } catch (error) {
      this.failures.set(kind, (error as Error).message);
      this.deps.core.log.record({ folderId: this.id, folderName: this.record.name, action: 'error', result: 'failed', detail: `${kind}: ${(error as Error).message}` });
    }
  }

  /** A job of a protection with a key that locks it (the auto-lock) is reported: the agent ends the CLI's sessions too. */
  private noticingLocks(active: ActiveProtection, run: JobSpec['run']): JobSpec['run'] {
    if (active.lockState === undefined) return run;
    return async (signal) => {
      const before = active.lockState?.();
      await run(signal);
      if (before === 'unlocked' && active.lockState?.() === 'locked') await this.deps.vaultLocked(this);
    };
  }

  private async detach(kind: ProtectionKind): Promise<void> {
    const current = this.attached.get(kind);
    if (current === undefined) return;
    this.attached.delete(kind);
    await Promise.all(current.jobs.map((job) => job.cancel()));
    await current.protection.detach();
  }

  private async startWatcher(): Promise<void> {
    const watcher = new FolderWatcher({
      root: this.record.path,
      quietMs: this.deps.quietMs,
      offer: (relativePath) => this.deps.queue.offer({ folderId: this.id, relativePath }),
      isOwn: (relativePath, stamp) => isSettledOwnWrite(this.ownWrites(), relativePath, stamp),
      onRemoved: (relativePath) => this.ledger.forget(relativePath),
      onError: (error) => this.deps.core.log.record({ folderId: this.id, folderName: this.record.name, action: 'error', result: 'failed', detail: `watcher: ${error.message}` }),
      isIdle: () => this.deps.queue.pendingFor(this.id) === 0,
    });
    this.watcher = watcher;
    await watcher.start();
    // Temporary copies are swept once, before this agent's first ingest here: they are a crash's leftovers.
    await watcher.rescan({ recoverLeftovers: !this.sweptTemps });
    this.sweptTemps = true;
  }

  /** Runs the jobs of one protection now (a migration, a signature reload); resolves when they end. */
  async runJobs(kind: ProtectionKind): Promise<number> {
    const jobs = this.attached.get(kind)?.jobs ?? [];
    await Promise.all(jobs.map((job) => job.runNow()));
    return jobs.length;
  }

  /** The queue has room again: let the settler offer what it holds. */
  resume(): void {
    this.watcher?.resume();
  }

  private report(relativePath: string, outcome: IngestOutcome): void {
    const base = { folderId: this.id, folderName: this.record.name, path: relativePath };
    const log = this.deps.core.log;
    switch (outcome.kind) {
      case 'ingested':
        this.failedTries.delete(relativePath);
        this.holds.later(outcome.hold, join(this.record.path, relativePath), () => {
          log.record({ ...base, action: 'ingested', result: 'skipped', detail: 'the file was written again while it was being taken in; that edit was kept and is taken in again' });
          this.watcher?.retryLater(relativePath);
        });
        log.record({ ...base, action: 'ingested', result: 'ok', detail: `${outcome.size} bytes through ${[...this.attached.keys()].join(', ')}` });
        break;
      case 'busy':
        this.watcher?.retryLater(relativePath);
        break;
      case 'refused':
        // The filter has logged the threat itself (with its signature); this says what became of the drop.
        log.record({ ...base, action: 'ingested', result: 'refused', detail: outcome.detail });
        break;
      case 'failed': {
        log.record({ ...base, action: 'ingested', result: 'failed', detail: outcome.detail });
        const tries = (this.failedTries.get(relativePath) ?? 0) + 1;
        this.failedTries.set(relativePath, tries);
        if (tries <= MAX_RETRIES) setTimeout(() => this.watcher?.retryLater(relativePath), RETRY_BASE_MS * 2 ** tries).unref();
        break;
      }
      case 'unchanged':
        break;
    }
  }

  private context(stack: FolderStack): ProtectionContext {
    const { core } = this.deps;
    return {
      folder: this.record,
      stack,
      dataDir: core.dataDir,
      store: core.store,
      record: (event) => core.log.record({ ...event, folderId: this.id, folderName: this.record.name }),
      progress: (job) => this.deps.progress({ ...job, folderId: this.id }),
      tier: (name) => core.policy.store.listTiers().find((t) => t.name.toLowerCase() === name.toLowerCase()),
      signatureSet: (name) => core.policy.store.listSignatureSets().find((s) => s.name.toLowerCase() === name.toLowerCase()),
      allowedThreat: (path, signature) => this.allowed.isAllowed(path, signature),
      rescan: () => void this.watcher?.rescan(),
      coldContentGate: (head) => this.notInKeptForm(head),
    };
  }

  /** Why content with this head must wait before going to cold storage: the first such reason of a protection on, or null. */
  private notInKeptForm(head: Uint8Array): string | null {
    for (const kind of PROTECTION_KINDS) {
      if (this.record.policy[kind]?.enabled !== true) continue;
      const reason = this.deps.core.providers[kind].notInKeptForm?.(head) ?? null;
      if (reason !== null) return reason;
    }
    return null;
  }

  /** The folder's running protection of `kind`, or a conflict that says why there is none. */
  protection(kind: ProtectionKind): ActiveProtection {
    const attached = this.attached.get(kind)?.protection;
    if (attached !== undefined) return attached;
    const failure = this.failures.get(kind);
    throw new ApiRequestError('conflict', failure !== undefined
      ? `${PROTECTION_NAMES_IN_WORDS[kind]} failed in ${this.record.name}: ${failure}`
      : `${PROTECTION_NAMES_IN_WORDS[kind]} is not on for ${this.record.name}`, '$.folder');
  }

  coldStorage(): ColdStorageControl {
    return this.protection('hsm').coldStorage!;
  }

  /** One directory of the folder through its stack (plaintext sizes, stubs at their real size). */
  async listFiles(relativePath: string): Promise<FolderFile[]> {
    const stack = this.stack;
    if (stack === null) throw new ApiRequestError('conflict', `${this.record.name} is not running: ${this.message ?? this.state}`, '$.folder');
    const hsm = this.attached.get('hsm')?.protection.coldStorage;
    const pinned = hsm === undefined ? [] : (await hsm.status()).pinned;
    return listThroughStack(stack, relativePath, (path) => hsm?.isPinned(path, pinned) ?? false);
  }

  /** On-access scanning paused or resumed; answers how many files were taken in (unscanned) while paused. */
  setPaused(paused: boolean): number {
    const unscanned = this.ingestedWhilePaused;
    this.paused = paused;
    this.ingestedWhilePaused = 0;
    for (const { protection } of this.attached.values()) protection.setPaused?.(paused);
    return paused ? 0 : unscanned;
  }

  /** The protection plus the tier or signature set it refers to: a change to either means re-attach. */
  private keyOf(kind: ProtectionKind, protection: Protection<ProtectionKind>): string {
    const context = this.context(this.stack!);
    const settings = protection.settings as { tier?: string; signatureSet?: string };
    const refs = { tier: settings.tier === undefined ? null : context.tier(settings.tier), set: settings.signatureSet === undefined ? null : context.signatureSet(settings.signatureSet) };
    return JSON.stringify({ kind, protection, refs });
  }

  private setState(state: FolderRuntime['state'], message: string | null): void {
    this.state = state;
    this.message = message;
    this.deps.changed(this);
  }
}
