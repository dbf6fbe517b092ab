// One recall per stub at a time: the first operation that needs the data starts it, later ones join
// the same recall by waiting in the stream's cancel-safe queue. When it ends, waiting reads, writes and
// truncations go on down to the now complete file (recall requests complete with success), or all
// fail with the recall's status. If every waiter is cancelled, the recall itself stops and the stub
// is written back.

import {
  FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, FLT_PREOP_SUCCESS_NO_CALLBACK, type FltCallbackData, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import { IRP_MJ_FILE_SYSTEM_CONTROL, STATUS_SUCCESS } from '../../../main/io/index.js';
import { recallInPlace } from '../engine/recall-file.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { failureOf } from './recall-status.js';
import type { StubStream } from './stub-stream.js';

/** From a pre-callback: waits for the stream's recall (starting it if needed). */
export function awaitRecall(volume: HsmVolume, stream: StubStream, data: FltCallbackData): FltPreopStatus {
  if (!stream.waiting.insert(data)) return FLT_PREOP_COMPLETE;
  if (stream.recall === null) {
    stream.recall = runRecall(volume, stream);
    // Tracked, so that closing the folder waits for a recall whose waiters are all gone.
    volume.track(stream.path, stream.recall);
  }
  return FLT_PREOP_PENDING;
}

async function runRecall(volume: HsmVolume, stream: StubStream): Promise<void> {
  const abort = new AbortController();
  stream.recallAbort = abort;
  const { path, fields, bytes } = stream;
  volume.emit({ kind: 'recall-started', path, size: fields!.size });
  try {
    const { copy } = await recallInPlace(volume, { path, fields: fields!, stubBytes: bytes }, {
      signal: abort.signal,
      releaseCopyInBackground: true,
      // Only an overwrite (on-create.ts) makes the stream local while its recall runs.
      overwritten: () => stream.state === 'local',
      onProgress: (done) => {
        volume.emit({ kind: 'recall-progress', path, done, size: fields!.size });
        if (stream.waiting.length === 0) abort.abort();
      },
    });
    stream.state = 'local';
    volume.emit({ kind: 'recall-done', path, size: fields!.size, copy });
    resumeWaiters(volume, stream);
  } catch (error) {
    const failure = failureOf(error, path);
    volume.emit({ kind: 'recall-failed', path, ...failure });
    stream.waiting.disableAndDrain(failure.status);
    stream.waiting.enable();
  } finally {
    stream.recall = null;
    stream.recallAbort = null;
  }
}

function resumeWaiters(volume: HsmVolume, stream: StubStream): void {
  for (let data = stream.waiting.removeNext(); data !== null; data = stream.waiting.removeNext()) {
    if (data.majorFunction === IRP_MJ_FILE_SYSTEM_CONTROL) {
      data.ioStatus.status = STATUS_SUCCESS;
      data.ioStatus.information = 0;
      volume.manager.completePendedPreOperation(data, FLT_PREOP_COMPLETE);
    } else {
      volume.manager.completePendedPreOperation(data, FLT_PREOP_SUCCESS_NO_CALLBACK);
    }
  }
}
