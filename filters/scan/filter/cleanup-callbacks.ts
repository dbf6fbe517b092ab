// IRP_MJ_CLEANUP of an open that wrote: the stream's verdict becomes final. A sequential scan is finished
// (hashes, EOF patterns, logical signatures; archives are opened by a rescan); a modified stream is
// rescanned whole through the filter's own I/O. An infected stream is quarantined (per policy), then
// rolled back so nothing of it stays on disk: a file this stream created is deleted, an existing file
// gets its original bytes back from the undo journal. The cleanup itself then fails with
// STATUS_VIRUS_INFECTED, after the file system has done its part (the open is still closed).

import { NT_SUCCESS, STATUS_VIRUS_INFECTED, type FileObject, type NTSTATUS } from '../../../main/io/index.js';
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
        if (outcome.infected) data.ioStatus.status = STATUS_VIRUS_INFECTED;
        else if (outcome.failure !== undefined) data.ioStatus.status = outcome.failure;
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
    if (!state.rolledBack) await removeInfected(context, instance, name, state);
    return { infected: context.policy.action !== 'report' };
  }
  const signature = await decide(context, instance, name, state);
  if (signature === null) {
    if (state.writers.size === 0) await settleClean(state);
    context.emit({ kind: 'scanned', origin: 'cleanup', volume, path: name, signature: null });
    return { infected: false };
  }
  context.emit({ kind: 'threat-found', origin: 'cleanup', volume, path: name, signature });
  if (context.policy.action === 'report') return { infected: false };
  state.markInfected(signature);
  await removeInfected(context, instance, name, state);
  return { infected: true };
}

/** The stream's final verdict: from its sequential scan when it has one, else from a rescan. */
async function decide(context: ScanFilterContext, instance: FltInstance, name: string, state: ScanStreamState): Promise<string | null> {
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
  const verdict = await withBelowFile(context.manager, instance, name, async (file) => {
    const info = await file.info();
    return scanContent(context.engine.database, file.source(info.size), { limits: context.policy.limits });
  });
  return verdict?.detection?.name ?? null;
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
async function removeInfected(context: ScanFilterContext, instance: FltInstance, name: string, state: ScanStreamState): Promise<void> {
  const volume = instance.volume.name;
  const signature = state.signature ?? 'unknown';
  await withBelowFile(context.manager, instance, name, async (file) => {
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
      // Created by this stream (or no original could be kept): nothing of it may remain.
      await file.markForDeletion();
    } else {
      await state.journal.restore(file);
      await file.flush();
    }
  });
  state.rolledBack = true;
  const journal = state.journal;
  state.journal = null;
  await journal?.discard();
  verdictCacheOf(instance).forget(name);
  context.emit({ kind: 'blocked', origin: 'cleanup', volume, path: name, signature, detail: state.created ? 'removed' : 'restored' });
}

async function infectedContent(file: BelowFile, state: ScanStreamState) {
  const source = file.source((await file.info()).size);
  return state.refused === null ? source : overlaySource(source, state.refused.offset, state.refused.data);
}
