// No-recall reads (the open asked FILE_OPEN_NO_RECALL: scanners, backups): the requested range is
// served straight from the tier into the caller's buffer and the stub stays a stub. The read waits,
// cancel-safely, in the volume's tier-read queue while the tier answers.

import { FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, type FltCallbackData, type FltPreopStatus } from '../../../main/fltmgr/index.js';
import { STATUS_END_OF_FILE, STATUS_FILE_CORRUPT_ERROR, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../../main/io/index.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { completeWith } from './complete-with.js';
import { failureOf } from './recall-status.js';
import type { StubStream } from './stub-stream.js';

export function readFromTier(volume: HsmVolume, stream: StubStream, data: FltCallbackData): FltPreopStatus {
  const fields = stream.fields!;
  const { length, byteOffset } = data.parameters.read!;
  const buffer = data.userBuffer;
  if (byteOffset < 0 || buffer === null || buffer.length < length) return completeWith(data, STATUS_INVALID_PARAMETER);
  if (length === 0) return completeWith(data, STATUS_SUCCESS);
  if (byteOffset >= fields.size) return completeWith(data, STATUS_END_OF_FILE);
  if (!volume.tierReads.insert(data)) return FLT_PREOP_COMPLETE;
  const count = Math.min(length, fields.size - byteOffset);
  const fileObject = data.fileObject!;
  volume.track(stream.path, (async () => {
    let failure: { status: number; message: string } | null = null;
    let information = 0;
    try {
      information = await volume.tier(fields.tier).read(fields.object, byteOffset, count, buffer);
      if (information !== count) {
        failure = { status: STATUS_FILE_CORRUPT_ERROR, message: `${stream.path}: the cold copy ends at ${byteOffset + information} bytes, the stub says ${fields.size}` };
      }
    } catch (error) {
      failure = failureOf(error, stream.path);
    }
    if (failure !== null) volume.emit({ kind: 'recall-failed', path: stream.path, ...failure });
    const status = failure?.status ?? STATUS_SUCCESS;
    if (failure !== null) information = 0;
    // Cancelled while the tier was answering: the queue has completed it already.
    if (!volume.tierReads.remove(data)) return;
    if (status === STATUS_SUCCESS) fileObject.currentByteOffset = byteOffset + information;
    volume.manager.completePendedPreOperation(data, completeWith(data, status, information));
  })());
  return FLT_PREOP_PENDING;
}
