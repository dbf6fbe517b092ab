// The protected folders, loaded once and then kept live from the event stream (and reloaded after the
// stream reconnects, since messages sent while it was down are lost).

import type { Folder } from '../../../main/api/index.js';
import { useAgent, useStreamMessages } from './agent-context.js';
import { applyFolderMessage } from './folder-list.js';
import { useReconnectReload } from './use-reconnect-reload.js';
import { useLoad, type Loaded } from './use-load.js';

export function useFolders(): Loaded<readonly Folder[]> {
  const { api } = useAgent();
  const loaded = useLoad<readonly Folder[]>(async () => (await api.listFolders({})).folders, [api]);
  useStreamMessages((message) => loaded.update((folders) => (folders === undefined ? folders : applyFolderMessage(folders, message))));
  useReconnectReload(loaded.reload);
  return loaded;
}

export function useFolder(id: string): Loaded<Folder> {
  const { api } = useAgent();
  const loaded = useLoad(() => api.getFolder({ folder: id }), [api, id]);
  useStreamMessages((message) => {
    if (message.type === 'folder' && message.folder.id === id) loaded.update(() => message.folder);
  });
  useReconnectReload(loaded.reload);
  return loaded;
}
