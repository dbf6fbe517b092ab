// How much of a folder is on the local disk and how much is in its cold tier: files, stubs, bytes on
// each side, and what is pinned (kept local).

import type { Folder } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { useLoad } from '../state/use-load.js';
import { formatBytes, formatCount } from '../words/format.js';
import { ErrorNotice } from './error-notice.js';

export function ColdStoragePanel({ folder, version }: { folder: Folder; version: number }) {
  const { api } = useAgent();
  const active = folder.runtime?.protections.some((p) => p.kind === 'hsm' && p.state === 'active') === true;
  const status = useLoad(async () => (active ? api.coldStorageStatus({ folder: folder.id }) : null), [api, folder.id, active, version]);
  if (!active) return null;
  const value = status.value;
  return (
    <section className="panel" aria-labelledby="cold-heading">
      <h2 id="cold-heading">Cold storage</h2>
      <ErrorNotice error={status.error} />
      {value && (
        <>
          <dl className="tiles">
            <div className="tile"><dt>Local</dt><dd>{formatBytes(value.bytesLocal)}</dd></div>
            <div className="tile"><dt>{`In tier ${value.tier}`}</dt><dd>{formatBytes(value.bytesCold)}</dd></div>
            <div className="tile"><dt>Files</dt><dd>{value.files}</dd></div>
            <div className="tile"><dt>Moved (stubs)</dt><dd>{value.stubs}</dd></div>
          </dl>
          <p className="muted">
            {`${formatCount(value.localFiles, 'file')} kept whole on this disk; ${formatCount(value.stubs, 'file')} moved to ${value.tier}, each leaving a small stub that brings it back when opened.`}
          </p>
          <p>{value.pinned.length === 0 ? 'Nothing is pinned.' : `Pinned (always kept local): ${value.pinned.join(', ')}`}</p>
        </>
      )}
    </section>
  );
}
