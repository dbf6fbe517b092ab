// A file-system error raised deep in a vault operation (EACCES, EISDIR, ENOTDIR, ENOSPC...) names a system
// call and at best a path; `doing` puts in front of it what the command was doing and to which folder.

import { CliError } from '../../cli-error.js';

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** Runs `work`; a file-system error it raises becomes `<what>: <the system's message>`. */
export async function doing<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isSystemError(error)) throw new CliError(`${what}: ${error.message}`);
    throw error;
  }
}
