// The folder's files as Strata sees them: one directory at a time through the folder's protections, so
// sizes are the real (plaintext) sizes and a file moved to cold storage shows as such, at its real size.
// With cold storage on, each file can be kept local (pinned), let go again, or brought back now. A link,
// named pipe, socket or device (a reparse point) is shown for what it is, with no size and no action: Strata
// neither follows nor opens it, so a link to a folder is not a folder to go into.

import { useState } from 'react';
import type { Folder, FolderFile } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { useAction, useLoad } from '../state/use-load.js';
import { formatBytes, formatDateTime, formatRelativeTime } from '../words/format.js';
import { ErrorNotice } from './error-notice.js';
import { StateBadge } from './state-badge.js';

/** `version` changes when something in the folder happened (an event): the listing is read again. */
export function FolderFilesPanel({ folder, version, onChanged }: { folder: Folder; version: number; onChanged: () => void }) {
  const { api } = useAgent();
  const [path, setPath] = useState('');
  const [tick, setTick] = useState(0);
  const listing = useLoad(() => api.listFiles({ folder: folder.id, path }), [api, folder.id, path, version, tick]);
  const tiering = folder.runtime?.protections.some((p) => p.kind === 'hsm' && p.state === 'active') === true;
  const parts = path === '' ? [] : path.split('/');
  const changed = () => {
    setTick((n) => n + 1);
    onChanged();
  };
  return (
    <section className="panel" aria-labelledby="files-heading">
      <h2 id="files-heading">Files</h2>
      <nav aria-label="Where in the folder" className="crumbs">
        <button type="button" className="link-button" onClick={() => setPath('')} aria-current={path === '' ? 'location' : undefined}>{folder.name}</button>
        {parts.map((part, i) => (
          <span key={parts.slice(0, i + 1).join('/')}>
            {' / '}
            <button type="button" className="link-button" onClick={() => setPath(parts.slice(0, i + 1).join('/'))} aria-current={i === parts.length - 1 ? 'location' : undefined}>{part}</button>
          </span>
        ))}
      </nav>
      <ErrorNotice error={listing.error} />
      {listing.value?.entries.length === 0 && <p className="muted">This folder is empty.</p>}
      {listing.value !== undefined && listing.value.entries.length > 0 && (
        <div className="table-scroll">
          <table className="files">
            <caption className="visually-hidden">{`Files in ${path === '' ? folder.name : path}`}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">Where the data is</th>
                <th scope="col">Changed</th>
                {tiering && <th scope="col"><span className="visually-hidden">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {listing.value.entries.map((file) => (
                <tr key={file.path}>
                  <td>
                    {isFolder(file)
                      ? <button type="button" className="link-button" onClick={() => setPath(file.path)} aria-label={`Open folder ${file.name}`}>{file.name}/</button>
                      : <span className="path">{file.name}</span>}
                  </td>
                  <td>{isFile(file) ? <span title={`${file.size.toLocaleString('en')} bytes`}>{formatBytes(file.size)}</span> : ''}</td>
                  <td><Whereabouts file={file} /></td>
                  <td><time dateTime={file.modifiedAt} title={formatDateTime(file.modifiedAt)}>{formatRelativeTime(file.modifiedAt)}</time></td>
                  {tiering && <td className="row-actions">{isFile(file) && <FileActions folder={folder} file={file} onChanged={changed} />}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A folder to go into: a link to one is not followed. */
function isFolder(file: FolderFile): boolean {
  return file.directory && !file.reparse;
}

/** A file with data of its own that pin, unpin and recall can act on. */
function isFile(file: FolderFile): boolean {
  return !file.directory && !file.reparse;
}

/** What a reparse point is, in words; null for anything else. */
function reparsePointWords(file: FolderFile): string | null {
  if (!file.reparse) return null;
  return file.directory ? 'Link to a folder — not followed' : 'Link, named pipe, socket or device — not opened';
}

function Whereabouts({ file }: { file: FolderFile }) {
  const reparse = reparsePointWords(file);
  if (reparse !== null) return <StateBadge tone="neutral">{reparse}</StateBadge>;
  if (file.directory) return null;
  return (
    <span className="chips-inline">
      {file.offline ? <StateBadge tone="neutral">In cold storage (stub)</StateBadge> : <StateBadge tone="good">Local</StateBadge>}
      {file.pinned && <StateBadge tone="good">Pinned</StateBadge>}
      {file.encrypted && <StateBadge tone="neutral">Encrypted</StateBadge>}
    </span>
  );
}

function FileActions({ folder, file, onChanged }: { folder: Folder; file: FolderFile; onChanged: () => void }) {
  const { api } = useAgent();
  const act = useAction(async (what: 'pin' | 'unpin' | 'recall') => {
    const request = { folder: folder.id, path: file.path };
    if (what === 'pin') await api.pinFile(request);
    if (what === 'unpin') await api.unpinFile(request);
    if (what === 'recall') await api.recallFile(request);
    onChanged();
  });
  return (
    <>
      {file.pinned
        ? <button type="button" disabled={act.busy} onClick={() => void act.run('unpin')} aria-label={`Unpin ${file.path}`}>Unpin</button>
        : <button type="button" disabled={act.busy} onClick={() => void act.run('pin')} aria-label={`Keep ${file.path} local`}>Keep local</button>}
      {file.offline && <button type="button" disabled={act.busy} onClick={() => void act.run('recall')} aria-label={`Bring back ${file.path}`}>Bring back</button>}
      <ErrorNotice error={act.error} />
    </>
  );
}
