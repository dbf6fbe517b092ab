// IRP_MJ_CREATE. Pre: opens of a path being replaced by its stub (or of anything while the journal is
// recovered) wait at the gate; FILE_OPEN_NO_RECALL is noted on the open; an overwrite or supersede of a
// stub being recalled waits for the recall to settle. Post: the first open of a
// cataloged stub reads and authenticates the stub before the create completes and hangs a stream
// context on it; an open that overwrote a stub makes it an ordinary (empty) file.

import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED, FLT_PREOP_COMPLETE, FLT_PREOP_PENDING,
  FLT_PREOP_SUCCESS_WITH_CALLBACK, FLT_SET_CONTEXT_KEEP_IF_EXISTS, FLTFL_POST_OPERATION_DRAINING, FltCancelSafeQueue,
  type FltCallbackData, type FltInstance, type FltOperationRegistration, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import {
  CREATE_OPENED, FILE_OPEN_NO_RECALL, FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_OVERWRITTEN, FILE_SUPERSEDE, FILE_SUPERSEDED, NT_SUCCESS,
  NtStatusError, STATUS_FILE_CORRUPT_ERROR,
} from '../../../main/io/index.js';
import { canonicalPath } from '../catalog/volume-path.js';
import type { StubRow } from '../catalog/stub-catalog.js';
import { readStubAt } from '../engine/stub-reader.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import type { HsmHost } from './hsm-host.js';
import { StubStream, streamPath } from './stub-stream.js';

export function createCallbacks(host: HsmHost): FltOperationRegistration {
  return {
    pre: (data, { instance }) => {
      const volume = host.volumeOf(instance);
      if (volume === undefined) return FLT_PREOP_SUCCESS_WITH_CALLBACK;
      const fileObject = data.fileObject!;
      switch (volume.gate.holdIfBlocked(data, canonicalPath(fileObject.fileName))) {
        case 'held':
          return FLT_PREOP_PENDING;
        case 'refused':
          return FLT_PREOP_COMPLETE;
      }
      if ((data.parameters.create!.options & FILE_OPEN_NO_RECALL) !== 0) volume.noRecallOpens.add(fileObject);
      if (replacesContent(data.parameters.create!.disposition)) {
        const recall = recallInFlight(volume, canonicalPath(fileObject.fileName));
        if (recall !== null) return holdUntilSettled(volume, data, recall);
      }
      return FLT_PREOP_SUCCESS_WITH_CALLBACK;
    },
    post: (data, { instance }, _context, flags) => {
      const volume = host.volumeOf(instance);
      if (volume === undefined || (flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !CREATE_OPENED(data.ioStatus.status)) return FLT_POSTOP_FINISHED_PROCESSING;
      const path = streamPath(data.fileObject!);
      const row = volume.catalog.get(path);
      if (row === null) return FLT_POSTOP_FINISHED_PROCESSING;
      const existing = instance.getStreamContext<StubStream>(data.fileObject!);
      const information = data.ioStatus.information;
      if (information === FILE_OVERWRITTEN || information === FILE_SUPERSEDED) {
        if (existing !== null) existing.value.state = 'local';
        existing?.release();
        volume.catalog.remove(path);
        volume.releaseObjectIfUnused(path, row.tier, row.object);
        return FLT_POSTOP_FINISHED_PROCESSING;
      }
      if (existing !== null) {
        existing.release();
        return FLT_POSTOP_FINISHED_PROCESSING;
      }
      void attachStubStream(host, volume, instance, data, row).finally(() => volume.manager.completePendedPostOperation(data));
      return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
    },
  };
}

async function attachStubStream(host: HsmHost, volume: HsmVolume, instance: FltInstance, data: FltCallbackData, row: StubRow): Promise<void> {
  const path = row.path;
  let stream: StubStream;
  try {
    const reading = await readStubAt(volume, path);
    if (!stillCataloged(volume, data, row)) return;
    if (reading.kind === 'plain' || reading.kind === 'missing') {
      // The file was replaced behind Strata's back: it is what it is now. Its old object is left for fsck.
      volume.catalog.remove(path);
      volume.emit({ kind: 'warning', path, message: `${path} is no longer a stub (changed outside Strata); its catalog entry was dropped` });
      return;
    }
    if (reading.kind === 'invalid') {
      stream = new StubStream(volume.manager, path, null, reading.bytes, reading.error);
      volume.emit({ kind: 'stub-invalid', path, status: reading.error.status, message: reading.error.message });
    } else {
      stream = new StubStream(volume.manager, path, reading.fields, reading.bytes, null);
      prepareTier(volume, reading.fields.tier);
      // The stub on disk is authentic, so it is the truth; the catalog follows it.
      if (reading.fields.object !== row.object || reading.fields.size !== row.size || reading.bytes.length !== row.stubSize) {
        volume.catalog.put({ path, ...reading.fields, stubSize: reading.bytes.length });
      }
    }
  } catch (error) {
    if (!stillCataloged(volume, data, row)) return;
    const problem = new NtStatusError(STATUS_FILE_CORRUPT_ERROR, `stub ${path} could not be read: ${(error as Error).message}`);
    stream = new StubStream(volume.manager, path, null, new Uint8Array(0), problem);
    volume.emit({ kind: 'stub-invalid', path, status: problem.status, message: problem.message });
  }
  const context = host.allocateStreamContext(volume, stream);
  const result = instance.setStreamContext(data.fileObject!, FLT_SET_CONTEXT_KEEP_IF_EXISTS, context);
  result.oldContext?.release();
  context.release();
  if (NT_SUCCESS(result.status) || result.oldContext !== null) return;
  // The instance is being torn down (STATUS_FLT_DELETING_OBJECT): the open fails rather than read the stub as content.
  data.ioStatus.status = result.status;
  data.ioStatus.information = 0;
  await volume.manager.cancelFileOpen(instance, data.fileObject!);
}

/**
 * Whether the catalog still lists the stub `row` describes at the stream's path. An overwrite that
 * completed while the first open read the stub found no context to mark local, so it removed the row
 * (and the tier copy) itself: the file is an ordinary one now and gets no stub context.
 */
function stillCataloged(volume: HsmVolume, data: FltCallbackData, row: StubRow): boolean {
  return volume.catalog.get(streamPath(data.fileObject!))?.object === row.object;
}

/** The dispositions that throw a file's content away when it exists. */
function replacesContent(disposition: number): boolean {
  return disposition === FILE_OVERWRITE || disposition === FILE_OVERWRITE_IF || disposition === FILE_SUPERSEDE;
}

/** The recall running on the stub at `path`, if any. */
function recallInFlight(volume: HsmVolume, path: string): Promise<void> | null {
  for (const stream of volume.streams) {
    if (stream.path === path && stream.recall !== null) return stream.recall;
  }
  return null;
}

/**
 * Pends an overwrite until the recall under way settles: the recall writes into the file (and, failing,
 * writes the stub back), so the user's new content may only land after it. Then the create goes on as
 * the overwrite of a local file (or, if the recall failed, of the stub, which the post-callback makes
 * an ordinary file). Queued cancel-safely: a create cancelled meanwhile completes at once.
 */
function holdUntilSettled(volume: HsmVolume, data: FltCallbackData, recall: Promise<void>): FltPreopStatus {
  const held = new FltCancelSafeQueue(volume.manager);
  if (!held.insert(data)) return FLT_PREOP_COMPLETE;
  void recall.finally(() => {
    // Null when the create was cancelled while it waited (the queue completed it).
    if (held.removeNext() !== null) volume.manager.completePendedPreOperation(data, FLT_PREOP_SUCCESS_WITH_CALLBACK);
  });
  return FLT_PREOP_PENDING;
}

/** A read may recall the stub soon: its tier gets ready (the local tier starts its hashing thread). */
function prepareTier(volume: HsmVolume, tierName: string): void {
  try {
    volume.tier(tierName).prepare?.();
  } catch {
    // An unknown tier is reported by the recall itself.
  }
}
