// Turns any error that reached the top of the CLI into one clear stderr message and an exit code.
import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-error.js';

// Errors of these kinds are bugs in Strata, not problems with the user's input.
const INTERNAL = [TypeError, RangeError, ReferenceError, SyntaxError];

export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // commander has already printed its message (or the help / version text).
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  const debug = io.env.STRATA_DEBUG === '1';
  const error = err instanceof Error ? err : new Error(String(err));
  const internal = INTERNAL.some((kind) => error instanceof kind);

  io.writeErr(`strata: ${internal ? 'internal error: ' : ''}${error.message}\n`);
  if (debug) {
    io.writeErr(`${describeStack(error)}\n`);
  } else if (internal) {
    io.writeErr('strata: set STRATA_DEBUG=1 to see the stack trace\n');
  }
  return err instanceof CliError ? err.exitCode : EXIT_FAILURE;
}

function describeStack(error: Error): string {
  const parts = [error.stack ?? String(error)];
  let cause = error.cause;
  while (cause !== undefined) {
    parts.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return parts.join('\n');
}
