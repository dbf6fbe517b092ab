// A dialog that asks for one value (a new name, a passphrase) and runs an action with it; the agent's
// refusal shows in words next to the field when it concerns the field, else under it.

import { useState, type FormEvent, type ReactNode } from 'react';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { useAction } from '../state/use-load.js';
import { ErrorNotice } from './error-notice.js';
import { Field } from './field.js';
import { ModalDialog } from './modal-dialog.js';

export interface PromptDialogProps {
  title: string;
  intro?: ReactNode;
  label: string;
  initial?: string;
  secret?: boolean;
  /** The JSON path the agent reports a problem with this value at ("$.name"). */
  path: string;
  submitLabel: string;
  busyLabel: string;
  /** Runs with the value; the dialog closes when it succeeds. */
  onSubmit: (value: string) => Promise<unknown>;
  onClose: () => void;
}

export function PromptDialog(props: PromptDialogProps) {
  const [value, setValue] = useState(props.initial ?? '');
  const action = useAction(async () => {
    await props.onSubmit(value);
    props.onClose();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run();
  };
  const fieldError = errorsByPath(fieldProblems(action.error))[props.path];
  return (
    <ModalDialog title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {props.intro}
        <Field label={props.label} error={fieldError}>
          <input
            type={props.secret ? 'password' : 'text'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoFocus
            autoComplete={props.secret ? 'current-password' : 'off'}
          />
        </Field>
        {fieldError === undefined && <ErrorNotice error={action.error} />}
        <div className="modal-footer">
          <button type="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={action.busy || value === ''}>{action.busy ? props.busyLabel : props.submitLabel}</button>
        </div>
      </form>
    </ModalDialog>
  );
}
