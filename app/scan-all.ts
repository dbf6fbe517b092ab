// The tray's "Scan now": a full scan of every folder whose virus scanning is on (a folder already being
// scanned joins its running scan). One that cannot start does not stop the others; the failures come
// back in words for a notification.

import type { StrataApi } from '../main/api/index.js';

export async function scanAllFolders(api: StrataApi): Promise<{ started: string[]; failed: string[] }> {
  const { folders } = await api.status({});
  const scanned = folders.filter(({ runtime }) => runtime.protections.some((p) => p.kind === 'scan' && p.state === 'active'));
  const results = await Promise.allSettled(scanned.map((folder) => api.startScan({ folder: folder.id })));
  const started: string[] = [];
  const failed: string[] = [];
  results.forEach((result, i) => {
    const name = scanned[i]!.name;
    if (result.status === 'fulfilled') started.push(name);
    else failed.push(`${name}: ${(result.reason as Error).message}`);
  });
  return { started, failed };
}
