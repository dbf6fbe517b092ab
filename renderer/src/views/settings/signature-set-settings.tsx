// Signature sets: named lists of ClamAV database files (or folders of them) that scanning can use.

import { useState, type FormEvent } from 'react';
import type { SignatureSet } from '../../../../main/api/index.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Field } from '../../components/field.js';
import { useAgent } from '../../state/agent-context.js';
import { errorsByPath, fieldProblems } from '../../state/form-errors.js';
import { useAction } from '../../state/use-load.js';

export function SignatureSetSettings({ sets, onChanged }: { sets: readonly SignatureSet[]; onChanged: () => void }) {
  const { api } = useAgent();
  const [name, setName] = useState('');
  const [paths, setPaths] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);
  const save = useAction(async () => {
    await api.setSignatureSet({ name: name.trim(), paths: paths.split('\n').map((p) => p.trim()).filter((p) => p !== '') });
    setName('');
    setPaths('');
    onChanged();
  });
  const errors = errorsByPath(fieldProblems(save.error));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };
  return (
    <section className="panel" aria-labelledby="sets-heading">
      <h2 id="sets-heading">Signature databases</h2>
      <p className="muted">The built-in set (EICAR and test signatures) is always there. Add ClamAV databases (.hdb .hsb .ndb .ldb .cvd .cld) as named sets.</p>
      <ul className="item-list">
        {sets.map((set) => (
          <li key={set.name}>
            <strong>{set.name}</strong>
            <span className="path">{set.paths.join(', ')}</span>
            <button type="button" className="link-button" onClick={() => { setName(set.name); setPaths(set.paths.join('\n')); }}>Edit</button>
            <button type="button" className="link-button danger-text" onClick={() => setRemoving(set.name)}>Remove</button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} noValidate className="inline-form" aria-label="Add or change a signature set">
        <Field label="Set name" error={errors['$.name']}>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Database files or folders (one absolute path per line)" error={errors['$.paths'] ?? Object.entries(errors).find(([p]) => p.startsWith('$.paths['))?.[1]}>
          <textarea rows={3} value={paths} onChange={(e) => setPaths(e.target.value)} spellCheck={false} />
        </Field>
        <ErrorNotice error={save.error} />
        <button type="submit" className="primary" disabled={save.busy}>Save signature set</button>
      </form>
      {removing !== null && (
        <ConfirmDialog title={`Remove the signature set ${removing}?`} confirmLabel="Remove" danger
          onConfirm={async () => { await api.removeSignatureSet({ name: removing }); onChanged(); }}
          onClose={() => setRemoving(null)}>
          <p>The database files stay on disk. A set still used by a folder cannot be removed.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
