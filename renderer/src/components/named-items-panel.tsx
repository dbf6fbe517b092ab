// A settings panel for named items with a location (cold tiers, signature sets): the list with Edit and
// Remove (after a confirmation), and one form that adds an item or changes the one being edited.

import { useState, type FormEvent, type ReactNode } from 'react';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { useAction } from '../state/use-load.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ErrorNotice } from './error-notice.js';
import { Field } from './field.js';

export interface NamedItemsPanelProps<T extends { name: string }> {
  title: string;
  intro: ReactNode;
  items: readonly T[];
  /** Where the item points, as shown in the list and put in the form to edit it. */
  locationOf: (item: T) => string[];
  location: { label: string; multiline: boolean; /** The JSON path the agent reports its problems at. */ path: string };
  formLabel: string;
  saveLabel: string;
  removeNote: string;
  save: (name: string, locations: string[]) => Promise<unknown>;
  remove: (name: string) => Promise<unknown>;
  onChanged: () => void;
}

export function NamedItemsPanel<T extends { name: string }>(props: NamedItemsPanelProps<T>) {
  const [name, setName] = useState('');
  const [location, setLocation] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const save = useAction(async () => {
    await props.save(name.trim(), location.split('\n').map((line) => line.trim()).filter((line) => line !== ''));
    setName('');
    setLocation('');
    props.onChanged();
  });
  const errors = errorsByPath(fieldProblems(save.error));
  const locationError = errors[props.location.path] ?? Object.entries(errors).find(([path]) => path.startsWith(`${props.location.path}[`))?.[1];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  const headingId = `${props.title.replace(/\W+/g, '-').toLowerCase()}-heading`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{props.title}</h2>
      {props.intro}
      <ul className="item-list">
        {props.items.map((item) => (
          <li key={item.name}>
            <strong>{item.name}</strong>
            <span className="path">{props.locationOf(item).join(', ')}</span>
            <button type="button" className="link-button" onClick={() => { setName(item.name); setLocation(props.locationOf(item).join('\n')); }}>Edit</button>
            <button type="button" className="link-button danger-text" onClick={() => setRemoving(item.name)}>Remove</button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate className="inline-form" aria-label={props.formLabel}>
        <Field label="Name" error={errors['$.name']}>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label={props.location.label} error={locationError}>
          {props.location.multiline ? (
            <textarea rows={3} value={location} onChange={(e) => setLocation(e.target.value)} spellCheck={false} />
          ) : (
            <input type="text" value={location} onChange={(e) => setLocation(e.target.value)} autoComplete="off" spellCheck={false} />
          )}
        </Field>
        <ErrorNotice error={save.error} />
        <button type="submit" className="primary" disabled={save.busy}>{props.saveLabel}</button>
      </form>
      {removing !== null && (
        <ConfirmDialog title={`Remove ${removing}?`} confirmLabel="Remove" danger
          onConfirm={async () => { await props.remove(removing); props.onChanged(); }}
          onClose={() => setRemoving(null)}>
          <p>{props.removeNote}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
