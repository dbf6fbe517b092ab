// `strata scan <path...>`: on-demand scan of files and folders, printed like clamscan (one line per file,
// "path: OK" or "path: <signature> FOUND") with clamscan's exit codes: 0 clean, 1 found, 2 error.
// Progress on stderr when it is a terminal; Ctrl-C stops and reports what was scanned.

import { resolve } from 'node:path';
import { unlink } from 'node:fs/promises';
import { openStore } from '../../../store/index.js';
import { scanPaths, type FileOutcome, type PathScanReport } from '../../../../filters/scan/ondemand/path-scan.js';
import { QuarantineStore } from '../../../../filters/scan/quarantine/quarantine-store.js';
import { openFileSource } from '../../../../filters/scan/source/file-source.js';
import type { CliContext, LeafCommand } from '../../command.js';
import { createProgressBar, formatBytes } from '../../progress.js';
import { chooseEngine, collect } from './scan-engine-choice.js';

const EXIT_CLEAN = 0;
const EXIT_FOUND = 1;
const EXIT_ERROR = 2;

export const scanCommand: LeafCommand = {
  name: 'scan',
  summary: 'scan files and folders for viruses (output and exit codes as clamscan: 0 clean, 1 found, 2 error)',
  define: (cmd) =>
    cmd
      .argument('<path...>', 'files or folders (folders are scanned recursively)')
      .option('--db <file|dir>', 'ClamAV database file or folder to use instead of the imported ones (repeatable)', collect, [])
      .option('--no-builtin', 'leave out the built-in EICAR signature (to compare with clamscan -d)')
      .option('--quarantine', 'move infected files into the quarantine (encrypted) after the scan')
      .option('--no-summary', 'print only the per-file lines'),
  async run(ctx, { args, options }) {
    const paths = (args[0] as string[]).map((path) => resolve(path));
    const { engine, sources } = await chooseEngine(ctx.dataDir, options.db as string[], options.builtin !== false);
    const progress = createProgressBar(ctx.io, { enabled: !ctx.json });
    const report = await scanPaths(engine.database, paths, {
      signal: ctx.signal,
      onFile: (outcome) => {
        if (ctx.json) return;
        progress.finish();
        const line = lineFor(outcome);
        if (outcome.kind === 'error') ctx.io.writeErr(`${line}\n`);
        else ctx.io.writeOut(`${line}\n`);
      },
      onProgress: (p) => progress.update({ label: 'scanning', done: p.files, bytes: p.bytes, current: p.current }),
    });
    progress.finish();
    const moved = options.quarantine === true ? await quarantineFound(ctx, report) : [];
    const exitCode = report.infected.length > 0 ? EXIT_FOUND : report.errors.length > 0 || report.cancelled ? EXIT_ERROR : EXIT_CLEAN;
    const data = {
      files: report.files,
      bytes: report.bytes,
      infected: report.infected.map(({ path, signature, location }) => ({ path, signature, location })),
      errors: report.errors.map(({ path, message }) => ({ path, message })),
      quarantined: moved,
      cancelled: report.cancelled,
      elapsedMs: Math.round(report.elapsedMs),
      bytesPerSecond: Math.round(report.rate),
      signatures: engine.database.signatureCount,
      databases: sources,
    };
    return { data, text: options.summary === false ? '' : summary(report, engine.database.signatureCount, moved), exitCode };
  },
};

function lineFor(outcome: FileOutcome): string {
  switch (outcome.kind) {
    case 'clean':
      return `${outcome.path}: OK`;
    case 'empty':
      return `${outcome.path}: Empty file`;
    case 'infected':
      return `${outcome.path}: ${outcome.signature} FOUND`;
    case 'error':
      return `${outcome.path}: ${outcome.message} ERROR`;
  }
}

interface Moved {
  readonly path: string;
  readonly id?: string;
  readonly error?: string;
}

/** Each infected file goes into the quarantine, then is deleted from where it was. */
async function quarantineFound(ctx: CliContext, report: PathScanReport): Promise<Moved[]> {
  if (report.infected.length === 0) return [];
  const store = openStore(ctx.dataDir);
  const quarantine = await QuarantineStore.open(ctx.dataDir, store);
  const moved: Moved[] = [];
  try {
    for (const found of report.infected) {
      try {
        const source = await openFileSource(found.path);
        let id: string;
        try {
          id = (await quarantine.add({ originPath: found.path, signature: found.signature, foundBy: 'scan', content: source })).id;
        } finally {
          await source.close();
        }
        await unlink(found.path);
        moved.push({ path: found.path, id });
        if (!ctx.json) ctx.io.writeOut(`${found.path}: moved to quarantine as ${id}\n`);
      } catch (error) {
        moved.push({ path: found.path, error: (error as Error).message });
        if (!ctx.json) ctx.io.writeErr(`${found.path}: not quarantined: ${(error as Error).message}\n`);
      }
    }
  } finally {
    quarantine.close();
    store.close();
  }
  return moved;
}

function summary(report: PathScanReport, signatures: number, moved: readonly Moved[]): string {
  const seconds = report.elapsedMs / 1000;
  return [
    '',
    '----------- SCAN SUMMARY -----------',
    `Known viruses: ${signatures}`,
    `Scanned files: ${report.files}`,
    `Infected files: ${report.infected.length}`,
    ...(moved.length > 0 ? [`Quarantined: ${moved.filter((m) => m.id !== undefined).length}`] : []),
    ...(report.errors.length > 0 ? [`Errors: ${report.errors.length}`] : []),
    `Data scanned: ${formatBytes(report.bytes)}`,
    `Time: ${seconds.toFixed(3)} sec (${formatBytes(report.rate)}/s)`,
    ...(report.cancelled ? ['Scan cancelled: the results above are partial'] : []),
  ].join('\n');
}
