// Asks before something that cannot be undone; the action runs from the dialog, which stays open with
// the error in words if it fails.

import type { ReactNode } from 'react';
import { useAction } from '../state/use-load.js';
import { ErrorNotice } from './error-notice.js';
import { ModalDialog } from './modal-dialog.js';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onClose }: ConfirmDialogProps) {
  const action = useAction(async () => {
    await onConfirm();
    onClose();
  });
  return (
    <ModalDialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} disabled={action.busy} onClick={() => void action.run()}>
            {action.busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
      <ErrorNotice error={action.error} />
    </ModalDialog>
  );
}
