// The tray's "Lock all": every encrypted folder whose key the agent holds is locked (its key wiped).
// One that fails does not stop the others; the failures are returned in words for a notification.

import type { StrataApi } from '../main/api/index.js';

export async function lockAllFolders(api: StrataApi): Promise<{ locked: string[]; failed: string[] }> {
  const { folders } = await api.status({});
  const unlocked = folders.filter(({ runtime }) => runtime.protections.some((p) => p.kind === 'crypt' && p.lock === 'unlocked'));
  const results = await Promise.allSettled(unlocked.map((folder) => api.lockFolder({ folder: folder.id })));
  const locked: string[] = [];
  const failed: string[] = [];
  results.forEach((result, i) => {
    const name = unlocked[i]!.name;
    if (result.status === 'fulfilled') locked.push(name);
    else failed.push(`${name}: ${(result.reason as Error).message}`);
  });
  return { locked, failed };
}
