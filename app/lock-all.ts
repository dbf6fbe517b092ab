// The tray's "Lock all": every encrypted folder the agent runs is locked: the agent wipes the keys it holds
// and ends the folders' CLI unlock sessions (`strata vault unlock`), so also those of folders it had not
// unlocked itself. One that fails does not stop the others. `locked` names the folders whose key the agent
// held; the failures are returned in words for a notification.

import type { StrataApi } from '../main/api/index.js';

export async function lockAllFolders(api: StrataApi): Promise<{ locked: string[]; failed: string[] }> {
  const { folders } = await api.status({});
  const encrypted = folders.flatMap((folder) => {
    const lock = folder.runtime.protections.find((p) => p.kind === 'crypt')?.lock;
    return lock === undefined ? [] : [{ folder, lock }];
  });
  const results = await Promise.allSettled(encrypted.map(({ folder }) => api.lockFolder({ folder: folder.id })));
  const locked: string[] = [];
  const failed: string[] = [];
  results.forEach((result, i) => {
    const { folder, lock } = encrypted[i]!;
    if (result.status === 'rejected') failed.push(`${folder.name}: ${(result.reason as Error).message}`);
    else if (lock === 'unlocked') locked.push(folder.name);
  });
  return { locked, failed };
}
