// Cold tiers: where cold copies of files go.

import type { Tier } from '../../../../main/api/index.js';
import { NamedItemsPanel } from '../../components/named-items-panel.js';
import { useAgent } from '../../state/agent-context.js';

export function TierSettings({ tiers, onChanged }: { tiers: readonly Tier[]; onChanged: () => void }) {
  const { api } = useAgent();
  return (
    <NamedItemsPanel
      title="Cold tiers"
      intro={tiers.length === 0 ? <p className="muted">No cold tier is defined.</p> : null}
      items={tiers}
      locationOf={(tier) => [tier.path]}
      location={{ label: 'Folder for cold copies (absolute path)', multiline: false, path: '$.path' }}
      formLabel="Add or move a cold tier"
      saveLabel="Save tier"
      removeNote="Only a tier no folder uses can be removed. Cold copies already there are not deleted."
      save={(name, [path]) => api.setTier({ name, path: path ?? '' })}
      remove={(name) => api.removeTier({ name })}
      onChanged={onChanged}
    />
  );
}
