// IRP_MJ_READ and IRP_MJ_WRITE on a stub. A read recalls the file first (joining a recall in progress)
// and then goes on to the complete file; a read on a FILE_OPEN_NO_RECALL open is served from the tier
// instead. A write always recalls first; on a no-recall open it is refused (STATUS_FILE_IS_OFFLINE),
// since that open promised not to bring the file back. Invalid stubs fail with their status.

import {
  FLT_PREOP_SUCCESS_NO_CALLBACK, type FltCallbackData, type FltInstance, type FltOperationRegistration, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import { STATUS_FILE_IS_OFFLINE } from '../../../main/io/index.js';
import { completeWith } from './complete-with.js';
import { stubStreamOf, type HsmHost } from './hsm-host.js';
import { awaitRecall } from './recall-waiters.js';
import { readFromTier } from './tier-read.js';
import type { StubStream } from './stub-stream.js';
import type { HsmVolume } from '../volume/hsm-volume.js';

export function readCallbacks(host: HsmHost): FltOperationRegistration {
  return { pre: (data, { instance }) => beforeDataAccess(host, instance, data, readFromTier) };
}

/** Writes, and truncations through FileEndOfFileInformation (see on-set-information.ts), recall first. */
export function writeCallbacks(host: HsmHost): FltOperationRegistration {
  return { pre: (data, { instance }) => beforeDataAccess(host, instance, data, refuseOnNoRecallOpen) };
}

/**
 * The pre-callback of every operation that needs a stub's data: nothing to do for ordinary files,
 * the stub's own status for an invalid one, `onNoRecall` for a FILE_OPEN_NO_RECALL open, else recall.
 */
export function beforeDataAccess(
  host: HsmHost,
  instance: FltInstance,
  data: FltCallbackData,
  onNoRecall: (volume: HsmVolume, stream: StubStream, data: FltCallbackData) => FltPreopStatus,
): FltPreopStatus {
  const stream = stubStreamOf(instance, data.fileObject);
  if (stream === null || stream.state === 'local') return FLT_PREOP_SUCCESS_NO_CALLBACK;
  if (stream.state === 'invalid') return completeWith(data, stream.problem!.status);
  const volume = host.volumeOf(instance)!;
  if (volume.noRecallOpens.has(data.fileObject!)) return onNoRecall(volume, stream, data);
  return awaitRecall(volume, stream, data);
}

/** That open promised not to bring the file back. */
export function refuseOnNoRecallOpen(_volume: HsmVolume, _stream: StubStream, data: FltCallbackData): FltPreopStatus {
  return completeWith(data, STATUS_FILE_IS_OFFLINE);
}
