// Progress of long jobs: for each, its label, a bar (indeterminate while the total is unknown) and the
// numbers in words, with the rate and the time left.

import type { TrackedJob } from '../state/job-tracker.js';
import { formatBytes, formatDuration } from '../words/format.js';

export function ProgressMeter({ tracked, unit = 'files' }: { tracked: TrackedJob; unit?: string }) {
  const { job, rate, byteRate, secondsLeft } = tracked;
  const processed = job.done + job.failed;
  const parts = [job.total === null ? `${processed.toLocaleString('en')} ${unit} so far` : `${processed.toLocaleString('en')} of ${job.total.toLocaleString('en')} ${unit}`];
  if (job.bytes !== undefined) parts.push(formatBytes(job.bytes));
  if (job.failed > 0) parts.push(`${job.failed.toLocaleString('en')} failed`);
  if (!job.finished && byteRate !== null) parts.push(`${formatBytes(Math.round(byteRate))}/s`);
  if (!job.finished && rate !== null) parts.push(`${rate < 10 ? rate.toFixed(1) : Math.round(rate).toLocaleString('en')} ${unit}/s`);
  if (!job.finished && secondsLeft !== null) parts.push(`about ${formatDuration(secondsLeft)} left`);
  if (job.finished) parts.push('finished');
  return (
    <div className="progress-meter">
      {job.total === null && !job.finished ? (
        <progress aria-label={job.label} />
      ) : (
        <progress aria-label={job.label} max={job.total ?? 1} value={job.total === null ? 1 : processed} />
      )}
      <p className="progress-words" aria-live="polite">{parts.join(' · ')}</p>
    </div>
  );
}

export function JobList({ jobs }: { jobs: readonly TrackedJob[] }) {
  return (
    <ul className="jobs">
      {jobs.map((tracked) => (
        <li key={tracked.job.id}>
          <p className="job-label">{tracked.job.label}</p>
          <ProgressMeter tracked={tracked} />
        </li>
      ))}
    </ul>
  );
}
