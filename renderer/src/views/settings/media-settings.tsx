// What happens when a USB stick or another removable medium is plugged in.

import { useEffect, useState, type FormEvent } from 'react';
import { BUILTIN_SIGNATURE_SET, ScanAction, type MediaPolicy } from '../../../../main/api/index.js';
import { ErrorNotice } from '../../components/error-notice.js';
import { Field, Toggle } from '../../components/field.js';
import { useAgent } from '../../state/agent-context.js';
import { useAction } from '../../state/use-load.js';

export function MediaSettings({ media, signatureSets, onChanged }: { media: MediaPolicy; signatureSets: readonly string[]; onChanged: () => void }) {
  const { api } = useAgent();
  const [form, setForm] = useState(media);
  const [saved, setSaved] = useState(false);
  useEffect(() => setForm(media), [JSON.stringify(media)]);
  const save = useAction(async () => {
    await api.setMediaPolicy(form);
    setSaved(true);
    onChanged();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    void save.run();
  };
  return (
    <section className="panel" aria-labelledby="media-settings-heading">
      <h2 id="media-settings-heading">Removable media</h2>
      <form onSubmit={submit} noValidate>
        <Toggle label="Scan removable media when they are plugged in" checked={form.scanOnMount} onChange={(scanOnMount) => setForm({ ...form, scanOnMount })} />
        <Field label="Signature set">
          <select value={form.scan.signatureSet} onChange={(e) => setForm({ ...form, scan: { ...form.scan, signatureSet: e.target.value } })}>
            {[BUILTIN_SIGNATURE_SET, ...signatureSets].map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </Field>
        <Field label="When a threat is found">
          <select value={form.scan.action} onChange={(e) => setForm({ ...form, scan: { ...form.scan, action: ScanAction.parse(e.target.value) } })}>
            <option value="quarantine">Move it to quarantine</option>
            <option value="block">Refuse access to it</option>
            <option value="report">Only report it</option>
          </select>
        </Field>
        <ErrorNotice error={save.error} />
        <div className="button-row">
          <button type="submit" className="primary" disabled={save.busy}>Save</button>
          {saved && <span role="status" className="saved">Saved.</span>}
        </div>
      </form>
    </section>
  );
}
