// The quarantine through the API: filters/scan's QuarantineStore (the same store and restore/delete
// logic `strata quarantine` uses), each item matched to the protected folder it came from. A restore
// into a folder the running agent protects allows that detection there first (see allowed-threats.ts),
// writes the content back with the store's own restore, then takes it in through the folder's stack at
// once — so it lands encrypted in an encrypted folder and is not quarantined again.

import { relative, sep } from 'node:path';
import { ApiRequestError, type QuarantineItem } from '../../api/index.js';
import { QuarantineError, type QuarantineEntry, type QuarantineStore } from '../../../filters/scan/quarantine/quarantine-store.js';
import { sharedQuarantine } from './shared-quarantine.js';
import type { AgentCore } from '../agent-core.js';
import type { FolderRecord } from '../policy/policy-store.js';
import type { LiveFolder } from '../runtime/live-folder.js';

export interface QuarantineRuntime {
  /** The running folder with this id, or null. */
  liveFolder(folderId: string): LiveFolder | null;
}

export async function withQuarantine<T>(core: AgentCore, use: (quarantine: QuarantineStore) => Promise<T> | T): Promise<T> {
  const quarantine = await sharedQuarantine(core.dataDir, core.store);
  try {
    return await use(quarantine);
  } catch (error) {
    throw error instanceof QuarantineError ? inWords(error) : error;
  }
}

export function itemOf(entry: QuarantineEntry, folders: readonly FolderRecord[]): QuarantineItem {
  const found = folderOf(entry.originPath, folders);
  return {
    id: entry.id,
    originPath: entry.originPath,
    folderId: found?.folder.id ?? null,
    folderName: found?.folder.name ?? null,
    path: found?.path ?? null,
    signature: entry.signature,
    detectedAt: new Date(entry.detectedAt).toISOString(),
    size: entry.size,
    foundBy: entry.foundBy,
  };
}

export async function restoreQuarantined(core: AgentCore, runtime: QuarantineRuntime | null, request: { id: string; overwrite: boolean }) {
  return withQuarantine(core, async (quarantine) => {
    const entry = quarantine.get(request.id);
    const folders = core.policy.store.listFolders();
    const item = itemOf(entry, folders);
    const live = item.folderId === null ? null : (runtime?.liveFolder(item.folderId) ?? null);
    // Allowed before the file appears, so that whoever takes it in first (the watcher or the ingest
    // below) copies it unscanned rather than quarantining it again.
    if (live !== null) live.allowed.allow({ path: item.path!, signature: entry.signature, sha256: entry.sha256 });
    let restored;
    try {
      restored = await quarantine.restore(entry.id, { acknowledgeInfected: true, overwrite: request.overwrite });
    } catch (error) {
      live?.allowed.forget(item.path!);
      throw error;
    }
    if (live !== null) await live.ingest(item.path!, new AbortController().signal);
    core.log.record({
      folderId: item.folderId,
      folderName: item.folderName,
      path: item.path ?? entry.originPath,
      action: 'restored',
      result: 'ok',
      detail: `${entry.signature} restored from quarantine ${entry.id}${request.overwrite ? ', replacing the file there' : ''}${live !== null ? '; allowed in this folder from now on' : ''}`,
    });
    return { item, restoredTo: restored.path, throughFolder: live !== null };
  });
}

export async function deleteQuarantined(core: AgentCore, id: string): Promise<QuarantineItem> {
  return withQuarantine(core, async (quarantine) => {
    const item = itemOf(await quarantine.remove(id), core.policy.store.listFolders());
    core.log.record({ folderId: item.folderId, folderName: item.folderName, path: item.path ?? item.originPath, action: 'quarantine-deleted', result: 'ok', detail: `${item.signature} deleted from quarantine for good (${item.id})` });
    return item;
  });
}

function folderOf(originPath: string, folders: readonly FolderRecord[]): { folder: FolderRecord; path: string } | null {
  for (const folder of folders) {
    const inside = relative(folder.path, originPath);
    if (inside !== '' && !inside.startsWith('..') && !inside.startsWith(sep) && !/^[a-zA-Z]:/.test(inside)) return { folder, path: inside.split(sep).join('/') };
  }
  return null;
}

/** The store's errors as API errors: the exists case points at the overwrite choice. */
function inWords(error: QuarantineError): ApiRequestError {
  const message = error.message;
  if (/ exists; /.test(message)) {
    const path = message.replace(/ exists; .*$/, '');
    return new ApiRequestError('conflict', `a file already exists at ${path}; restoring would replace it. Restore again and choose to replace it, or move that file first`, '$.overwrite');
  }
  if (/^nothing in quarantine has the id/.test(message)) return new ApiRequestError('not-found', message, '$.id');
  if (/is not a quarantine id|is ambiguous/.test(message)) return new ApiRequestError('invalid-request', message, '$.id');
  return new ApiRequestError('conflict', message, '$.id');
}
