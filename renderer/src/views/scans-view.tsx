// Scans and other long work: full folder scans (start, progress, cancel, results), each other running
// job with its progress, rate and time left; removable media and how their scans went; the latest scan events.

import type { AgentStatus } from '../../../main/api/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { EventTable } from '../components/event-table.js';
import { FolderScanPanel } from '../components/folder-scan-panel.js';
import { JobList } from '../components/progress-meter.js';
import { StateBadge, type Tone } from '../components/state-badge.js';
import { ViewHeading } from '../components/view-heading.js';
import { useAgent } from '../state/agent-context.js';
import { useEventLog } from '../state/use-event-log.js';
import { useJobs } from '../state/use-jobs.js';
import { useLoad } from '../state/use-load.js';

const SCAN_RESULTS = { actions: ['scanned', 'threat-found', 'quarantined', 'blocked', 'medium-scanned', 'folder-scanned'] } as const;
const MEDIUM_TONES: Record<AgentStatus['media'][number]['state'], Tone> = { mounted: 'neutral', scanning: 'neutral', scanned: 'good', failed: 'bad' };

export function ScansView() {
  const { api } = useAgent();
  const jobs = useJobs().filter((tracked) => tracked.job.kind !== 'folder-scan');
  const status = useLoad(() => api.status({}), [api]);
  const results = useEventLog(SCAN_RESULTS, 50);
  return (
    <div className="view">
      <ViewHeading>Scans and jobs</ViewHeading>
      <FolderScanPanel />
      <section className="panel" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        {jobs.length === 0 && <p className="muted">Nothing else is running. New files in protected folders are scanned as they arrive.</p>}
        <JobList jobs={jobs} />
      </section>
      <section className="panel" aria-labelledby="media-heading">
        <h2 id="media-heading">Removable media</h2>
        <ErrorNotice error={status.error} />
        {status.value && status.value.media.length === 0 && <p className="muted">No removable medium is plugged in.</p>}
        <ul>
          {status.value?.media.map((medium) => (
            <li key={medium.path}>
              <span className="path">{medium.path}</span> <StateBadge tone={MEDIUM_TONES[medium.state]}>{medium.state}</StateBadge>
              {medium.message && <span> — {medium.message}</span>}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="results-heading">
        <h2 id="results-heading">Latest results</h2>
        <ErrorNotice error={results.error} />
        {results.events && <EventTable events={results.events} caption="Latest scan results" />}
      </section>
    </div>
  );
}
