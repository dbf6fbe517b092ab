// Unlocking an encrypted folder: the passphrase goes to the agent, which keeps the key in memory until
// the folder locks again. A wrong passphrase is said in words next to the field, and changes nothing.

import { useState, type FormEvent } from 'react';
import type { Folder } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { useAction } from '../state/use-load.js';
import { ErrorNotice } from './error-notice.js';
import { Field } from './field.js';
import { ModalDialog } from './modal-dialog.js';

export function UnlockDialog({ folder, onUnlocked, onClose }: { folder: Folder; onUnlocked: (folder: Folder) => void; onClose: () => void }) {
  const { api } = useAgent();
  const [passphrase, setPassphrase] = useState('');
  const unlock = useAction(async () => {
    onUnlocked(await api.unlockFolder({ folder: folder.id, passphrase }));
    onClose();
  });
  const fieldError = errorsByPath(fieldProblems(unlock.error))['$.passphrase'];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void unlock.run();
  };
  return (
    <ModalDialog title={`Unlock ${folder.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>Strata keeps the key in memory until the folder locks again{autoLockWords(folder)}.</p>
        <Field label="Passphrase" error={fieldError}>
          <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus autoComplete="current-password" />
        </Field>
        {fieldError === undefined && <ErrorNotice error={unlock.error} />}
        <div className="modal-footer">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={unlock.busy || passphrase === ''}>{unlock.busy ? 'Unlocking…' : 'Unlock'}</button>
        </div>
      </form>
    </ModalDialog>
  );
}

function autoLockWords(folder: Folder): string {
  const minutes = folder.policy.crypt?.settings.autoLockMinutes ?? 0;
  return minutes > 0 ? ` (after ${minutes} idle minute${minutes === 1 ? '' : 's'}, or when you lock it)` : ' (when you lock it)';
}
