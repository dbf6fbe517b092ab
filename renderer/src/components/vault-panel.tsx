// An encrypted folder's key: locked or unlocked, with Unlock, Lock now, or Create the vault when the
// folder has none yet (its encryption cannot start without one).

import { useState } from 'react';
import type { Folder } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { useAction } from '../state/use-load.js';
import { CreateVaultDialog } from './create-vault-dialog.js';
import { ErrorNotice } from './error-notice.js';
import { StateBadge } from './state-badge.js';
import { UnlockDialog } from './unlock-dialog.js';

export function VaultPanel({ folder, onChanged }: { folder: Folder; onChanged: (folder: Folder) => void }) {
  const { api } = useAgent();
  const [dialog, setDialog] = useState<'unlock' | 'create' | null>(null);
  const crypt = folder.runtime?.protections.find((p) => p.kind === 'crypt');
  const lock = useAction(async () => onChanged(await api.lockFolder({ folder: folder.id })));
  if (folder.policy.crypt?.enabled !== true || crypt === undefined) return null;
  return (
    <section className="panel" aria-labelledby="vault-heading">
      <h2 id="vault-heading">Vault</h2>
      {crypt.state === 'failed' ? (
        <>
          <p>{crypt.message ?? 'Encryption could not start.'}</p>
          <button type="button" className="primary" onClick={() => setDialog('create')}>Create the vault…</button>
        </>
      ) : crypt.lock === 'unlocked' ? (
        <div className="button-row">
          <StateBadge tone="good">Unlocked</StateBadge>
          <button type="button" disabled={lock.busy} onClick={() => void lock.run()}>Lock now</button>
        </div>
      ) : (
        <div className="button-row">
          <StateBadge tone="warn">Locked</StateBadge>
          <span className="muted">Files open through Strata once it is unlocked.</span>
          <button type="button" className="primary" onClick={() => setDialog('unlock')}>Unlock…</button>
        </div>
      )}
      <ErrorNotice error={lock.error} />
      {dialog === 'unlock' && <UnlockDialog folder={folder} onUnlocked={onChanged} onClose={() => setDialog(null)} />}
      {dialog === 'create' && <CreateVaultDialog folder={folder} onCreated={onChanged} onClose={() => setDialog(null)} />}
    </section>
  );
}
