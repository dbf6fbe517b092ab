// Files taken out of the way because they carried a threat: each kept item (where it came from, the
// threat, when, how big) with Restore and Delete — both asked for first — and the history of threats
// as the event log records them.

import { useState } from 'react';
import type { QuarantineItem } from '../../../main/api/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { EventTable } from '../components/event-table.js';
import { QuarantineDeleteDialog, QuarantineRestoreDialog } from '../components/quarantine-dialogs.js';
import { ViewHeading } from '../components/view-heading.js';
import { useAgent } from '../state/agent-context.js';
import { useEventLog } from '../state/use-event-log.js';
import { useLoad } from '../state/use-load.js';
import { formatBytes, formatDateTime, formatRelativeTime } from '../words/format.js';

const HISTORY = { actions: ['quarantined', 'threat-found', 'blocked', 'restored', 'quarantine-deleted'] } as const;

export function QuarantineView() {
  const { api } = useAgent();
  const log = useEventLog(HISTORY, 200);
  // The kept items change whenever a threat is quarantined, restored or deleted: reload on those events.
  const newest = log.events?.[0]?.id ?? 0;
  const items = useLoad(() => api.listQuarantine({}), [api, newest]);
  const [dialog, setDialog] = useState<{ kind: 'restore' | 'delete'; item: QuarantineItem } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <div className="view">
      <ViewHeading>Quarantine</ViewHeading>
      <p>Infected files never land in a protected folder: the original is kept here, encrypted, until you restore or delete it.</p>
      {done !== null && <p role="status" className="saved">{done}</p>}
      <section className="panel" aria-labelledby="kept-heading">
        <h2 id="kept-heading">Kept in quarantine</h2>
        <ErrorNotice error={items.error} />
        {items.value === undefined && items.error === null && <p>Loading…</p>}
        {items.value?.items.length === 0 && <p className="muted">The quarantine is empty.</p>}
        {items.value !== undefined && items.value.items.length > 0 && (
          <div className="table-scroll">
            <table className="quarantine">
              <caption className="visually-hidden">Files kept in quarantine</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Folder</th>
                  <th scope="col">Threat</th>
                  <th scope="col">Found</th>
                  <th scope="col">Size</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {items.value.items.map((item) => (
                  <tr key={item.id}>
                    <td className="path">{item.path ?? item.originPath}</td>
                    <td>{item.folderName ?? <span className="muted">not a protected folder</span>}</td>
                    <td>{item.signature}</td>
                    <td><time dateTime={item.detectedAt} title={formatDateTime(item.detectedAt)}>{formatRelativeTime(item.detectedAt)}</time></td>
                    <td>{formatBytes(item.size)}</td>
                    <td className="row-actions">
                      <button type="button" onClick={() => setDialog({ kind: 'restore', item })} aria-label={`Restore ${item.path ?? item.originPath}…`}>Restore…</button>
                      <button type="button" className="danger" onClick={() => setDialog({ kind: 'delete', item })} aria-label={`Delete ${item.path ?? item.originPath}…`}>Delete…</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <ErrorNotice error={log.error} />
        {log.events === undefined ? <p>Loading…</p> : <EventTable events={log.events} caption="Threats found and quarantined" />}
        {log.hasOlder && <button type="button" onClick={() => void log.loadOlder()}>Show older</button>}
      </section>
      {dialog?.kind === 'restore' && (
        <QuarantineRestoreDialog
          item={dialog.item}
          onRestored={(where) => { setDone(`Restored to ${where}.`); items.reload(); }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <QuarantineDeleteDialog
          item={dialog.item}
          onDeleted={() => { setDone(`Deleted ${dialog.item.path ?? dialog.item.originPath} for good.`); items.reload(); }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
