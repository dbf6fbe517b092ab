// The policy of one folder: which protections are on and their settings. Used to add a folder and to
// change one; errors arrive keyed by JSON path, from local checks or from the agent.

import { useState, type ReactNode } from 'react';
import { ScanAction, type Tier } from '../../../main/api/index.js';
import type { PolicyForm } from '../state/policy-form.js';
import { useAgent } from '../state/agent-context.js';
import { useAction } from '../state/use-load.js';
import { ErrorNotice } from './error-notice.js';
import { Field, Toggle } from './field.js';

export interface PolicyEditorProps {
  form: PolicyForm;
  onChange: (form: PolicyForm) => void;
  /** Problems by JSON path ("$.policy.hsm.settings.tier"). */
  errors: Record<string, string>;
  tiers: readonly Tier[];
  signatureSets: readonly string[];
  /** A tier was defined from here; the caller reloads its list. */
  onTierAdded: (tier: Tier) => void;
  /** More fields for the encryption settings (the add-folder flow asks for the vault's passphrase). */
  cryptExtra?: ReactNode;
}

const ACTION_WORDS: Record<ScanAction, string> = {
  quarantine: 'Move it to quarantine (restorable)',
  block: 'Refuse access to it',
  report: 'Only report it',
};

export function PolicyEditor({ form, onChange, errors, tiers, signatureSets, onTierAdded, cryptExtra }: PolicyEditorProps) {
  const set = <K extends keyof PolicyForm>(kind: K, change: Partial<PolicyForm[K]>) => onChange({ ...form, [kind]: { ...form[kind], ...change } });
  const err = (kind: string, field: string) => errors[`$.policy.${kind}.settings.${field}`];
  /** A problem with the protection as a whole (this build lacks its filter, it shares an altitude...). */
  const whole = (kind: string) => {
    const message = errors[`$.policy.${kind}`] ?? errors[`$.policy.${kind}.enabled`] ?? errors[`$.policy.${kind}.altitude`];
    return message === undefined ? null : <p className="field-error" role="alert">{message}</p>;
  };
  return (
    <div className="policy-editor">
      <fieldset className="protection">
        <legend>Encryption</legend>
        <Toggle label="Encrypt the files in this folder" checked={form.crypt.enabled} onChange={(enabled) => set('crypt', { enabled })}
          hint="Files are stored as standard age files: with the passphrase, the age tool can always open them." />
        {whole('crypt')}
        {form.crypt.enabled && (
          <div className="settings">
            <Field label="Vault name" hint="The vault holds the folder's key. Folders can share a vault." error={err('crypt', 'vault')}>
              <input type="text" value={form.crypt.vault} onChange={(e) => set('crypt', { vault: e.target.value })} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label="Lock after this many idle minutes" hint="0 keeps it unlocked until you lock it." error={err('crypt', 'autoLockMinutes')}>
              <input type="number" min={0} max={10080} value={form.crypt.autoLockMinutes} onChange={(e) => set('crypt', { autoLockMinutes: e.target.value })} />
            </Field>
            {cryptExtra}
          </div>
        )}
      </fieldset>

      <fieldset className="protection">
        <legend>Virus scanning</legend>
        <Toggle label="Scan files written to this folder" checked={form.scan.enabled} onChange={(enabled) => set('scan', { enabled })}
          hint="Infected data never lands in the folder." />
        {whole('scan')}
        {form.scan.enabled && (
          <div className="settings">
            <Field label="Signature set" error={err('scan', 'signatureSet')}>
              <select value={form.scan.signatureSet} onChange={(e) => set('scan', { signatureSet: e.target.value })}>
                {signatureSets.map((name) => (
                  <option key={name} value={name}>{name === 'builtin' ? 'Built-in (EICAR and test signatures)' : name}</option>
                ))}
              </select>
            </Field>
            <Toggle label="Also scan files when they are opened" checked={form.scan.scanOnOpen} onChange={(scanOnOpen) => set('scan', { scanOnOpen })} />
            <Field label="When a threat is found" error={err('scan', 'action')}>
              <select value={form.scan.action} onChange={(e) => set('scan', { action: ScanAction.parse(e.target.value) })}>
                {ScanAction.options.map((action) => <option key={action} value={action}>{ACTION_WORDS[action]}</option>)}
              </select>
            </Field>
          </div>
        )}
      </fieldset>

      <fieldset className="protection">
        <legend>Cold storage</legend>
        <Toggle label="Move files nobody uses to cheaper storage" checked={form.hsm.enabled} onChange={(enabled) => set('hsm', { enabled })}
          hint="A small stub stays; opening it brings the file back." />
        {whole('hsm')}
        {form.hsm.enabled && (
          <div className="settings">
            <Field label="Cold tier" error={err('hsm', 'tier')} hint={tiers.length === 0 ? 'No tier is defined yet: define one below.' : undefined}>
              <select value={form.hsm.tier} onChange={(e) => set('hsm', { tier: e.target.value })}>
                <option value="">Choose a tier</option>
                {tiers.map((tier) => <option key={tier.name} value={tier.name}>{`${tier.name} (${tier.path})`}</option>)}
              </select>
            </Field>
            <NewTierForm onAdded={(tier) => { onTierAdded(tier); set('hsm', { tier: tier.name }); }} />
            <div className="field-row">
              <Field label="Untouched for at least (days)" error={err('hsm', 'minAgeDays')}>
                <input type="number" min={0} step="any" value={form.hsm.minAgeDays} onChange={(e) => set('hsm', { minAgeDays: e.target.value })} />
              </Field>
              <Field label="At least this large (MiB)" error={err('hsm', 'minSizeBytes')}>
                <input type="number" min={0} step="any" value={form.hsm.minSizeMiB} onChange={(e) => set('hsm', { minSizeMiB: e.target.value })} />
              </Field>
              <Field label="Check every (minutes)" error={err('hsm', 'everyMinutes')}>
                <input type="number" min={1} value={form.hsm.everyMinutes} onChange={(e) => set('hsm', { everyMinutes: e.target.value })} />
              </Field>
            </div>
            <div className="field-row">
              <Field label="Include (one pattern per line)" error={err('hsm', 'include')} hint='For example **/*.iso'>
                <textarea rows={3} value={form.hsm.include} onChange={(e) => set('hsm', { include: e.target.value })} spellCheck={false} />
              </Field>
              <Field label="Exclude (one pattern per line)" error={err('hsm', 'exclude')}>
                <textarea rows={3} value={form.hsm.exclude} onChange={(e) => set('hsm', { exclude: e.target.value })} spellCheck={false} />
              </Field>
            </div>
          </div>
        )}
      </fieldset>
    </div>
  );
}

/** Defines a cold tier without leaving the form. */
function NewTierForm({ onAdded }: { onAdded: (tier: Tier) => void }) {
  const { api } = useAgent();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [path, setPath] = useState('');
  const add = useAction(async () => {
    const tier = await api.setTier({ name: name.trim(), path: path.trim() });
    onAdded(tier);
    setOpen(false);
    setName('');
    setPath('');
  });
  if (!open) {
    return (
      <button type="button" className="link-button" onClick={() => setOpen(true)}>
        Define a new tier…
      </button>
    );
  }
  return (
    <div className="inline-form" role="group" aria-label="New cold tier">
      <Field label="Tier name">
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Folder for cold copies" hint="A folder on cheaper storage, as an absolute path.">
        <input type="text" value={path} onChange={(e) => setPath(e.target.value)} autoComplete="off" spellCheck={false} />
      </Field>
      <div className="button-row">
        <button type="button" className="primary" disabled={add.busy} onClick={() => void add.run()}>Add tier</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
      <ErrorNotice error={add.error} />
    </div>
  );
}
