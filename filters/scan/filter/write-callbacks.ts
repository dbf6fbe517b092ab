// IRP_MJ_WRITE and the size-changing IRP_MJ_SET_INFORMATION. A write continuing a stream's sequential
// scan is fed to its session, so the write that completes a signature is refused with
// STATUS_VIRUS_INFECTED before it reaches the disk. Any other write is scanned on its own (for
// signatures wholly inside it), marks the stream modified (rescanned whole at cleanup), and first
// saves the original bytes it overwrites into the stream's undo journal. Once infected, a stream takes
// no more writes.

import {
  FILE_WRITE_TO_END_OF_FILE, FileInformationClass, NT_SUCCESS, STATUS_VIRUS_INFECTED, type FileObject,
} from '../../../main/io/index.js';
import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK,
  type FltCallbackData, type FltInstance, type FltOperationRegistration, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import { TYPE_PROBE_LENGTH } from '../archives/archive-type.js';
import { ScanSession, type Detection } from '../engine/scan-session.js';
import { withBelowFile } from './below-file.js';
import { currentName } from './file-names.js';
import { newUndoJournal, withStreamState, type ScanFilterContext } from './filter-context.js';
import { completeWith, pendPreOperation } from './pend-operation.js';
import { StreamVerdict, type ScanStreamState } from './stream-state.js';

export function writeCallbacks(context: ScanFilterContext): FltOperationRegistration {
  return {
    pre(data, { instance }) {
      const write = data.parameters.write;
      const fileObject = data.fileObject;
      if (data.isInternal || !context.policy.scanOnWrite || write === undefined || fileObject === null || data.userBuffer === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      const bytes = data.userBuffer.subarray(0, write.length);
      return withStreamState(context, instance, fileObject, true, (state): FltPreopStatus => {
        if (state === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
        state.writers.add(fileObject);
        if (state.verdict === StreamVerdict.Infected && context.policy.action !== 'report') return completeWith(data, STATUS_VIRUS_INFECTED).status;
        const sequential = state.session !== null && (write.byteOffset === state.nextOffset || write.byteOffset === FILE_WRITE_TO_END_OF_FILE);
        if (sequential) {
          const found = state.session!.feed(bytes);
          if (found !== null) return refuse(context, instance, data, state, found, state.nextOffset, bytes);
          if (state.nextOffset < TYPE_PROBE_LENGTH) state.noteHead(bytes, TYPE_PROBE_LENGTH);
          state.nextOffset += bytes.length;
          return FLT_PREOP_SUCCESS_WITH_CALLBACK;
        }
        const found = scanOnItsOwn(context, write.byteOffset, bytes);
        if (found !== null) return refuse(context, instance, data, state, found, Math.max(0, write.byteOffset), bytes);
        state.markModified();
        const saved = state.journal !== null && write.byteOffset !== FILE_WRITE_TO_END_OF_FILE && state.journal.unsaved(write.byteOffset, write.byteOffset + bytes.length).length === 0;
        if (state.created || saved) return FLT_PREOP_SUCCESS_WITH_CALLBACK;
        return pendPreOperation(context.manager, data, async () => {
          await state.serialize(() => saveOriginal(context, instance, fileObject, state, write.byteOffset, write.byteOffset + bytes.length));
          return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK };
        });
      });
    },

    post(data, { instance }, _completion, flags) {
      // A write the file system failed may have landed in part: the sequential scan no longer knows the content.
      if ((flags & FLTFL_POST_OPERATION_DRAINING) === 0 && !NT_SUCCESS(data.ioStatus.status) && data.fileObject !== null) {
        withStreamState(context, instance, data.fileObject, false, (state) => state?.markModified());
      }
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}

export function setInformationCallbacks(context: ScanFilterContext): FltOperationRegistration {
  return {
    pre(data, { instance }) {
      const setFile = data.parameters.setFile;
      const fileObject = data.fileObject;
      if (data.isInternal || !context.policy.scanOnWrite || setFile === undefined || fileObject === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      if (setFile.fileInformationClass !== FileInformationClass.FileEndOfFileInformation) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      const endOfFile = (setFile.information as { endOfFile?: unknown }).endOfFile;
      if (typeof endOfFile !== 'number') return FLT_PREOP_SUCCESS_NO_CALLBACK;
      return withStreamState(context, instance, fileObject, true, (state): FltPreopStatus => {
        if (state === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
        state.writers.add(fileObject);
        if (state.verdict === StreamVerdict.Infected && context.policy.action !== 'report') return completeWith(data, STATUS_VIRUS_INFECTED).status;
        if (state.created) return FLT_PREOP_SUCCESS_WITH_CALLBACK;
        // Cutting an existing file: the bytes beyond the new end are saved before they go.
        return pendPreOperation(context.manager, data, async () => {
          await state.serialize(() => saveOriginal(context, instance, fileObject, state, endOfFile, Infinity));
          return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK };
        });
      });
    },

    post(data, { instance }, _completion, flags) {
      if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !NT_SUCCESS(data.ioStatus.status) || data.fileObject === null) return FLT_POSTOP_FINISHED_PROCESSING;
      const endOfFile = (data.parameters.setFile?.information as { endOfFile?: number } | undefined)?.endOfFile;
      withStreamState(context, instance, data.fileObject, false, (state) => {
        if (state === null || state.verdict === StreamVerdict.Infected) return;
        // Emptied: what is written next is the whole content again, so the sequential scan can restart.
        if (endOfFile === 0) state.restart(new ScanSession(context.engine.database));
        else if (!(state.session !== null && endOfFile === state.nextOffset)) state.markModified();
      });
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}

/** A write outside the sequential scan, scanned alone at its file offset: only a sure match counts. */
function scanOnItsOwn(context: ScanFilterContext, byteOffset: number, bytes: Uint8Array): Detection | null {
  const session = new ScanSession(context.engine.database, { startOffset: Math.max(0, byteOffset) });
  // feed() only reports certain matches; finish() would judge hashes and EOF patterns on a fragment.
  return session.feed(bytes);
}

function refuse(context: ScanFilterContext, instance: FltInstance, data: FltCallbackData, state: ScanStreamState, found: Detection, offset: number, bytes: Uint8Array): FltPreopStatus {
  const volume = instance.volume.name;
  const name = data.fileObject?.fileName ?? '';
  context.emit({ kind: 'threat-found', origin: 'write', volume, path: name, signature: found.name });
  if (context.policy.action === 'report') {
    state.markModified();
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
  }
  state.markInfected(found.name);
  state.refused = { offset, data: bytes.slice() };
  context.emit({ kind: 'blocked', origin: 'write', volume, path: name, signature: found.name });
  return completeWith(data, STATUS_VIRUS_INFECTED).status;
}

/** Saves the original bytes in [from, to) that are about to change, starting the journal if needed. */
async function saveOriginal(context: ScanFilterContext, instance: FltInstance, fileObject: FileObject, state: ScanStreamState, from: number, to: number): Promise<void> {
  const name = await currentName(context.manager, fileObject);
  await withBelowFile(context.manager, instance, name, async (file) => {
    const size = (await file.info()).size;
    state.journal ??= newUndoJournal(context, instance, name, size);
    await state.journal.renamed(name);
    const start = from === FILE_WRITE_TO_END_OF_FILE ? size : from;
    const end = to === Infinity ? size : from === FILE_WRITE_TO_END_OF_FILE ? size + (to - from) : to;
    for (const [gapFrom, gapTo] of state.journal.unsaved(start, end)) {
      await state.journal.save(gapFrom, await file.read(gapFrom, gapTo - gapFrom));
    }
    // Durable before the write or the cut goes down: a crash after it must still find the original.
    await state.journal.commit();
  });
}
