// Asks for a new name; the agent's verdict on it (empty, taken, control characters) shows in words.

import { useState, type FormEvent } from 'react';
import { useAction } from '../state/use-load.js';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { ErrorNotice } from './error-notice.js';
import { Field } from './field.js';
import { ModalDialog } from './modal-dialog.js';

export function RenameDialog({ current, onRename, onClose }: { current: string; onRename: (name: string) => Promise<unknown>; onClose: () => void }) {
  const [name, setName] = useState(current);
  const rename = useAction(async () => {
    await onRename(name.trim());
    onClose();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void rename.run();
  };
  const fieldError = errorsByPath(fieldProblems(rename.error))['$.name'];
  return (
    <ModalDialog title="Rename folder" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <Field label="New name" error={fieldError}>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" />
        </Field>
        {fieldError === undefined && <ErrorNotice error={rename.error} />}
        <div className="modal-footer">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={rename.busy}>Rename</button>
        </div>
      </form>
    </ModalDialog>
  );
}
