// Long jobs as the stream reports them (ingest, media scans, migrations), with the rate and time left
// worked out from recent progress: the agent sends counts, the GUI turns them into "120 files/s, 2 min".

import type { JobProgress } from '../../../main/api/index.js';

/** Rates are measured over this much recent history, so they follow changes in speed. */
const WINDOW_MS = 10_000;
/** Finished jobs stay on screen this long. */
const KEEP_FINISHED_MS = 5 * 60_000;

export interface TrackedJob {
  job: JobProgress;
  /** Items per second over the recent window; null until two samples exist. */
  rate: number | null;
  /** Bytes per second, for jobs that count bytes (folder scans); null otherwise. */
  byteRate: number | null;
  /** Seconds left at the current rate; null when the total or the rate is unknown. */
  secondsLeft: number | null;
  finishedAt: number | null;
}

interface Sample {
  at: number;
  done: number;
  bytes: number | null;
}

export class JobTracker {
  private readonly jobs = new Map<string, { job: JobProgress; samples: Sample[]; finishedAt: number | null }>();

  apply(job: JobProgress, now: number): void {
    const entry = this.jobs.get(job.id) ?? { job, samples: [], finishedAt: null };
    entry.job = job;
    entry.samples.push({ at: now, done: job.done + job.failed, bytes: job.bytes ?? null });
    while (entry.samples.length > 2 && entry.samples[0]!.at < now - WINDOW_MS) entry.samples.shift();
    if (job.finished && entry.finishedAt === null) entry.finishedAt = now;
    this.jobs.set(job.id, entry);
  }

  /** Running jobs first (oldest first), then finished ones (newest first); old finished ones dropped. */
  list(now: number): TrackedJob[] {
    for (const [id, entry] of this.jobs) if (entry.finishedAt !== null && now - entry.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id);
    const tracked = [...this.jobs.values()].map(({ job, samples, finishedAt }) => {
      const rate = rateOf(samples, (s) => s.done);
      const byteRate = job.bytes === undefined ? null : rateOf(samples, (s) => s.bytes ?? 0);
      const left = job.total === null ? null : job.total - job.done - job.failed;
      const secondsLeft = job.finished ? 0 : left !== null && rate !== null && rate > 0 ? left / rate : null;
      return { job, rate, byteRate, secondsLeft, finishedAt };
    });
    const running = tracked.filter((t) => t.finishedAt === null);
    const finished = tracked.filter((t) => t.finishedAt !== null).sort((a, b) => b.finishedAt! - a.finishedAt!);
    return [...running, ...finished];
  }
}

function rateOf(samples: readonly Sample[], count: (sample: Sample) => number): number | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const seconds = (last.at - first.at) / 1000;
  return seconds > 0 ? (count(last) - count(first)) / seconds : null;
}
