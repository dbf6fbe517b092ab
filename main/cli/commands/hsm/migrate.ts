// `strata hsm migrate <folder> [--dry-run] [--min-age SECONDS]`: releases the folder's cold files to
// its tier, with a progress bar; Ctrl-C stops it cleanly (nothing is left half-done) and reports.

import { migrateFolder, type FileOutcome } from '../../../../filters/hsm/engine/migrate-folder.js';
import type { LeafCommand } from '../../command.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from '../../cli-error.js';
import { createProgressBar, formatBytes } from '../../progress.js';
import { displayPath } from './cli-paths.js';
import { nonNegativeInteger } from './cli-options.js';
import { withHsmSession } from './with-session.js';

export const migrateCommand: LeafCommand = {
  name: 'migrate',
  summary: 'release the folder\'s cold files to its tier, leaving stubs',
  define: (cmd) =>
    cmd
      .argument('<folder>', 'the protected folder')
      .option('--dry-run', 'only say which files would be released, and why the others are not')
      .option('--min-age <seconds>', 'minimum age for this run instead of the policy\'s', nonNegativeInteger('--min-age')),
  run: (ctx, { args, options }) =>
    withHsmSession(ctx, args[0] as string, async ({ volume }) => {
      const dryRun = options.dryRun === true;
      const bar = createProgressBar(ctx.io, { enabled: !ctx.json });
      const summary = await migrateFolder(volume, {
        dryRun,
        minAgeSeconds: options.minAge as number | undefined,
        signal: ctx.signal,
        onProgress: (progress) => bar.update({ label: dryRun ? 'planning' : 'migrating', ...progress, current: progress.current && displayPath(progress.current) }),
        onFile: (outcome) => {
          if (ctx.json || outcome.result === 'skipped') return;
          bar.finish();
          ctx.io.writeOut(`${describe(outcome)}\n`);
        },
      });
      bar.finish();
      const verb = dryRun ? 'would release' : 'released';
      const lines = [
        `${summary.examined} file(s) examined, ${summary.eligible} eligible; ${verb} ${dryRun ? summary.eligible : summary.released} (${formatBytes(dryRun ? eligibleBytes(summary.files) : summary.bytesReleased)}), skipped ${summary.skipped}, failed ${summary.failed}`,
      ];
      if (dryRun) for (const file of summary.files) if (file.result === 'skipped') lines.push(describe(file));
      if (summary.cancelled) lines.push('Cancelled: the files released so far stay released; the file in hand was left as it was.');
      const exitCode = summary.cancelled ? EXIT_INTERRUPTED : summary.failed > 0 ? EXIT_FAILURE : 0;
      return { data: summary, text: lines.join('\n'), exitCode };
    }),
};

function describe(outcome: FileOutcome): string {
  const path = displayPath(outcome.path);
  switch (outcome.result) {
    case 'released':
    case 'would release':
      return `${outcome.result} ${path} (${formatBytes(outcome.size)})`;
    case 'skipped':
      return `skipped ${path}: ${outcome.reason}`;
    case 'failed':
      return `FAILED ${path}: ${outcome.reason}`;
  }
}

function eligibleBytes(files: readonly FileOutcome[]): number {
  return files.reduce((sum, file) => sum + (file.result === 'would release' ? file.size : 0), 0);
}
