// `strata hsm status <folder> [--json]`: files and stubs, bytes local and cold, pins, the policy.

import { folderStatus } from '../../../../filters/hsm/engine/folder-status.js';
import type { LeafCommand } from '../../command.js';
import { formatBytes } from '../../progress.js';
import { displayPath } from './cli-paths.js';
import { withHsmSession } from './with-session.js';

export const statusCommand: LeafCommand = {
  name: 'status',
  summary: 'how much of the folder is local and how much is in its tier',
  define: (cmd) => cmd.argument('<folder>', 'the protected folder'),
  run: (ctx, { args }) =>
    withHsmSession(ctx, args[0] as string, async ({ volume }) => {
      const status = await folderStatus(volume);
      const text = [
        `Folder:   ${status.folder}`,
        `Tier:     ${status.policy.tier}`,
        `Files:    ${status.files} (${status.stubs} released as stubs, ${status.localFiles} local)`,
        `Local:    ${formatBytes(status.bytesLocal)} on disk`,
        `Cold:     ${formatBytes(status.bytesCold)} in tier '${status.policy.tier}'`,
        `Pinned:   ${status.pinned.length === 0 ? '(nothing)' : status.pinned.map(displayPath).join(', ')}`,
        ...(status.unfinishedJournal > 0 ? [`Journal:  ${status.unfinishedJournal} unfinished step(s)`] : []),
      ].join('\n');
      return { data: status, text };
    }),
};
