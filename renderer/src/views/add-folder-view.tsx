// Adding a protected folder: where it is, what it is called, and which protections it gets.

import { useState, type FormEvent } from 'react';
import { ApiRequestError, type Folder, type StrataApi } from '../../../main/api/index.js';
import { ErrorNotice } from '../components/error-notice.js';
import { Field } from '../components/field.js';
import { PolicyEditor } from '../components/policy-editor.js';
import { PromptDialog } from '../components/prompt-dialog.js';
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
  /** The folder was added, and it has a vault of its own already: its passphrase is asked for. */
  const [existingVault, setExistingVault] = useState<Folder | null>(null);
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
        if ((await createVault(api, folder, passphrase)) === 'exists') {
          setExistingVault(folder);
          return;
        }
        await api.unlockFolder({ folder: folder.id, passphrase });
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
              <Field label="Vault passphrase" hint="Creates the vault with it; if the folder already has a vault, you are asked for that vault's own passphrase instead. Strata never stores it." error={errors[PASSPHRASE_PATH]}>
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
      {existingVault !== null && (
        <PromptDialog
          title={`${existingVault.name} already has a vault`}
          intro={
            <p>
              {existingVault.path} already holds a vault (its .strata-vault folder), made earlier or elsewhere: the
              passphrase you chose was not used, and nothing was created. Enter the passphrase of that vault. Unlocking it
              proves its key is yours; until then Strata encrypts nothing in this folder. If the vault is not yours, cancel.
            </p>
          }
          label="Passphrase of the existing vault"
          secret
          path={PASSPHRASE_PATH}
          submitLabel="Unlock"
          busyLabel="Unlocking…"
          onSubmit={(existing) => api.unlockFolder({ folder: existingVault.id, passphrase: existing })}
          onClose={() => navigate({ view: 'folder', id: existingVault.id })}
        />
      )}
    </div>
  );
}

const PASSPHRASE_PATH = '$.passphrase';

/**
 * Creates the new folder's vault; 'exists' when the folder has one already (the agent's 'conflict'). That
 * vault is not the user's new one: it is unlocked with its own passphrase, never with the one just chosen.
 */
async function createVault(api: StrataApi, folder: Folder, passphrase: string): Promise<'created' | 'exists'> {
  try {
    await api.createVault({ folder: folder.id, passphrase });
    return 'created';
  } catch (error) {
    if (error instanceof ApiRequestError && error.code === 'conflict') return 'exists';
    throw error;
  }
}
