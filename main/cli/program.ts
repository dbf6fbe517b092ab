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

/** Holds the exit code the last command asked for (commander's action has no return channel). */
export interface ExitCodeSlot {
  code: number;
}

export function createProgram(io: CliIo, commands: readonly CliCommand[], exit: ExitCodeSlot = { code: 0 }, signal: AbortSignal = new AbortController().signal): Command {
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
  for (const command of commands) addCommand(program, command, { io, exit, signal });
  return program;
}

interface RunEnvironment {
  io: CliIo;
  exit: ExitCodeSlot;
  signal: AbortSignal;
}

function addCommand(parent: Command, command: CliCommand, env: RunEnvironment): void {
  const cmd = parent.command(command.name).description(command.summary);
  if (isGroup(command)) {
    for (const sub of command.subcommands) addCommand(cmd, sub, env);
    return;
  }
  command.define?.(cmd);
  cmd.action(async (...actionArgs: unknown[]) => {
    const self = actionArgs[actionArgs.length - 1] as Command;
    const ctx = contextFrom(self.optsWithGlobals<GlobalOptions>(), env);
    const result = await (command as LeafCommand).run(ctx, { args: self.processedArgs, options: self.opts() });
    printResult(env.io, ctx.json, result);
    env.exit.code = result.exitCode ?? 0;
  });
}

function contextFrom(globals: GlobalOptions, env: RunEnvironment): CliContext {
  if (globals.dataDir !== undefined && globals.dataDir.trim() === '') {
    throw new UsageError('--data-dir needs a folder path, got an empty string');
  }
  return { dataDir: resolveDataDir(globals.dataDir), json: globals.json === true, io: env.io, signal: env.signal };
}
