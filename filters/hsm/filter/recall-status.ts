// The NTSTATUS an operation on a stub fails with when its data cannot be had, and the sentence that
// goes with it: an unreachable tier makes the file offline; a missing or wrong object is corruption.

import {
  NtStatusError, STATUS_FILE_CORRUPT_ERROR, STATUS_FILE_IS_OFFLINE, STATUS_UNSUCCESSFUL, statusName, type NTSTATUS,
} from '../../../main/io/index.js';
import { TierError } from '../tier/tier.js';
import { describeUnreachable, isTierUnreachable } from '../tier/tier-status.js';

export function failureOf(error: unknown, path: string): { status: NTSTATUS; message: string } {
  if (error instanceof TierError && isTierUnreachable(error.status)) {
    return {
      status: STATUS_FILE_IS_OFFLINE,
      message: `${path} is offline: ${describeUnreachable(error.status)} (${error.message}); the stub was left unchanged`,
    };
  }
  if (error instanceof TierError) return { status: STATUS_FILE_CORRUPT_ERROR, message: `${path}: ${error.message} (${statusName(error.status)})` };
  if (error instanceof NtStatusError) return { status: error.status, message: error.message };
  return { status: STATUS_UNSUCCESSFUL, message: `${path}: ${(error as Error)?.message ?? String(error)}` };
}
