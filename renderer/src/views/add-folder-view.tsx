// Adding a protected folder: where it is, what it is called, and which protections it gets.

import { useState, type FormEvent } from 'react';
import { ApiRequestError, type Folder, type StrataApi } from '../../../main/api/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Field } from '../components/field.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { ViewHeading } from '../components/view-heading.js';
import { useAgent } from '../state/agent-context.js';
import { errorsByPath, fieldProblems } from '../state/form-errors.js';
import { newPolicyForm, policyFromForm } from '../state/policy-form.js';
import { hrefOf, navigate } from '../state/router.js';
import { passphraseProblem } from '../state/passphrase.js';
import { signatureSetNames, usePolicyDocument } from '../state/use-policy-refs.js';
import { useAction } from '../state/use-load.js';

export function AddFolderView() {
  const { api, desktop } = useAgent();
  const refs = usePolicyDocument();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [form, setForm] = useState(newPolicyForm);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [localProblems, setLocalProblems] = useState<Record<string, string>>({});
  const [vaultFailure, setVaultFailure] = useState<{ folder: Folder; error: unknown } | null>(null);
  const add = useAction(async () => {
    const built = policyFromForm(form);
    const problems = built.ok ? {} : errorsByPath(built.problems);
    const passphraseError = form.crypt.enabled ? passphraseProblem(passphrase, again) : null;
    if (passphraseError !== null) problems[PASSPHRASE_PATH] = passphraseError;
    setLocalProblems(problems);
    if (!built.ok || passphraseError !== null) return;
    const folder = await api.addFolder({ path: path.trim(), ...(name.trim() ? { name: name.trim() } : {}), policy: built.policy });
    if (form.crypt.enabled) {
      try {
        await openVault(api, folder, passphrase);
      } catch (error) {
        setVaultFailure({ folder, error });
        return;
      }
    }
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
          cryptExtra={
            <>
              <Field label="Vault passphrase" hint="Creates the vault with it; if the folder already has a vault, unlocks it. Strata never stores it." error={errors[PASSPHRASE_PATH]}>
                <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" />
              </Field>
              <Field label="Repeat the passphrase">
                <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" />
              </Field>
            </>
          }
        />
        <ErrorNotice error={add.error} />
        {vaultFailure !== null && (
          <div role="alert">
            <p>
              {vaultFailure.folder.name} was added, but its vault could not be opened.{' '}
              <a href={hrefOf({ view: 'folder', id: vaultFailure.folder.id })}>Open the folder</a> to try again.
            </p>
            <ErrorNotice error={vaultFailure.error} />
          </div>
        )}
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

const PASSPHRASE_PATH = '$.passphrase';

/** Creates the new folder's vault and unlocks it; a folder that already has a vault is only unlocked. */
async function openVault(api: StrataApi, folder: Folder, passphrase: string): Promise<void> {
  try {
    await api.createVault({ folder: folder.id, passphrase });
  } catch (error) {
    if (!(error instanceof ApiRequestError && error.code === 'conflict')) throw error;
  }
  await api.unlockFolder({ folder: folder.id, passphrase });
}
