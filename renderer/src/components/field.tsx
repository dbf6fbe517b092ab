// A labelled form control with its hint and its error wired up for assistive technology
// (aria-describedby, aria-invalid), the error coming from local checks or the agent alike.

import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactElement<Record<string, unknown>>;
}

export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint !== undefined ? hintId : null, error !== undefined ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className={error !== undefined ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': describedBy || undefined, 'aria-invalid': error !== undefined || undefined })}
      {hint !== undefined && <p className="field-hint" id={hintId}>{hint}</p>}
      {error !== undefined && <p className="field-error" id={errorId}>{error}</p>}
    </div>
  );
}

/** A checkbox with its label beside it. */
export function Toggle({ label, checked, onChange, hint }: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="toggle">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && <p className="field-hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}
