// Restoring and deleting a quarantined file, each asked for first. Restoring says plainly that the
// file is infected and needs a box ticked; if a file now has its name, it says so in words and offers
// to replace it — never replaces on its own.

import { useEffect, useRef, useState } from 'react';
import { ApiRequestError, type QuarantineItem } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { useAction } from '../state/use-load.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ErrorNotice } from './error-notice.js';
import { ModalDialog } from './modal-dialog.js';

function nameOf(item: QuarantineItem): string {
  return item.path ?? item.originPath;
}

/** The agent refused because a file exists where the original was. */
export function isExistsError(error: unknown): boolean {
  return error instanceof ApiRequestError && error.code === 'conflict' && error.path === '$.overwrite';
}

export function QuarantineRestoreDialog({ item, onRestored, onClose }: { item: QuarantineItem; onRestored: (where: string) => void; onClose: () => void }) {
  const { api } = useAgent();
  const [understood, setUnderstood] = useState(false);
  // The safe choice has the focus (the dialog would otherwise focus the box, its first control).
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const frame = requestAnimationFrame(() => cancel.current?.focus());
    return () => cancelAnimationFrame(frame);
  }, []);
  const restore = useAction(async (overwrite: boolean) => {
    const result = await api.restoreQuarantined({ id: item.id, acknowledgeInfected: true, overwrite });
    onRestored(result.restoredTo);
    onClose();
  });
  const exists = isExistsError(restore.error);
  return (
    <ModalDialog
      title={`Restore ${nameOf(item)}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" ref={cancel} onClick={onClose}>Cancel</button>
          {exists ? (
            <button type="button" className="danger" disabled={restore.busy || !understood} onClick={() => void restore.run(true)}>
              {restore.busy ? 'Working…' : 'Replace the existing file'}
            </button>
          ) : (
            <button type="button" className="danger" disabled={restore.busy || !understood} onClick={() => void restore.run(false)}>
              {restore.busy ? 'Working…' : 'Restore'}
            </button>
          )}
        </>
      }
    >
      <p>
        This file contains <strong>{item.signature}</strong>. Restoring puts it back at <span className="path">{item.originPath}</span>
        {item.folderName !== null ? `, through ${item.folderName}'s protections, and Strata will not quarantine it there again.` : '.'}
      </p>
      <label className="toggle">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
        <span>I understand that this file is infected and I want it back</span>
      </label>
      {exists ? (
        <div className="notice notice-warn" role="alert">
          <p className="notice-title">A file named {nameOf(item)} is already there.</p>
          <p>Restoring now would replace it with the quarantined file. Cancel to keep it, or replace it.</p>
        </div>
      ) : (
        <ErrorNotice error={restore.error} />
      )}
    </ModalDialog>
  );
}

export function QuarantineDeleteDialog({ item, onDeleted, onClose }: { item: QuarantineItem; onDeleted: () => void; onClose: () => void }) {
  const { api } = useAgent();
  return (
    <ConfirmDialog
      title={`Delete ${nameOf(item)} for good?`}
      confirmLabel="Delete for good"
      danger
      onConfirm={async () => {
        await api.deleteQuarantined({ id: item.id });
        onDeleted();
      }}
      onClose={onClose}
    >
      <p>The quarantined copy ({item.signature}) is deleted. It cannot be restored afterwards.</p>
    </ConfirmDialog>
  );
}
