// Unlocking an encrypted folder: the passphrase goes to the agent, which keeps the key in memory until
// the folder locks again. A wrong passphrase is said in words next to the field, and changes nothing.

import type { Folder } from '../../../main/api/index.js';
import { useAgent } from '../state/agent-context.js';
import { PromptDialog } from './prompt-dialog.js';

export function UnlockDialog({ folder, onUnlocked, onClose }: { folder: Folder; onUnlocked: (folder: Folder) => void; onClose: () => void }) {
  const { api } = useAgent();
  return (
    <PromptDialog
      title={`Unlock ${folder.name}`}
      intro={<p>Strata keeps the key in memory until the folder locks again{autoLockWords(folder)}.</p>}
      label="Passphrase"
      secret
      path="$.passphrase"
      submitLabel="Unlock"
      busyLabel="Unlocking…"
      onSubmit={async (passphrase) => onUnlocked(await api.unlockFolder({ folder: folder.id, passphrase }))}
      onClose={onClose}
    />
  );
}

function autoLockWords(folder: Folder): string {
  const minutes = folder.policy.crypt?.settings.autoLockMinutes ?? 0;
  return minutes > 0 ? ` (after ${minutes} idle minute${minutes === 1 ? '' : 's'}, or when you lock it)` : ' (when you lock it)';
}
