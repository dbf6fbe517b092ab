// `strata agent`: runs the agent in the foreground until Ctrl-C or SIGTERM. Once ready it prints where it
// listens: with --json exactly one JSON line {url, ui, pid, dataDir, version}, where ui opens the GUI
// already authenticated; on a terminal, also the events as they happen and a progress bar for ingest.

import { resolve } from 'node:path';
import { startAgent } from '../../agent/agent-service.js';
import type { JobProgress } from '../../api/index.js';
import type { LeafCommand } from '../command.js';
import { readPackageInfo } from '../package-info.js';
import { createProgressBar } from '../progress.js';
import { integerFlag } from './agent-session.js';
import { eventLine } from './events-format.js';

export const agentCommand: LeafCommand = {
  name: 'agent',
  summary: 'run the protection agent in the foreground (folders, watchers, scheduler, local API)',
  define: (cmd) =>
    cmd
      .option('--media-root <dir...>', 'folders where removable media appear (default: /media/$USER, /run/media/$USER, /Volumes)')
      .option('--quiet-ms <ms>', 'how long a changed file must be quiet before it is ingested (default 500)')
      .option('--port <port>', 'listen on this loopback port (default: a random free one)')
      .option('--ui <dir>', 'serve the built GUI from this folder')
      .option('--verifier', 'run every folder stack under the I/O verifier (debugging)'),
  run: async (ctx, { options }) => {
    const version = readPackageInfo().version;
    const agent = await startAgent({
      dataDir: ctx.dataDir,
      version,
      verifier: options.verifier === true,
      quietMs: integerFlag(options.quietMs, '--quiet-ms'),
      port: integerFlag(options.port, '--port'),
      mediaRoots: (options.mediaRoot as string[] | undefined)?.map((root) => resolve(root)),
      uiRoot: options.ui === undefined ? undefined : resolve(String(options.ui)),
    });
    const ready = { url: agent.url, ui: agent.uiUrl, pid: process.pid, dataDir: ctx.dataDir, version };
    const unsubscribe: Array<() => void> = [];
    if (ctx.json) {
      ctx.io.writeOut(`${JSON.stringify(ready)}\n`);
    } else {
      const folders = agent.core.policy.store.listFolders().length;
      ctx.io.writeOut(`Strata agent ${version} (pid ${process.pid}) on ${ctx.dataDir}\nListening on ${agent.url}\nGUI: ${agent.uiUrl}\n${folders} protected folder(s). Ctrl-C stops.\n`);
      // Lines only for a person watching: a pipe nobody reads must never block the agent.
      if (process.stdout.isTTY) unsubscribe.push(agent.core.log.subscribe((event) => ctx.io.writeOut(`${eventLine(event)}\n`)));
      const bar = createProgressBar(ctx.io, { enabled: true });
      unsubscribe.push(agent.runtime.onProgress((job: JobProgress) => (job.finished ? bar.finish() : bar.update({ label: job.label, done: job.done, total: job.total ?? undefined }))));
    }
    await untilStopped(ctx.signal);
    for (const stop of unsubscribe) stop();
    await agent.stop();
    return { data: undefined, text: ctx.json ? '' : 'agent stopped' };
  },
};

function untilStopped(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      process.off('SIGTERM', finish);
      signal.removeEventListener('abort', finish);
      done();
    };
    if (signal.aborted) return finish();
    process.on('SIGTERM', finish);
    signal.addEventListener('abort', finish, { once: true });
  });
}
