// `strata hsm pin|unpin <folder> <path>`: a pinned file (or every file below a pinned directory) is
// never released; pinning a released file brings it back first.

import type { LeafCommand } from '../../command.js';
import { displayPath, volumePathOf } from './cli-paths.js';
import { recallPath } from './recall-path.js';
import { withHsmSession } from './with-session.js';

export const pinCommand: LeafCommand = {
  name: 'pin',
  summary: 'keep a file or directory local: never released (recalled now if it was)',
  define: (cmd) => cmd.argument('<folder>', 'the protected folder').argument('<path>', 'file or directory inside the folder'),
  run: (ctx, { args }) =>
    withHsmSession(ctx, args[0] as string, async (session, events) => {
      const path = volumePathOf(session.folder.path, args[1] as string);
      const recall = await recallPath(session, events, path);
      const added = session.volume.pins.pin(path);
      const lines = [added ? `Pinned ${displayPath(path)}` : `${displayPath(path)} was already pinned`];
      if (recall.recalled) lines.push(`(recalled it from the tier first)`);
      return { data: { path, pinned: true, recalled: recall.recalled }, text: lines.join(' ') };
    }),
};

export const unpinCommand: LeafCommand = {
  name: 'unpin',
  summary: 'let a pinned file or directory be released again by later migrations',
  define: (cmd) => cmd.argument('<folder>', 'the protected folder').argument('<path>', 'file or directory inside the folder'),
  run: (ctx, { args }) =>
    withHsmSession(ctx, args[0] as string, async (session) => {
      const path = volumePathOf(session.folder.path, args[1] as string);
      const removed = session.volume.pins.unpin(path);
      return { data: { path, pinned: false }, text: removed ? `Unpinned ${displayPath(path)}` : `${displayPath(path)} was not pinned` };
    }),
};
