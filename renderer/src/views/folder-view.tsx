// One protected folder: its live state, its work (scan, move cold files), cold storage totals, its files
// through Strata, its policy (edit and save), rename and remove, and what happened in it lately.

import { useEffect, useState, type FormEvent } from 'react';
import type { Folder } from '../../../main/api/index.js';
import { ColdStoragePanel } from '../components/cold-storage-panel.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { FolderFilesPanel } from '../components/folder-files-panel.js';
import { IngestProgress } from '../components/ingest-progress.js';
import { ErrorNotice } from '../components/error-notice.js';
import { EventTable } from '../components/event-table.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { RenameDialog } from '../components/rename-dialog.js';
import { RunNowPanel } from '../components/run-now-panel.js';
import { VaultPanel } from '../components/vault-panel.js';
import { StateBadge } from '../components/state-badge.js';
import { ViewHeading } from '../components/view-heading.js';
import { useAgent } from '../state/agent-context.js';
import { folderHealth } from '../state/folder-health.js';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { policyForm, policyFromForm } from '../state/policy-form.js';
import { hrefOf, navigate } from '../state/router.js';
import { useEventLog } from '../state/use-event-log.js';
import { useFolder } from '../state/use-folders.js';
import { signatureSetNames, usePolicyDocument } from '../state/use-policy-refs.js';
import { useAction } from '../state/use-load.js';
import { PROTECTION_NAMES, PROTECTION_STATE_WORDS, formatDateTime } from '../words/format.js';

export function FolderView({ id }: { id: string }) {
  const folder = useFolder(id);
  if (folder.value === undefined) {
    return (
      <div className="view">
        <ViewHeading>Folder</ViewHeading>
        {folder.loading ? <p>Loading…</p> : <ErrorNotice error={folder.error} />}
        <p><a href="#/">Back to all folders</a></p>
      </div>
    );
  }
  return <FolderDetails folder={folder.value} onChanged={(f) => folder.update(() => f)} />;
}

function FolderDetails({ folder, onChanged }: { folder: Folder; onChanged: (folder: Folder) => void }) {
  const { api } = useAgent();
  const [dialog, setDialog] = useState<'rename' | 'remove' | null>(null);
  const health = folderHealth(folder);
  const recent = useEventLog({ folder: folder.id }, 20);
  // Something happened in the folder (a file moved, taken in, brought back): views of its files refresh.
  const version = recent.events?.[0]?.id ?? 0;
  const [localChanges, setLocalChanges] = useState(0);
  return (
    <div className="view">
      <ViewHeading
        actions={
          <>
            <button type="button" onClick={() => setDialog('rename')}>Rename…</button>
            <button type="button" className="danger" onClick={() => setDialog('remove')}>Stop protecting…</button>
          </>
        }
      >
        {folder.name}
      </ViewHeading>
      <section className="panel" aria-label="State">
        <p className="path">{folder.path}</p>
        <p><StateBadge tone={health.tone}>{health.words}</StateBadge></p>
        {health.reasons.length > 0 && <ul className="reasons">{health.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
        {folder.runtime !== null && (
          <table className="facts">
            <caption className="visually-hidden">Protections running</caption>
            <tbody>
              {folder.runtime.protections.map((p) => (
                <tr key={p.kind}>
                  <th scope="row">{PROTECTION_NAMES[p.kind]}</th>
                  <td>{PROTECTION_STATE_WORDS[p.state]}{p.message ? ` — ${p.message}` : ''}</td>
                  <td className="muted">altitude {p.altitude}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Files taken in</th>
                <td colSpan={2}>{`${folder.runtime.ingest.done} done, ${folder.runtime.ingest.pending} waiting, ${folder.runtime.ingest.failed} failed`}</td>
              </tr>
            </tbody>
          </table>
        )}
        <IngestProgress folder={folder} />
        <p className="muted">Protected since {formatDateTime(folder.createdAt)}</p>
      </section>
      <VaultPanel folder={folder} onChanged={onChanged} />
      <RunNowPanel folder={folder} />
      <ColdStoragePanel folder={folder} version={version + localChanges} />
      {folder.runtime?.state === 'running' && <FolderFilesPanel folder={folder} version={version} onChanged={() => setLocalChanges((n) => n + 1)} />}
      <PolicySection folder={folder} onSaved={onChanged} />
      <section className="panel" aria-labelledby="recent-events">
        <h2 id="recent-events">Recent events</h2>
        <ErrorNotice error={recent.error} />
        {recent.events && <EventTable events={recent.events} caption={`Recent events of ${folder.name}`} showFolder={false} />}
        <p><a href={hrefOf({ view: 'events', folder: folder.id })}>All events of this folder</a></p>
      </section>
      {dialog === 'rename' && (
        <RenameDialog
          current={folder.name}
          onRename={async (name) => onChanged(await api.updateFolder({ folder: folder.id, name }))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'remove' && (
        <ConfirmDialog
          title={`Stop protecting ${folder.name}?`}
          confirmLabel="Stop protecting"
          danger
          onConfirm={async () => {
            await api.removeFolder({ folder: folder.id });
            navigate({ view: 'dashboard' });
          }}
          onClose={() => setDialog(null)}
        >
          <p>Strata stops watching {folder.path}. The files stay where they are, as they are now.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function PolicySection({ folder, onSaved }: { folder: Folder; onSaved: (folder: Folder) => void }) {
  const { api } = useAgent();
  const refs = usePolicyDocument();
  const [form, setForm] = useState(() => policyForm(folder.policy));
  const [localProblems, setLocalProblems] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const policyKey = JSON.stringify(folder.policy);
  // The stored policy changed (here or elsewhere): show it.
  useEffect(() => setForm(policyForm(folder.policy)), [policyKey]);
  const save = useAction(async () => {
    setSaved(false);
    const built = policyFromForm(form, folder.policy);
    if (!built.ok) {
      setLocalProblems(errorsByPath(built.problems));
      return;
    }
    setLocalProblems({});
    onSaved(await api.updateFolder({ folder: folder.id, policy: built.policy }));
    setSaved(true);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <section className="panel" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Protections</h2>
      <form onSubmit={submit} noValidate>
        <PolicyEditor
          form={form}
          onChange={(next) => { setForm(next); setSaved(false); }}
          errors={{ ...errorsByPath(fieldProblems(save.error)), ...localProblems }}
          tiers={refs.value?.tiers ?? []}
          signatureSets={signatureSetNames(refs.value)}
          onTierAdded={refs.reload}
        />
        <ErrorNotice error={save.error} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={save.busy}>{save.busy ? 'Saving…' : 'Save changes'}</button>
          <button type="button" onClick={() => { setForm(policyForm(folder.policy)); setLocalProblems({}); save.clearError(); }}>Undo changes</button>
          {saved && <span role="status" className="saved">Saved.</span>}
        </div>
      </form>
    </section>
  );
}
