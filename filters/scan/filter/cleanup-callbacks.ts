// IRP_MJ_CLEANUP of an open that wrote: the stream's verdict becomes final. A sequential scan is finished
// (hashes, EOF patterns, logical signatures; archives are opened by a rescan); a modified stream is
// rescanned whole through the filter's own I/O. An infected stream is quarantined (per policy), then
// rolled back so nothing of it stays on disk: a file this stream created is deleted, an existing file
// gets its original bytes back from the undo journal. The cleanup itself then fails with
// STATUS_VIRUS_INFECTED, after the file system has done its part (the open is still closed).

import {
  FileHandle, FileInformationClass, NT_SUCCESS, NtStatusError, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_VIRUS_INFECTED,
  type FileObject, type FileStandardInformation, type NTSTATUS,
} from '../../../main/io/index.js';
import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK,
  type FltInstance, type FltOperationRegistration,
} from '../../../main/fltmgr/index.js';
import { archiveTypeOf } from '../archives/archive-type.js';
import { scanContent } from '../archives/content-scanner.js';
import { overlaySource } from '../source/overlay-source.js';
import { withBelowFile, type BelowFile } from './below-file.js';
import { currentName } from './file-names.js';
import { streamStateOf, verdictCacheOf, type ScanFilterContext } from './filter-context.js';
import { pendPreOperation, statusOfError } from './pend-operation.js';
import { StreamVerdict, type ScanStreamState } from './stream-state.js';

/** How many times the rescan or the rollback follows a rename that came between the name query and the open. */
const RENAME_RETRIES = 3;

interface CleanupOutcome {
  readonly infected: boolean;
  /** The verdict could not be reached (an I/O error of the rescan or the rollback). */
  readonly failure?: NTSTATUS;
}

export function cleanupCallbacks(context: ScanFilterContext): FltOperationRegistration {
  return {
    pre(data, { instance }) {
      const fileObject = data.fileObject;
      if (data.isInternal || fileObject === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      const held = streamStateOf(context, instance, fileObject, false);
      if (held === null) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      const state = held.value;
      if (!state.writers.has(fileObject)) {
        held.release();
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
      }
      return pendPreOperation(context.manager, data, async () => {
        try {
          // Whatever happens, the cleanup goes down to the file system: an open must always be closed.
          const outcome = await state
            .serialize(() => finalVerdict(context, instance, fileObject, state))
            .catch((error: unknown): CleanupOutcome => ({ infected: state.verdict === StreamVerdict.Infected, failure: statusOfError(error) }));
          return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: outcome };
        } finally {
          held.release();
        }
      });
    },

    post(data, _objects, completion, flags) {
      const outcome = completion as CleanupOutcome | undefined;
      if ((flags & FLTFL_POST_OPERATION_DRAINING) === 0 && outcome !== undefined && NT_SUCCESS(data.ioStatus.status)) {
        // A failure says more than the verdict: an infected stream that could not be rolled back is still there.
        if (outcome.failure !== undefined) data.ioStatus.status = outcome.failure;
        else if (outcome.infected) data.ioStatus.status = STATUS_VIRUS_INFECTED;
      }
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}

async function finalVerdict(context: ScanFilterContext, instance: FltInstance, fileObject: FileObject, state: ScanStreamState): Promise<CleanupOutcome> {
  state.writers.delete(fileObject);
  const name = await currentName(context.manager, fileObject);
  const volume = instance.volume.name;
  if (state.verdict === StreamVerdict.Infected) {
    if (!state.rolledBack) await removeInfected(context, instance, fileObject, state);
    return { infected: context.policy.action !== 'report' };
  }
  const signature = await decide(context, instance, fileObject, state);
  if (signature === null) {
    if (state.writers.size === 0) await settleClean(state);
    context.emit({ kind: 'scanned', origin: 'cleanup', volume, path: name, signature: null });
    return { infected: false };
  }
  context.emit({ kind: 'threat-found', origin: 'cleanup', volume, path: name, signature });
  if (context.policy.action === 'report') return { infected: false };
  state.markInfected(signature);
  await removeInfected(context, instance, fileObject, state);
  return { infected: true };
}

/** The stream's final verdict: from its sequential scan when it has one, else from a rescan. */
async function decide(context: ScanFilterContext, instance: FltInstance, fileObject: FileObject, state: ScanStreamState): Promise<string | null> {
  if (state.verdict === StreamVerdict.Scanning && state.session !== null) {
    const session = state.session;
    const found = session.finish();
    // Another writer still has the stream open: later writes need a rescan.
    if (state.writers.size > 0) state.markModified();
    else state.session = null;
    if (found !== null) return found.name;
    // Containers are opened by the rescan (a zip's directory is at its end); plain content is done.
    if (session.size === 0 || archiveTypeOf(state.head) === null) return null;
  } else if (state.verdict !== StreamVerdict.Modified) {
    return null;
  }
  const rescan = await withStreamFile(context, instance, fileObject, async (file) => {
    const info = await file.info();
    return scanContent(context.engine.database, file.source(info.size), { limits: context.policy.limits });
  });
  // Deleted (delete pending): nothing of it stays to be judged.
  return rescan?.value.detection?.name ?? null;
}

/**
 * Runs `use` on the stream's file opened below `instance` by its current name, asked again right before
 * the open (a rename may have come since the cleanup began). Null when the file is being deleted; a file
 * not found under its current name (renamed in between) fails with STATUS_OBJECT_NAME_NOT_FOUND, so a
 * stream that could not be read is never taken for clean, nor one that could not be rolled back for restored.
 */
async function withStreamFile<T>(context: ScanFilterContext, instance: FltInstance, fileObject: FileObject, use: (file: BelowFile, name: string) => Promise<T>): Promise<{ readonly value: T; readonly name: string } | null> {
  let name = await currentName(context.manager, fileObject);
  for (let attempt = 1; ; attempt++) {
    const tried = name;
    const result = await withBelowFile(context.manager, instance, tried, async (file) => ({ value: await use(file, tried), name: tried }));
    if (result !== null) return result;
    // Renamed between the name query and the open: try the new name (a few times, renames may go on).
    name = await currentName(context.manager, fileObject);
    if (name === tried || attempt === RENAME_RETRIES) break;
  }
  const standard = await context.manager.api.queryInformation(new FileHandle(fileObject), FileInformationClass.FileStandardInformation);
  if (NT_SUCCESS(standard.status) && (standard.info as FileStandardInformation).deletePending) return null;
  throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, `scan filter: ${name} is not found (renamed while its cleanup ran?)`);
}

async function settleClean(state: ScanStreamState): Promise<void> {
  state.verdict = StreamVerdict.Clean;
  state.session = null;
  state.created = false;
  const journal = state.journal;
  state.journal = null;
  await journal?.discard();
}

/** Quarantines (per policy) then rolls back the infected stream; the file keeps no infected byte. */
async function removeInfected(context: ScanFilterContext, instance: FltInstance, fileObject: FileObject, state: ScanStreamState): Promise<void> {
  const volume = instance.volume.name;
  const signature = state.signature ?? 'unknown';
  const deleted = state.created || state.journal === null;
  const rollback = await withStreamFile(context, instance, fileObject, async (file, name) => {
    if (context.policy.action === 'quarantine' && context.sink !== null) {
      try {
        const id = await context.sink.quarantine({ origin: state.refused === null ? 'cleanup' : 'write', volume, path: name, signature, content: await infectedContent(file, state) });
        context.emit({ kind: 'quarantined', origin: 'cleanup', volume, path: name, signature, detail: id });
      } catch (error) {
        // Not kept, but still removed: infected data must not stay because the quarantine failed.
        context.emit({ kind: 'blocked', origin: 'cleanup', volume, path: name, signature, detail: `not quarantined: ${(error as Error).message}` });
      }
    }
    if (state.created || state.journal === null) {
      // Created by this stream, or no original was kept (an HSM stub overwritten, whose content the
      // overwrite gave up): nothing of it may remain. (An overwrite's journal is never lost: create-callbacks.)
      await file.markForDeletion();
    } else {
      await state.journal.restore(file);
      await file.flush();
    }
  });
  const name = rollback?.name ?? (await currentName(context.manager, fileObject));
  verdictCacheOf(instance).forget(name);
  state.rolledBack = true;
  const journal = state.journal;
  state.journal = null;
  await journal?.discard();
  // Null: the file is being deleted, nothing of it stays.
  context.emit({ kind: 'blocked', origin: 'cleanup', volume, path: name, signature, detail: deleted || rollback === null ? 'removed' : 'restored' });
}

async function infectedContent(file: BelowFile, state: ScanStreamState) {
  const source = file.source((await file.info()).size);
  return state.refused === null ? source : overlaySource(source, state.refused.offset, state.refused.data);
}
