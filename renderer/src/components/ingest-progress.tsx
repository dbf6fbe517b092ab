// Files being taken in by a folder, as a progress bar: after encryption is turned on for a folder that
// already holds files, this is the encryption of every one of them ("encrypt in place"). The bar counts
// from the moment files started waiting, so it reads "12 of 40", not a total since the agent started.

import { useRef } from 'react';
import type { Folder } from '../../../main/api/index.js';

export function IngestProgress({ folder }: { folder: Folder }) {
  const batchStart = useRef<number | null>(null);
  const runtime = folder.runtime;
  if (runtime === null) return null;
  const { pending, done, failed } = runtime.ingest;
  const processed = done + failed;
  if (pending === 0) {
    batchStart.current = null;
    return null;
  }
  batchStart.current ??= processed;
  const finished = processed - batchStart.current;
  const total = finished + pending;
  const encrypting = folder.policy.crypt?.enabled === true;
  const label = encrypting ? 'Encrypting the files in this folder' : 'Taking in new files';
  return (
    <div className="progress-meter">
      <p className="job-label">{label}</p>
      <progress aria-label={label} max={total} value={finished} />
      <p className="progress-words" aria-live="polite">
        {`${finished.toLocaleString('en')} of ${total.toLocaleString('en')} files${failed > 0 ? ` · ${failed.toLocaleString('en')} failed so far` : ''}`}
      </p>
    </div>
  );
}
