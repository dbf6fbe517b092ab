// Asks for a folder's new name; the agent's verdict on it (empty, taken, control characters) shows in words.

import { PromptDialog } from './prompt-dialog.js';

export function RenameDialog({ current, onRename, onClose }: { current: string; onRename: (name: string) => Promise<unknown>; onClose: () => void }) {
  return (
    <PromptDialog title="Rename folder" label="New name" initial={current} path="$.name" submitLabel="Rename" busyLabel="Renaming…"
      onSubmit={(name) => onRename(name.trim())} onClose={onClose} />
  );
}
