// Cold tiers: where cold copies of files go.

import { useState, type FormEvent } from 'react';
import type { Tier } from '../../../../main/api/index.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Field } from '../../components/field.js';
import { useAgent } from '../../state/agent-context.js';
import { errorsByPath, fieldProblems } from '../../state/form-errors.js';
import { useAction } from '../../state/use-load.js';

export function TierSettings({ tiers, onChanged }: { tiers: readonly Tier[]; onChanged: () => void }) {
  const { api } = useAgent();
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const save = useAction(async () => {
    await api.setTier({ name: name.trim(), path: path.trim() });
    setName('');
    setPath('');
    onChanged();
  });
  const errors = errorsByPath(fieldProblems(save.error));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <section className="panel" aria-labelledby="tiers-heading">
      <h2 id="tiers-heading">Cold tiers</h2>
      {tiers.length === 0 && <p className="muted">No cold tier is defined.</p>}
      <ul className="item-list">
        {tiers.map((tier) => (
          <li key={tier.name}>
            <strong>{tier.name}</strong>
            <span className="path">{tier.path}</span>
            <button type="button" className="link-button" onClick={() => { setName(tier.name); setPath(tier.path); }}>Edit</button>
            <button type="button" className="link-button danger-text" onClick={() => setRemoving(tier.name)}>Remove</button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate className="inline-form" aria-label="Add or move a cold tier">
        <Field label="Tier name" error={errors['$.name']}>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Folder for cold copies (absolute path)" error={errors['$.path']}>
          <input type="text" value={path} onChange={(e) => setPath(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
        <ErrorNotice error={save.error} />
        <button type="submit" className="primary" disabled={save.busy}>Save tier</button>
      </form>
      {removing !== null && (
        <ConfirmDialog title={`Remove the tier ${removing}?`} confirmLabel="Remove" danger
          onConfirm={async () => { await api.removeTier({ name: removing }); onChanged(); }}
          onClose={() => setRemoving(null)}>
          <p>Only a tier no folder uses can be removed. Cold copies already there are not deleted.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
