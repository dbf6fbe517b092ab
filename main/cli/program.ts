// Builds the commander program: global options, help/version, and every command from the list.
import { Command } from 'commander';
import { defaultDataDir, resolveDataDir } from '../store/data-dir.js';
import type { CliIo } from './cli-io.js';
import { isGroup, type CliCommand, type CliContext, type LeafCommand } from './command.js';
import { UsageError } from './cli-error.js';
import { readPackageInfo } from './package-info.js';
import { printResult } from './print-result.js';

interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export function createProgram(io: CliIo, commands: readonly CliCommand[]): Command {
  const program = new Command('strata')
    .description('Strata: folder protection (encryption, virus scanning, cold-storage tiering) built on a filter-driver stack')
    .version(readPackageInfo().version, '-V, --version', 'print the Strata version')
    .option(
      '--data-dir <dir>',
      `folder holding Strata's database and state (env STRATA_DATA_DIR; default ${defaultDataDir()})`,
    )
    .option('--json', 'print machine-readable JSON on stdout')
    .showHelpAfterError("(run 'strata --help' for usage)")
    // Errors come back to runCli as exceptions instead of commander calling process.exit.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.writeOut(s),
      writeErr: (s) => io.writeErr(s),
      outputError: (s, write) => write(`strata: ${s}`),
    });

  // Subcommands created with .command() inherit the settings above, so configure first.
  for (const command of commands) addCommand(program, command, io);
  return program;
}

function addCommand(parent: Command, command: CliCommand, io: CliIo): void {
  const cmd = parent.command(command.name).description(command.summary);
  if (isGroup(command)) {
    for (const sub of command.subcommands) addCommand(cmd, sub, io);
    return;
  }
  command.define?.(cmd);
  cmd.action(async (...actionArgs: unknown[]) => {
    const self = actionArgs[actionArgs.length - 1] as Command;
    const ctx = contextFrom(self.optsWithGlobals<GlobalOptions>());
    const result = await (command as LeafCommand).run(ctx, { args: self.processedArgs, options: self.opts() });
    printResult(io, ctx.json, result);
  });
}

function contextFrom(globals: GlobalOptions): CliContext {
  if (globals.dataDir !== undefined && globals.dataDir.trim() === '') {
    throw new UsageError('--data-dir needs a folder path, got an empty string');
  }
  return { dataDir: resolveDataDir(globals.dataDir), json: globals.json === true };
}
