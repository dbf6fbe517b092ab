// Errors a CLI command raises on purpose: the message is shown as is, with a chosen exit code.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** The user interrupted (Ctrl-C): 128 + SIGINT, as a shell reports a program SIGINT ended. */
export const EXIT_INTERRUPTED = 130;

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/** A mistake in how the command was invoked (bad flag value, missing argument). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
  }
}
