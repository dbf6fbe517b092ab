// The first screen: whether protection is paused, every protected folder with its state and
// protections, threats found lately, and the long jobs running now.

import { useState } from 'react';
import type { Folder } from '../../../main/api/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { PausePanel } from '../components/pause-panel.js';
import { ProtectionChips } from '../components/protection-chips.js';
import { JobList } from '../components/progress-meter.js';
import { StateBadge } from '../components/state-badge.js';
import { UnlockDialog } from '../components/unlock-dialog.js';
import { ViewHeading } from '../components/view-heading.js';
import { folderHealth } from '../state/folder-health.js';
import { hrefOf } from '../state/router.js';
import { useEventLog } from '../state/use-event-log.js';
import { useFolders } from '../state/use-folders.js';
import { useJobs } from '../state/use-jobs.js';
import { formatCount } from '../words/format.js';

/** A threat is logged when found, and again as quarantined or blocked: each file counts once. */
const THREATS = { actions: ['threat-found', 'quarantined', 'blocked'] } as const;

export function DashboardView() {
  const folders = useFolders();
  const jobs = useJobs().filter((t) => !t.job.finished);
  const threats = useEventLog(THREATS, 1000);
  const threatCount = new Set(threats.events?.map((e) => `${e.folderId ?? e.folderName}\0${e.path}`)).size;
  return (
    <div className="view">
      <ViewHeading actions={<a className="button primary" href={hrefOf({ view: 'add-folder' })}>Add folder</a>}>
        Protected folders
      </ViewHeading>
      <ErrorNotice error={folders.error} />
      <PausePanel />
      <dl className="tiles">
        <div className="tile">
          <dt>Folders</dt>
          <dd>{folders.value?.length ?? '…'}</dd>
        </div>
        <div className={threatCount > 0 ? 'tile tile-alert' : 'tile'}>
          <dt>Threats found</dt>
          <dd>
            {threats.events === undefined ? '…' : threatCount}
            {threatCount > 0 && <a href={hrefOf({ view: 'quarantine' })}> Review</a>}
          </dd>
        </div>
        <div className="tile">
          <dt>Jobs running</dt>
          <dd>{jobs.length}</dd>
        </div>
      </dl>
      {jobs.length > 0 && (
        <section aria-label="Jobs running" className="panel">
          <h2>Working on</h2>
          <JobList jobs={jobs} />
        </section>
      )}
      {folders.value !== undefined && folders.value.length === 0 && (
        <div className="empty">
          <p>No folders are protected yet.</p>
          <p>
            <a href={hrefOf({ view: 'add-folder' })}>Add a folder</a> to encrypt it, scan what lands in it, or move its cold files to cheaper storage.
          </p>
        </div>
      )}
      <ul className="folder-cards" aria-label="Folders">
        {folders.value?.map((folder) => (
          <FolderCard key={folder.id} folder={folder} onChanged={(changed) => folders.update((list) => list?.map((f) => (f.id === changed.id ? changed : f)))} />
        ))}
      </ul>
    </div>
  );
}

function FolderCard({ folder, onChanged }: { folder: Folder; onChanged: (folder: Folder) => void }) {
  const health = folderHealth(folder);
  const ingest = folder.runtime?.ingest;
  const [unlocking, setUnlocking] = useState(false);
  const lock = folder.runtime?.protections.find((p) => p.kind === 'crypt' && p.state === 'active')?.lock;
  return (
    <li className="card">
      <div className="card-head">
        <h2>
          <a href={hrefOf({ view: 'folder', id: folder.id })}>{folder.name}</a>
        </h2>
        <StateBadge tone={health.tone}>{health.words}</StateBadge>
      </div>
      <p className="path">{folder.path}</p>
      <ProtectionChips folder={folder} />
      {health.reasons.length > 0 && (
        <ul className="reasons">
          {health.reasons.map((reason) => <li key={reason}>{reason}</li>)}
        </ul>
      )}
      {ingest !== undefined && ingest.pending > 0 && <p className="muted">{formatCount(ingest.pending, 'file')} waiting to be taken in</p>}
      {lock === 'locked' && (
        <div className="button-row">
          <StateBadge tone="warn">Locked</StateBadge>
          <button type="button" onClick={() => setUnlocking(true)} aria-label={`Unlock ${folder.name}`}>Unlock…</button>
        </div>
      )}
      {lock === 'unlocked' && <p><StateBadge tone="good">Unlocked</StateBadge></p>}
      {unlocking && <UnlockDialog folder={folder} onUnlocked={onChanged} onClose={() => setUnlocking(false)} />}
    </li>
  );
}
