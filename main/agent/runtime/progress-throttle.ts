// Progress reports at a human pace: at most one every `intervalMs` per job, but the final one always.

import type { JobProgress } from '../../api/index.js';

export function throttleProgress(emit: (job: JobProgress) => void, intervalMs = 200): (job: JobProgress) => void {
  const last = new Map<string, number>();
  return (job) => {
    const now = Date.now();
    if (!job.finished && now - (last.get(job.id) ?? 0) < intervalMs) return;
    last.set(job.id, now);
    if (job.finished) last.delete(job.id);
    emit(job);
  };
}
