// IRP_MJ_CLEANUP: when the last open of a modified stream goes away, the stream is saved. The pre-callback
// stages the new age file (temporary file, fsync) and closes the filter's own handle, so that the file
// system sees the stream's last handle go (a pending delete happens now); the post-callback then renames
// the staged file over the target and fsyncs the folder. A failure to save is reported as the cleanup's
// status (close() returns it); the file on disk is then still the old, complete version. The cleanup
// always reaches the file system, even when the save fails: what the handle still has waiting for the key
// is cancelled, reads under way and writes held in the backlog finish first (an acknowledged write is
// saved), and a save that needs the locked vault's key waits for it (bounded) instead of the cleanup.
// New opens of the file wait until the save is over (saves-in-progress.ts).

import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED,
  FLT_PREOP_PENDING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK, type FltCallbackData,
  type FltPostopStatus, type FltPreopStatus,
} from '../../main/fltmgr/index.js';
import { NtStatusError, STATUS_FILE_ENCRYPTED, type NTSTATUS } from '../../main/io/index.js';
import { publish, type StagedFile } from './commit.js';
import type { CryptStream } from './crypt-stream.js';
import { statusOf } from './crypt-status.js';
import type { CryptVolume } from './crypt-volume.js';
import { streamOf } from './data-callbacks.js';
import { holdPayloadKey } from './plaintext-reader.js';
import { stageStream } from './write-behind.js';

interface CleanupContext {
  stream: CryptStream;
  staged: StagedFile | null;
  failure: NTSTATUS | null;
  /** Ends the save's mark (new opens of the file wait until then). */
  endSave: () => void;
}

export function preCleanup(volume: CryptVolume, data: FltCallbackData): FltPreopStatus {
  // The handle is closed: what it still has waiting for the key will not be wanted (NT's cleanup cancels a
  // file object's pending requests the same way).
  if (data.fileObject !== null) volume.lockedWait.cancelFor(data.fileObject);
  const stream = streamOf(volume, data);
  if (stream === null || stream.userOpens <= 0) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  if (--stream.userOpens > 0) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  const endSave = volume.saves.begin(stream.name);
  finishStream(volume, stream, data.fileObject?.deletePending === true, endSave).then((context) =>
    volume.manager.completePendedPreOperation(data, FLT_PREOP_SUCCESS_WITH_CALLBACK, context),
  );
  return FLT_PREOP_PENDING;
}

async function finishStream(volume: CryptVolume, stream: CryptStream, deleting: boolean, endSave: () => void): Promise<CleanupContext> {
  const context: CleanupContext = { stream, staged: null, failure: null, endSave };
  // Reads under way finish (they may still open the ciphertext), and writes held in the backlog are
  // applied: they were or will be acknowledged, so they belong to this save.
  await Promise.all([stream.reads.idle(), volume.writeBacklog.settled(stream)]);
  // Nothing of the filter's own stays in flight past the last cleanup: windows read ahead are dropped
  // (and waited for), an abandoned write-behind has deleted its temporary file.
  const ahead = stream.readAhead;
  stream.readAhead = null;
  await Promise.allSettled(ahead?.windows.map((window) => window.data) ?? []);
  try {
    if (stream.modified && !deleting && stream.base.kind !== 'corrupt') {
      if (stream.needsKey && !(await volume.lockedWait.untilUnlocked())) {
        await dropUnsaved(stream);
        throw new NtStatusError(STATUS_FILE_ENCRYPTED, `'${stream.name}' was not saved: the vault stayed locked`);
      }
      // The key is taken now, while the vault is known to be unlocked: a lock from here on does not stop the save.
      const key = holdPayloadKey(volume, stream);
      try {
        const target = await volume.below.nameOf(await volume.handleOf(stream));
        context.staged = await stageStream(volume, stream, target, key);
      } finally {
        if (key !== null) volume.sodium.memzero(key);
      }
    } else {
      await dropUnsaved(stream);
    }
  } catch (error) {
    context.failure = statusOf(error);
  }
  await volume.closeHandles(stream);
  return context;
}

/** The write-behind's temporary file and the writes spilled into it go (nothing of them is saved). */
async function dropUnsaved(stream: CryptStream): Promise<void> {
  await stream.dropWriteBehind();
  await stream.releaseSpilled();
}

export function postCleanup(volume: CryptVolume, data: FltCallbackData, completion: unknown, flags: number): FltPostopStatus {
  const context = completion as CleanupContext | undefined;
  if (context === undefined) return FLT_POSTOP_FINISHED_PROCESSING;
  const staged = context.staged;
  if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0) {
    if (staged !== null) void volume.below.deleteAndClose(staged.temp).catch(() => undefined);
    context.endSave();
    return FLT_POSTOP_FINISHED_PROCESSING;
  }
  if (staged === null) {
    if (context.failure !== null) data.ioStatus.status = context.failure;
    context.endSave();
    return FLT_POSTOP_FINISHED_PROCESSING;
  }
  publish(volume, staged).then(
    () => {
      context.stream.modified = false;
      context.stream.dirty.clear();
    },
    (error: unknown) => (data.ioStatus.status = statusOf(error)),
  ).finally(() => {
    context.endSave();
    volume.manager.completePendedPostOperation(data);
  });
  return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
}
