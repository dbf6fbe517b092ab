// The one error type volume code throws: an NTSTATUS plus a message naming the input and the place.
// Dispatch glue turns it (and raw OS errors) into the IRP's final status.

import { NtStatusError, statusName, type NTSTATUS } from '../io/index.js';
import { statusOfOsError } from './os-error-status.js';

export class VolumeError extends Error {
  readonly status: NTSTATUS;
  constructor(status: NTSTATUS, message: string) {
    super(`${statusName(status)}: ${message}`);
    this.name = 'VolumeError';
    this.status = status;
  }
}

/** The NTSTATUS an error stands for, or undefined when it is not a status (a bug, not an I/O outcome). */
export function statusOfError(error: unknown): NTSTATUS | undefined {
  if (error instanceof VolumeError || error instanceof NtStatusError) return error.status;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return statusOfOsError(code);
  return undefined;
}
