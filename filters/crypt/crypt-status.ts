// One place that turns a failure of the filter's async work into the NTSTATUS the caller sees: damage is
// STATUS_FILE_CORRUPT_ERROR, a file for another key STATUS_DECRYPTION_FAILED, the I/O manager's own
// statuses pass through unchanged.

import { AgeError, NoIdentityMatchError } from '../../main/age/index.js';
import {
  NtStatusError, STATUS_DECRYPTION_FAILED, STATUS_FILE_CORRUPT_ERROR, STATUS_INTERNAL_ERROR, type NTSTATUS,
} from '../../main/io/index.js';

export function statusOf(error: unknown): NTSTATUS {
  if (error instanceof NtStatusError) return error.status;
  if (error instanceof NoIdentityMatchError) return STATUS_DECRYPTION_FAILED;
  if (error instanceof AgeError) return STATUS_FILE_CORRUPT_ERROR;
  return STATUS_INTERNAL_ERROR;
}
