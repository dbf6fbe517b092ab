// The contract every `strata` subcommand implements; commands/index.ts lists them.
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';

/** What every command receives, resolved from the global options. */
export interface CliContext {
  /** Absolute data dir (from --data-dir, STRATA_DATA_DIR or the OS default). */
  readonly dataDir: string;
  /** --json: print `data` as JSON instead of `text`. */
  readonly json: boolean;
  /** Where to stream lines (per-file results) and progress while the command runs. */
  readonly io: CliIo;
  /** Aborted on Ctrl-C (SIGINT): long work stops cleanly and reports what it did. */
  readonly signal: AbortSignal;
}

/** A command returns what it found; the runner decides how to print it. */
export interface CommandResult {
  /** Printed as JSON with --json (nothing when undefined: the command wrote JSON lines itself). */
  readonly data: unknown;
  /** Printed for a person otherwise. */
  readonly text: string;
  /** The process exit code (default 0), e.g. clamscan's 1 for "found". */
  readonly exitCode?: number;
}

export interface CommandInput {
  /** Declared positional arguments, in order, as commander parsed them. */
  readonly args: readonly unknown[];
  /** This command's own options (global ones are in the context). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** A command that does something. */
export interface LeafCommand {
  readonly name: string;
  readonly summary: string;
  /** Declares this command's own arguments and options. */
  readonly define?: (cmd: Command) => void;
  readonly run: (ctx: CliContext, input: CommandInput) => CommandResult | Promise<CommandResult>;
}

/** A command that only groups others, as in `strata folder add`. */
export interface GroupCommand {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly CliCommand[];
}

export type CliCommand = LeafCommand | GroupCommand;

export function isGroup(command: CliCommand): command is GroupCommand {
  return 'subcommands' in command;
}
