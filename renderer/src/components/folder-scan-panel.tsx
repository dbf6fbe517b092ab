// Full scans of protected folders on request: a "Scan now" for each folder whose virus scanning is on,
// each running scan with its progress (files, bytes, rate) and a Cancel, and what the recent scans found.

import type { Folder, ScanReport } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { useFolders } from '../state/use-folders.js';
import { useJobs } from '../state/use-jobs.js';
import { useAction, useLoad } from '../state/use-load.js';
import { formatBytes, formatCount, formatDateTime, formatRelativeTime } from '../words/format.js';
import { ErrorNotice } from './error-notice.js';
import { ProgressMeter } from './progress-meter.js';
import { StateBadge, type Tone } from './state-badge.js';

const STATE_WORDS: Record<ScanReport['state'], [string, Tone]> = {
  running: ['running', 'neutral'],
  finished: ['finished', 'good'],
  cancelled: ['cancelled', 'warn'],
  failed: ['failed', 'bad'],
};

export function scannable(folder: Folder): boolean {
  return folder.runtime?.protections.some((p) => p.kind === 'scan' && p.state === 'active') === true;
}

export function FolderScanPanel() {
  const { api } = useAgent();
  const folders = useFolders();
  const jobs = useJobs().filter((tracked) => tracked.job.kind === 'folder-scan');
  // Reload the results whenever a scan starts or ends.
  const ended = jobs.filter((t) => t.job.finished).length;
  const scans = useLoad(() => api.listScans({}), [api, jobs.length, ended]);
  const running = jobs.filter((t) => !t.job.finished);
  const candidates = (folders.value ?? []).filter(scannable);
  return (
    <section className="panel" aria-labelledby="folder-scans-heading">
      <h2 id="folder-scans-heading">Scan a folder</h2>
      <ErrorNotice error={folders.error} />
      {folders.value !== undefined && candidates.length === 0 && <p className="muted">No folder has virus scanning on. Turn it on in a folder's protections to scan it here.</p>}
      <ul className="item-list">
        {candidates.map((folder) => (
          <li key={folder.id}>
            <span>{folder.name}</span>
            <ScanButton folder={folder} busy={running.some((t) => t.job.folderId === folder.id)} />
          </li>
        ))}
      </ul>
      {running.length > 0 && (
        <ul className="jobs" aria-label="Scans running">
          {running.map((tracked) => (
            <li key={tracked.job.id}>
              <p className="job-label">{tracked.job.label}</p>
              <ProgressMeter tracked={tracked} />
              <CancelButton id={tracked.job.id} label={tracked.job.label} />
            </li>
          ))}
        </ul>
      )}
      <h3>Recent results</h3>
      <ErrorNotice error={scans.error} />
      {scans.value?.scans.length === 0 && <p className="muted">No folder has been scanned since the agent started.</p>}
      <ul className="scan-results">
        {scans.value?.scans.filter((scan) => scan.state !== 'running').map((scan) => <ScanResult key={scan.id} scan={scan} />)}
      </ul>
    </section>
  );
}

function ScanButton({ folder, busy }: { folder: Folder; busy: boolean }) {
  const { api } = useAgent();
  const start = useAction(() => api.startScan({ folder: folder.id }));
  return (
    <>
      <button type="button" disabled={busy || start.busy} onClick={() => void start.run()} aria-label={`Scan ${folder.name} now`}>
        {busy ? 'Scanning…' : 'Scan now'}
      </button>
      <ErrorNotice error={start.error} />
    </>
  );
}

function CancelButton({ id, label }: { id: string; label: string }) {
  const { api } = useAgent();
  const cancel = useAction(() => api.cancelScan({ id }));
  return (
    <>
      <button type="button" disabled={cancel.busy} onClick={() => void cancel.run()} aria-label={`Cancel ${label}`}>
        {cancel.busy ? 'Cancelling…' : 'Cancel scan'}
      </button>
      <ErrorNotice error={cancel.error} />
    </>
  );
}

function ScanResult({ scan }: { scan: ScanReport }) {
  const [words, tone] = STATE_WORDS[scan.state];
  const threats = scan.infected.length;
  const when = scan.finishedAt ?? scan.startedAt;
  return (
    <li className="scan-result">
      <p>
        <strong>{scan.folderName}</strong> <StateBadge tone={threats > 0 ? 'bad' : tone}>{threats > 0 ? formatCount(threats, 'threat') + ' found' : words}</StateBadge>{' '}
        <time className="muted" dateTime={when} title={formatDateTime(when)}>{formatRelativeTime(when)}</time>
      </p>
      <p className="muted">
        {[
          `${formatCount(scan.files, 'file')}, ${formatBytes(scan.bytes)} scanned at ${formatBytes(Math.round(scan.bytesPerSecond))}/s`,
          ...(scan.state === 'cancelled' ? ['cancelled before the end'] : []),
          ...(scan.skippedOffline > 0 ? [`${formatCount(scan.skippedOffline, 'file')} in cold storage left alone`] : []),
          ...(scan.errors > 0 ? [`${formatCount(scan.errors, 'file')} could not be read`] : []),
          ...(scan.message !== null ? [scan.message] : []),
        ].join(' · ')}
      </p>
      {threats > 0 && (
        <ul aria-label={`Threats found in ${scan.folderName}`}>
          {scan.infected.map((threat) => <li key={threat.path}><span className="path">{threat.path}</span> — {threat.signature}</li>)}
        </ul>
      )}
    </li>
  );
}
