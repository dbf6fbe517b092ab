// Pends a pre-operation while asynchronous work (the filter's own I/O, a scan) runs, then resumes it
// with the status the work decided, or completes it with the error's status if the work failed.

import {
  FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, type FilterManager, type FltCallbackData, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import { NtStatusError, STATUS_INTERNAL_ERROR, type NTSTATUS } from '../../../main/io/index.js';

export interface PreResult {
  readonly status: FltPreopStatus;
  readonly context?: unknown;
}

/** Completes the operation now with `status` (the FLT_PREOP_COMPLETE path). */
export function completeWith(data: FltCallbackData, status: NTSTATUS): PreResult {
  data.ioStatus.status = status;
  data.ioStatus.information = 0;
  return { status: FLT_PREOP_COMPLETE };
}

export function pendPreOperation(manager: FilterManager, data: FltCallbackData, work: () => Promise<PreResult>): FltPreopStatus {
  // The work always settles after this callback has returned FLT_PREOP_PENDING (it is async).
  void (async () => work())().then(
    (result) => manager.completePendedPreOperation(data, result.status, result.context),
    (error: unknown) => {
      completeWith(data, statusOfError(error));
      manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
    },
  );
  return FLT_PREOP_PENDING;
}

export function statusOfError(error: unknown): NTSTATUS {
  if (error instanceof NtStatusError) return error.status;
  process.emitWarning(error instanceof Error ? error : new Error(String(error)), { code: 'STRATA_SCAN_FILTER' });
  return STATUS_INTERNAL_ERROR;
}
