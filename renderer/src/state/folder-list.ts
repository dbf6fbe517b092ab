// Keeps a list of folders current from the stream: a changed folder replaces its old record, a new one
// joins in name order, a removed one leaves.

import type { Folder, StreamMessage } from '../../../main/api/index.js';

export function applyFolderMessage(folders: readonly Folder[], message: StreamMessage): readonly Folder[] {
  if (message.type === 'folder-removed') return folders.filter((f) => f.id !== message.id);
  if (message.type !== 'folder') return folders;
  const others = folders.filter((f) => f.id !== message.folder.id);
  return [...others, message.folder].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}
