// IRP_MJ_CREATE. Pre: an open of an existing file is scanned first when the policy asks (refused with
// STATUS_VIRUS_INFECTED if infected); an open that overwrites or supersedes a file saves its current
// content into an undo journal, since the file system truncates it before any write is seen. Opens wait
// while a dead run's journals are recovered on the volume (journal-recovery.ts). Post: a stream the open
// created or emptied starts a sequential scan, remembering whether rollback deletes it.

import {
  FILE_CREATE, FILE_CREATED, FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FILE_OVERWRITE, FILE_OVERWRITE_IF,
  CREATE_OPENED, FILE_OVERWRITTEN, FILE_SUPERSEDE, FILE_SUPERSEDED, FILE_ATTRIBUTE_OFFLINE, STATUS_VIRUS_INFECTED,
} from '../../../main/io/index.js';
import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK,
  type FltCallbackData, type FltInstance, type FltOperationRegistration, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import { ScanSession } from '../engine/scan-session.js';
import { withBelowFile } from './below-file.js';
import { checkFile } from './file-check.js';
import { requestedName } from './file-names.js';
import { newUndoJournal, withStreamState, type ScanFilterContext } from './filter-context.js';
import { completeWith, pendPreOperation, type PreResult } from './pend-operation.js';
import type { UndoJournal } from './undo-journal.js';

/** Copy granularity when saving a file that an open is about to overwrite. */
const COPY_CHUNK = 1 << 20;

interface CreateContext {
  readonly journal: UndoJournal | null;
}

export function createCallbacks(context: ScanFilterContext): FltOperationRegistration {
  return {
    pre(data, { instance }) {
      const step = preCreate(context, data, instance);
      const recovery = data.isInternal ? undefined : context.recoveries.get(instance);
      // A dead run's journals are being dealt with on this volume: no open may see a file before that is done.
      if (recovery !== undefined) {
        return pendPreOperation(context.manager, data, async () => {
          await recovery;
          return typeof step === 'function' ? step() : { status: step };
        });
      }
      return typeof step === 'function' ? pendPreOperation(context.manager, data, step) : step;
    },

    post(data, { instance }, completionContext, flags) {
      const journal = (completionContext as CreateContext | undefined)?.journal ?? null;
      const outcome = data.ioStatus.information;
      const fresh = outcome === FILE_CREATED || outcome === FILE_OVERWRITTEN || outcome === FILE_SUPERSEDED;
      if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !CREATE_OPENED(data.ioStatus.status) || !fresh || !context.policy.scanOnWrite) {
        void journal?.discard();
        return FLT_POSTOP_FINISHED_PROCESSING;
      }
      const fileObject = data.fileObject!;
      withStreamState(context, instance, fileObject, true, (state) => {
        if (state === null) {
          void journal?.discard();
          return;
        }
        state.restart(new ScanSession(context.engine.database));
        state.created = outcome === FILE_CREATED;
        // Emptying an existing file changed it: this open counts as a writer, so another open's clean
        // cleanup does not settle the stream (and drop its journal) while this one may still write.
        if (!state.created) state.writers.add(fileObject);
        if (state.journal === null) {
          state.journal = journal;
        } else if (journal !== null) {
          // Another open already journalled this stream: its ranges hold the older original, this open's
          // journal (the whole file as it was) fills every range that one has not saved.
          const older = state.journal;
          void state
            .serialize(async () => {
              try {
                await older.absorb(journal);
              } finally {
                await journal.discard();
              }
            })
            .catch((error: unknown) => {
              // The older journal keeps what it had; a rollback restores those ranges only.
              process.emitWarning(error instanceof Error ? error : new Error(String(error)), { code: 'STRATA_SCAN_FILTER' });
            });
        }
      });
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}

/** What the pre-create does: a status now, or work to pend the open for. */
function preCreate(context: ScanFilterContext, data: FltCallbackData, instance: FltInstance): FltPreopStatus | (() => Promise<PreResult>) {
  const create = data.parameters.create;
  const fileObject = data.fileObject;
  if (data.isInternal || create === undefined || fileObject === null || (create.options & FILE_DIRECTORY_FILE) !== 0) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  const name = requestedName(fileObject);
  const { disposition } = create;
  const replaces = disposition === FILE_SUPERSEDE || disposition === FILE_OVERWRITE || disposition === FILE_OVERWRITE_IF;
  if (replaces && context.policy.scanOnWrite) {
    return async () => ({ status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: { journal: await saveWholeFile(context, instance, name) } });
  }
  if ((disposition === FILE_OPEN || disposition === FILE_OPEN_IF) && context.policy.scanOnOpen) {
    return async () => {
      const check = await checkFile(context, instance, name, 'open');
      if (check.signature !== null && context.policy.action !== 'report') return completeWith(data, STATUS_VIRUS_INFECTED);
      return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: { journal: null } };
    };
  }
  return disposition === FILE_CREATE || disposition === FILE_OPEN_IF ? FLT_PREOP_SUCCESS_WITH_CALLBACK : FLT_PREOP_SUCCESS_NO_CALLBACK;
}

/** Saves the whole current content of `name` (if it exists and is not an HSM stub) before it is replaced. */
async function saveWholeFile(context: ScanFilterContext, instance: FltInstance, name: string): Promise<UndoJournal | null> {
  return withBelowFile(context.manager, instance, name, async (file) => {
    const info = await file.info();
    // Reading a stub would recall it; the cold copy keeps the original of an offline file anyway.
    if (info.directory || (info.attributes & FILE_ATTRIBUTE_OFFLINE) !== 0) return null;
    const journal = newUndoJournal(context, instance, name, info.size);
    try {
      for (let offset = 0; offset < info.size; offset += COPY_CHUNK) {
        await journal.save(offset, await file.read(offset, Math.min(COPY_CHUNK, info.size - offset)));
      }
      // Durable before the open truncates the file: a crash after it must still find the original.
      await journal.commit();
    } catch (error) {
      await journal.discard();
      throw error;
    }
    return journal;
  });
}
