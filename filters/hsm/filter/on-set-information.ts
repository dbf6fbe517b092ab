// IRP_MJ_SET_INFORMATION. Truncating or extending a stub (FileEndOfFileInformation) recalls it first.
// A rename of stubs (a stub, or a directory holding some) has their rows copied to the new names,
// durably, before it is let through, so that a crash between the rename on disk and the post-callback
// leaves a row on whichever name holds each stub (catalog/rename-rows.ts). A rename that succeeds moves
// the catalog rows with it and drops the row of a stub it replaced, whose tier copy then goes if nothing
// else uses it; one that fails undoes the copies. Times need nothing: the stub carries them; deletion
// itself is seen at cleanup.
// Two races are kept out by holding the operation (cancel-safely) until the other side is done: a
// rename from or onto a path being replaced by its stub waits for that swap (else the swap could put
// the stub over the file renamed there, or the rename drop the row just written), and a rename or
// delete disposition of a stub being recalled waits for the recall (which fills the stub's path as
// it was when the recall started).

import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_COMPLETE, FLT_PREOP_PENDING, FLT_PREOP_SUCCESS_NO_CALLBACK,
  FLT_PREOP_SUCCESS_WITH_CALLBACK, FLTFL_POST_OPERATION_DRAINING, FltCancelSafeQueue,
  type FltCallbackData, type FltInstance, type FltOperationRegistration, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import { FileInformationClass, NT_SUCCESS, type FileRenameInformation } from '../../../main/io/index.js';
import { putRowsAhead, undoRowsAhead, type RowsAhead } from '../catalog/rename-rows.js';
import { canonicalPath } from '../catalog/volume-path.js';
import { noteRename, swapInProgress } from '../engine/release-file.js';
import { crashPoint } from '../volume/crash-point.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { stubStreamOf, type HsmHost } from './hsm-host.js';
import { beforeDataAccess, refuseOnNoRecallOpen } from './on-read-write.js';
import { streamPath } from './stub-stream.js';

interface RenameContext {
  from: string;
  /** Tells a swap of `from` or the target waiting for this rename that it is over. */
  over: () => void;
  /** The rows put at the new names before the rename (null: it moves no stub). */
  ahead: RowsAhead | null;
}

type PreResult = FltPreopStatus | { status: FltPreopStatus; context: RenameContext };

/** Per volume: renames and delete dispositions held until a swap or a recall is over. */
const heldOperations = new WeakMap<HsmVolume, FltCancelSafeQueue>();

export function setInformationCallbacks(host: HsmHost): FltOperationRegistration {
  return {
    pre: (data, { instance }) => {
      const parameters = data.parameters.setFile!;
      const informationClass = parameters.fileInformationClass;
      if (informationClass === FileInformationClass.FileRenameInformation || informationClass === FileInformationClass.FileDispositionInformation) {
        const volume = host.volumeOf(instance);
        if (volume === undefined) return renameOrDelete(null, data);
        return whenSettled(volume, instance, data);
      }
      if (informationClass !== FileInformationClass.FileEndOfFileInformation) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      return beforeDataAccess(host, instance, data, refuseOnNoRecallOpen);
    },
    post: (data, { instance }, context, flags) => {
      const { from, over, ahead } = context as RenameContext;
      over();
      const volume = host.volumeOf(instance);
      // Draining: the rows put ahead stay beside the old ones, which is harmless (see rename-rows.ts).
      if (volume === undefined || (flags & FLTFL_POST_OPERATION_DRAINING) !== 0) return FLT_POSTOP_FINISHED_PROCESSING;
      if (!NT_SUCCESS(data.ioStatus.status)) {
        if (ahead !== null) undoRowsAhead(volume.catalog, ahead);
        return FLT_POSTOP_FINISHED_PROCESSING;
      }
      crashPoint('rename-post');
      const to = renameTarget(data);
      // With rows put ahead, the row at `to` that move() finds is this rename's own copy; the stub the
      // rename replaced is the one that copy displaced.
      const replaced = [...(ahead?.displaced.filter((row) => row.path === to) ?? []), ...volume.catalog.move(from, to)];
      for (const row of replaced) volume.releaseObjectIfUnused(to, row.tier, row.object);
      const stream = stubStreamOf(instance, data.fileObject);
      if (stream !== null) stream.path = to;
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}

/** Lets the operation go on now, or holds it until what it would race with is over, then looks again. */
function whenSettled(volume: HsmVolume, instance: FltInstance, data: FltCallbackData): PreResult {
  const busy = busyWith(volume, instance, data);
  if (busy === null) return renameOrDelete(volume, data);
  let held = heldOperations.get(volume);
  if (held === undefined) {
    held = new FltCancelSafeQueue(volume.manager);
    heldOperations.set(volume, held);
  }
  if (!held.insert(data)) return FLT_PREOP_COMPLETE;
  const queue = held;
  void busy.then(() => {
    // Not there any more: cancelled meanwhile, and completed by the queue.
    if (!queue.remove(data)) return;
    const result = whenSettled(volume, instance, data);
    if (result === FLT_PREOP_PENDING) return;
    if (typeof result === 'object') volume.manager.completePendedPreOperation(data, result.status, result.context);
    else volume.manager.completePendedPreOperation(data, result);
  });
  return FLT_PREOP_PENDING;
}

/** What the operation must wait for: the stub's recall in flight, or the swap of either name; else null. */
function busyWith(volume: HsmVolume, instance: FltInstance, data: FltCallbackData): Promise<unknown> | null {
  const recall = stubStreamOf(instance, data.fileObject)?.recall ?? null;
  if (recall !== null) return recall.catch(() => undefined);
  if (data.parameters.setFile!.fileInformationClass !== FileInformationClass.FileRenameInformation) return null;
  return swapInProgress(volume, renameTarget(data)) ?? swapInProgress(volume, streamPath(data.fileObject!));
}

function renameOrDelete(volume: HsmVolume | null, data: FltCallbackData): PreResult {
  if (data.parameters.setFile!.fileInformationClass !== FileInformationClass.FileRenameInformation) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  const from = streamPath(data.fileObject!);
  if (volume === null) return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: { from, over: () => undefined, ahead: null } };
  const to = renameTarget(data);
  const ahead = putRowsAhead(volume.catalog, from, to);
  return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: { from, over: noteRename(volume, [from, to]), ahead } };
}

function renameTarget(data: FltCallbackData): string {
  return canonicalPath((data.parameters.setFile!.information as FileRenameInformation).fileName);
}
