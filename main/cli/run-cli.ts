// Runs the `strata` CLI for one argv and returns the process exit code; never throws.
import { processIo, type CliIo } from './cli-io.js';
import { EXIT_OK } from './cli-error.js';
import { commands } from './commands/index.js';
import { createProgram } from './program.js';
import { reportError } from './report-error.js';

/** `argv` as in process.argv: the node binary and script path come first. */
export async function runCli(argv: readonly string[], io: CliIo = processIo(), signal?: AbortSignal): Promise<number> {
  const exit = { code: EXIT_OK };
  try {
    await createProgram(io, commands, exit, signal).parseAsync([...argv]);
    return exit.code;
  } catch (err) {
    return reportError(err, io);
  }
}
