// Completing an operation from a pre-callback with a given status (FLT_PREOP_COMPLETE).

import { FLT_PREOP_COMPLETE, type FltCallbackData, type FltPreopStatus } from '../../../main/fltmgr/index.js';
import type { NTSTATUS } from '../../../main/io/index.js';

export function completeWith(data: FltCallbackData, status: NTSTATUS, information = 0): FltPreopStatus {
  data.ioStatus.status = status;
  data.ioStatus.information = information;
  return FLT_PREOP_COMPLETE;
}
