// Work a folder's protections can do on request: scan every file now, move cold files now (HSM
// migration) or reload the signature databases (scanning), with the progress of this folder's jobs.

import { useState } from 'react';
import type { Folder, ProtectionKind } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { useJobs } from '../state/use-jobs.js';
import { useAction } from '../state/use-load.js';
import { ErrorNotice } from './error-notice.js';
import { JobList } from './progress-meter.js';

const ACTIONS: Partial<Record<ProtectionKind, { label: string; busy: string; done: string }>> = {
  hsm: { label: 'Move cold files now', busy: 'Moving cold files…', done: 'Cold files moved.' },
  scan: { label: 'Reload signatures', busy: 'Reloading signatures…', done: 'Signatures reloaded.' },
};

export function RunNowPanel({ folder }: { folder: Folder }) {
  const kinds = (folder.runtime?.protections ?? []).filter((p) => p.state === 'active' && ACTIONS[p.kind] !== undefined).map((p) => p.kind);
  const jobs = useJobs().filter((tracked) => tracked.job.folderId === folder.id);
  if (kinds.length === 0 && jobs.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="work-heading">
      <h2 id="work-heading">Work</h2>
      <div className="button-row">
        {kinds.includes('scan') && <ScanFolderButton folder={folder} running={jobs.some((t) => t.job.kind === 'folder-scan' && !t.job.finished)} />}
        {kinds.map((kind) => <RunButton key={kind} folder={folder} kind={kind} />)}
      </div>
      <JobList jobs={jobs} />
    </section>
  );
}

function ScanFolderButton({ folder, running }: { folder: Folder; running: boolean }) {
  const { api } = useAgent();
  const start = useAction(() => api.startScan({ folder: folder.id }));
  return (
    <>
      <button type="button" disabled={running || start.busy} onClick={() => void start.run()}>{running ? 'Scanning this folder…' : 'Scan this folder now'}</button>
      <ErrorNotice error={start.error} />
    </>
  );
}

function RunButton({ folder, kind }: { folder: Folder; kind: ProtectionKind }) {
  const { api } = useAgent();
  const words = ACTIONS[kind]!;
  const [finished, setFinished] = useState(false);
  const run = useAction(async () => {
    setFinished(false);
    await api.runJobs({ folder: folder.id, protection: kind });
    setFinished(true);
  });
  return (
    <>
      <button type="button" disabled={run.busy} onClick={() => void run.run()}>
        {run.busy ? words.busy : words.label}
      </button>
      {finished && <span role="status" className="saved">{words.done}</span>}
      <ErrorNotice error={run.error} />
    </>
  );
}
