// Creating an encrypted folder's vault: a new key, wrapped by a passphrase the user types twice. The
// passphrase is the only way back to the files (with Strata or the stock age tool): it is never stored.

import { useState, type FormEvent } from 'react';
import type { Folder } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { useAction } from '../state/use-load.js';
import { ErrorNotice } from './error-notice.js';
import { Field } from './field.js';
import { ModalDialog } from './modal-dialog.js';
import { passphraseProblem } from '../state/passphrase.js';

export function CreateVaultDialog({ folder, onCreated, onClose }: { folder: Folder; onCreated: (folder: Folder) => void; onClose: () => void }) {
  const { api } = useAgent();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const create = useAction(async () => {
    const problem = passphraseProblem(passphrase, again);
    setLocal(problem);
    if (problem !== null) return;
    await api.createVault({ folder: folder.id, passphrase });
    onCreated(await api.unlockFolder({ folder: folder.id, passphrase }));
    onClose();
  });
  const fieldError = local ?? errorsByPath(fieldProblems(create.error))['$.passphrase'];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };
  return (
    <ModalDialog title={`Create the vault of ${folder.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p>Choose a passphrase. It is the only way to your files (with Strata, or the age tool); Strata never stores it, and no one can recover it for you.</p>
        <Field label="New passphrase" error={fieldError}>
          <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus autoComplete="new-password" />
        </Field>
        <Field label="Repeat the passphrase">
          <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
        </Field>
        {fieldError === undefined && <ErrorNotice error={create.error} />}
        <div className="modal-footer">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={create.busy}>{create.busy ? 'Creating…' : 'Create and unlock'}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
