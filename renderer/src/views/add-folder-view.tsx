// Adding a protected folder: where it is, what it is called, and which protections it gets.

import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/error-notice.js';
import { Field } from '../components/field.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { ViewHeading } from '../components/view-heading.js';
import { useAgent } from '../state/agent-context.js';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { newPolicyForm, policyFromForm } from '../state/policy-form.js';
import { navigate } from '../state/router.js';
import { signatureSetNames, usePolicyDocument } from '../state/use-policy-refs.js';
import { useAction } from '../state/use-load.js';

export function AddFolderView() {
  const { api, desktop } = useAgent();
  const refs = usePolicyDocument();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [form, setForm] = useState(newPolicyForm);
  const [localProblems, setLocalProblems] = useState<Record<string, string>>({});
  const add = useAction(async () => {
    const built = policyFromForm(form);
    if (!built.ok) {
      setLocalProblems(errorsByPath(built.problems));
      return;
    }
    setLocalProblems({});
    const folder = await api.addFolder({ path: path.trim(), ...(name.trim() ? { name: name.trim() } : {}), policy: built.policy });
    navigate({ view: 'folder', id: folder.id });
  });
  const errors = { ...errorsByPath(fieldProblems(add.error)), ...localProblems };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void add.run();
  };
  const choose = async () => {
    const picked = await desktop?.pickFolder();
    if (picked) setPath(picked);
  };

  return (
    <div className="view">
      <ViewHeading>Add a protected folder</ViewHeading>
      <form onSubmit={submit} noValidate>
        <div className="field-row">
          <Field label="Folder" hint="The absolute path of the folder to protect, for example /home/me/Documents." error={errors['$.path']}>
            <input type="text" value={path} onChange={(e) => setPath(e.target.value)} autoComplete="off" spellCheck={false} required />
          </Field>
          {desktop !== null && (
            <button type="button" className="align-end" onClick={() => void choose()}>
              Choose…
            </button>
          )}
        </div>
        <Field label="Name (optional)" hint="Defaults to the folder's own name." error={errors['$.name']}>
          <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <PolicyEditor
          form={form}
          onChange={setForm}
          errors={errors}
          tiers={refs.value?.tiers ?? []}
          signatureSets={signatureSetNames(refs.value)}
          onTierAdded={refs.reload}
        />
        <ErrorNotice error={add.error} />
        {Object.keys(localProblems).length > 0 && <p className="field-error" role="alert">Some values need attention (marked above).</p>}
        <div className="button-row">
          <button type="submit" className="primary" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add folder'}
          </button>
          <a className="button" href="#/">Cancel</a>
        </div>
      </form>
    </div>
  );
}
