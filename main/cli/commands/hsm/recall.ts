// `strata hsm recall <folder> <path>`: brings a released file back to the folder now.

import type { LeafCommand } from '../../command.js';
import { CliError } from '../../cli-error.js';
import { createProgressBar, formatBytes } from '../../progress.js';
import type { HsmEvent } from '../../../../filters/hsm/index.js';
import { displayPath, volumePathOf } from './cli-paths.js';
import { recallPath } from './recall-path.js';
import { withHsmSession } from './with-session.js';

export const recallCommand: LeafCommand = {
  name: 'recall',
  summary: 'bring a released file back from its tier now',
  define: (cmd) => cmd.argument('<folder>', 'the protected folder').argument('<path>', 'the file, inside the folder'),
  run: (ctx, { args }) => {
    const bar = createProgressBar(ctx.io, { enabled: !ctx.json });
    const showProgress = (event: HsmEvent): void => {
      if (event.kind === 'recall-progress') bar.update({ label: 'recalling', done: event.done, total: event.size, bytes: event.done, totalBytes: event.size, current: displayPath(event.path) });
    };
    return withHsmSession(ctx, args[0] as string, async (session, events) => {
      const path = volumePathOf(session.folder.path, args[1] as string);
      const result = await recallPath(session, events, path).finally(() => bar.finish());
      if (result.directory) throw new CliError(`'${displayPath(path)}' is a directory; recall the files in it`);
      const text = result.recalled ? `Recalled ${displayPath(path)} (${formatBytes(result.size)})` : `${displayPath(path)} is already local`;
      return { data: result, text };
    }, showProgress);
  },
};
