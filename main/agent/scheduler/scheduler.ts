// The agent's scheduler: periodic jobs with jitter (HSM migration runs), jobs triggered by a file
// changing (signature reloads when a database file changes) and idle timers (auto-lock). A job never
// overlaps itself; stop() clears every timer, aborts running jobs and waits for them to return.

import { watch, type FSWatcher } from 'chokidar';

export type JobTrigger =
  /** Every `intervalMs`, each wait stretched or shrunk at random by up to ±jitter/2 (0..1) of it. */
  | { kind: 'every'; intervalMs: number; jitter?: number; runAtStart?: boolean }
  /** When any of `paths` (files or folders) changes, once writes have been quiet for `debounceMs`. */
  | { kind: 'file-change'; paths: readonly string[]; debounceMs?: number }
  /** Once `afterMs` have passed without a touch(); touching re-arms it. */
  | { kind: 'idle'; afterMs: number };

export interface JobSpec {
  name: string;
  trigger: JobTrigger;
  run: (signal: AbortSignal) => Promise<void>;
  /** Receives the job's handle once scheduled (an auto-lock timer keeps it to touch on activity). */
  bind?: (handle: JobHandle) => void;
}

export interface JobHandle {
  readonly name: string;
  /** Runs the job now (or joins the run in progress). */
  runNow(): Promise<void>;
  /** For idle jobs: activity happened, start the idle wait again. */
  touch(): void;
  /** Stops the job's triggers and aborts a run in progress. */
  cancel(): Promise<void>;
}

export interface SchedulerOptions {
  /** Source of jitter, [0, 1). */
  random?: () => number;
  onRunStart?: (name: string) => void;
  onRunEnd?: (name: string, error: unknown) => void;
}

const DEFAULT_DEBOUNCE_MS = 500;

export class Scheduler {
  private readonly jobs = new Set<ScheduledJob>();
  private stopped = false;

  constructor(private readonly options: SchedulerOptions = {}) {}

  add(spec: JobSpec): JobHandle {
    if (this.stopped) throw new Error(`the scheduler is stopped; cannot add job '${spec.name}'`);
    const job = new ScheduledJob(spec, this.options, () => this.jobs.delete(job));
    this.jobs.add(job);
    job.start();
    spec.bind?.(job);
    return job;
  }

  get size(): number {
    return this.jobs.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.jobs].map((job) => job.cancel()));
  }
}

class ScheduledJob implements JobHandle {
  private timer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private running: Promise<void> | null = null;
  private abort = new AbortController();
  private cancelled = false;

  constructor(
    private readonly spec: JobSpec,
    private readonly options: SchedulerOptions,
    private readonly forget: () => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  start(): void {
    const trigger = this.spec.trigger;
    if (trigger.kind === 'every') {
      if (trigger.runAtStart) void this.runNow();
      this.armEvery();
    } else if (trigger.kind === 'idle') {
      this.touch();
    } else {
      this.watcher = watch([...trigger.paths], { ignoreInitial: true, persistent: false });
      this.watcher.on('all', () => this.arm(trigger.debounceMs ?? DEFAULT_DEBOUNCE_MS));
      this.watcher.on('error', () => undefined); // a vanished database folder must not crash the agent
    }
  }

  runNow(): Promise<void> {
    if (this.cancelled) return Promise.resolve();
    this.running ??= this.runOnce().finally(() => (this.running = null));
    return this.running;
  }

  touch(): void {
    if (this.cancelled || this.spec.trigger.kind !== 'idle') return;
    this.arm(this.spec.trigger.afterMs);
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort(new Error(`job '${this.spec.name}' cancelled`));
    await this.watcher?.close();
    await this.running?.catch(() => undefined);
    this.forget();
  }

  private armEvery(): void {
    const trigger = this.spec.trigger as Extract<JobTrigger, { kind: 'every' }>;
    const jitter = Math.min(1, Math.max(0, trigger.jitter ?? 0));
    const factor = 1 - jitter / 2 + (this.options.random ?? Math.random)() * jitter;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runNow().finally(() => {
        if (!this.cancelled) this.armEvery();
      });
    }, Math.max(1, Math.round(trigger.intervalMs * factor)));
    this.timer.unref();
  }

  /** One-shot timer (debounce, idle): re-arming replaces the pending one. */
  private arm(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runNow();
    }, delayMs);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    this.options.onRunStart?.(this.spec.name);
    let failure: unknown = undefined;
    try {
      await this.spec.run(this.abort.signal);
    } catch (error) {
      failure = error;
    }
    this.options.onRunEnd?.(this.spec.name, failure);
  }
}
