// Signature sets: named lists of ClamAV database files (or folders of them) that scanning can use.

import type { SignatureSet } from '../../../../main/api/index.js';
import { NamedItemsPanel } from '../../components/named-items-panel.js';
import { useAgent } from '../../state/agent-context.js';

export function SignatureSetSettings({ sets, onChanged }: { sets: readonly SignatureSet[]; onChanged: () => void }) {
  const { api } = useAgent();
  return (
    <NamedItemsPanel
      title="Signature databases"
      intro={<p className="muted">The built-in set (EICAR and test signatures) is always there. Add ClamAV databases (.hdb .hsb .ndb .ldb .cvd .cld) as named sets.</p>}
      items={sets}
      locationOf={(set) => set.paths}
      location={{ label: 'Database files or folders (one absolute path per line)', multiline: true, path: '$.paths' }}
      formLabel="Add or change a signature set"
      saveLabel="Save signature set"
      removeNote="The database files stay on disk. A set still used by a folder cannot be removed."
      save={(name, paths) => api.setSignatureSet({ name, paths })}
      remove={(name) => api.removeSignatureSet({ name })}
      onChanged={onChanged}
    />
  );
}
