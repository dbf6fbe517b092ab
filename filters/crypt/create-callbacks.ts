// IRP_MJ_CREATE: Strata's own names (the vault folder, temporary files) are refused; a successful open of a
// file gets the stream's context, made on the first open by probing the file below the filter (held in the
// post-callback until the probe is done), shared by later opens. An open of a file the filter cannot attach
// to is cancelled and fails: let through, it would read the ciphertext and write into the age header.

import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED,
  FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_WITH_CALLBACK, FLT_SET_CONTEXT_KEEP_IF_EXISTS, type FltCallbackData,
  type FltFilter, type FltPostopStatus, type FltPreopStatus,
} from '../../main/fltmgr/index.js';
import {
  FILE_CREATED, FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OPENED, FILE_OPEN_IF, FILE_OVERWRITE, FILE_OVERWRITE_IF,
  FILE_OPEN_NO_RECALL, FILE_OVERWRITTEN, FILE_SUPERSEDE, FILE_SUPERSEDED, NT_SUCCESS, NtStatusError, STATUS_ACCESS_DENIED,
  STATUS_FILE_IS_A_DIRECTORY, STATUS_SUCCESS, type FileObject, type NTSTATUS,
} from '../../main/io/index.js';
import type { Below } from './below.js';
import { statusOf } from './crypt-status.js';
import { CryptStream } from './crypt-stream.js';
import type { CryptVolume } from './crypt-volume.js';
import { probe, type Base } from './file-probe.js';
import { componentsOf, isReservedName, joinName } from './names.js';

/** The volume-relative name an open refers to ("\dir\file"), resolving a relative open. */
export function nameOf(fileObject: FileObject): string {
  const own = componentsOf(fileObject.fileName);
  const related = fileObject.relatedFileObject;
  return joinName(related === null ? own : [...componentsOf(related.fileName), ...own]);
}

export function preCreate(volume: CryptVolume, data: FltCallbackData): FltPreopStatus | { status: FltPreopStatus; context: unknown } {
  const fileObject = data.fileObject;
  const name = fileObject === null ? '' : nameOf(fileObject);
  if (isReservedName(name)) {
    data.ioStatus.status = STATUS_ACCESS_DENIED;
    data.ioStatus.information = 0;
    return FLT_PREOP_COMPLETE;
  }
  const requested = overwriteAsOpen(data);
  // A file being saved is opened once the save is over (saves-in-progress.ts).
  const resume = () => volume.manager.completePendedPreOperation(data, FLT_PREOP_SUCCESS_WITH_CALLBACK, requested);
  return volume.saves.pendUntilSaved(data, name, resume) ?? { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: requested };
}

/**
 * Truncating the ciphertext at the open would lose the old version if Strata stopped before the save: the
 * file system opens it as it is, and the stream starts empty; the old file stays until the rename.
 * Returns the disposition the caller asked for when it was an overwrite (the post-callback's context).
 */
function overwriteAsOpen(data: FltCallbackData): number | undefined {
  const create = data.parameters.create;
  const requested = create?.disposition;
  if (create === undefined || (create.options & FILE_DIRECTORY_FILE) !== 0 || !REPLACING.has(requested!)) return undefined;
  create.disposition = requested === FILE_OVERWRITE ? FILE_OPEN : FILE_OPEN_IF;
  return requested;
}

const REPLACING = new Set([FILE_SUPERSEDE, FILE_OVERWRITE, FILE_OVERWRITE_IF]);

/** What the caller's create would have answered: overwritten or superseded where the file existed. */
function replacedInformation(requested: unknown, taken: number): number {
  if (typeof requested !== 'number' || taken !== FILE_OPENED) return taken;
  return requested === FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
}

export function postCreate(filter: FltFilter, volume: CryptVolume, data: FltCallbackData, requested: unknown, flags: number): FltPostopStatus {
  const fileObject = data.fileObject;
  if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !NT_SUCCESS(data.ioStatus.status) || fileObject === null || fileObject.fsContext === null) {
    return FLT_POSTOP_FINISHED_PROCESSING;
  }
  const taken = replacedInformation(requested, data.ioStatus.information);
  data.ioStatus.information = taken;
  const replaced = taken === FILE_CREATED || taken === FILE_OVERWRITTEN || taken === FILE_SUPERSEDED;
  const existing = volume.instance.getStreamContext<CryptStream>(fileObject);
  if (existing !== null) {
    joinStream(existing.value, replaced);
    existing.release();
    return FLT_POSTOP_FINISHED_PROCESSING;
  }
  const name = nameOf(fileObject);
  if (name === '' || ((data.parameters.create?.options ?? 0) & FILE_DIRECTORY_FILE) !== 0) return FLT_POSTOP_FINISHED_PROCESSING;
  attachOrCancel(filter, volume, data, fileObject, name, replaced).finally(() => volume.manager.completePendedPostOperation(data));
  return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
}

/**
 * Attaches the stream context of a first open; when the filter cannot, the open is undone below and fails with
 * the failure's status, as a filter calling FltCancelFileOpen does.
 */
async function attachOrCancel(
  filter: FltFilter, volume: CryptVolume, data: FltCallbackData, fileObject: FileObject, name: string, replaced: boolean,
): Promise<void> {
  const status = await attachStream(filter, volume, fileObject, name, replaced);
  if (NT_SUCCESS(status)) return;
  // The status first: whatever happens to the cancellation, this open never succeeds unfiltered.
  data.ioStatus.status = status;
  data.ioStatus.information = 0;
  await volume.manager.cancelFileOpen(volume.instance, fileObject);
}

/** STATUS_SUCCESS once the open has its stream context (or is of a directory, which gets none); else why not. */
async function attachStream(filter: FltFilter, volume: CryptVolume, fileObject: FileObject, name: string, replaced: boolean): Promise<NTSTATUS> {
  const opened = await volume.below.tryOpen(name);
  // A directory gets no stream context: its I/O passes through.
  if (opened.status === STATUS_FILE_IS_A_DIRECTORY) return STATUS_SUCCESS;
  if (opened.handle === null) return opened.status;
  let stream: CryptStream;
  try {
    // The data handle is an ordinary open (reading through it recalls a cold file, as the user asked);
    // the header is read through a no-recall open, so merely opening a file recalls nothing.
    stream = new CryptStream(replaced ? { kind: 'empty' } : await probeBelow(volume.below, name), name);
  } catch (error) {
    await volume.below.close(opened.handle);
    return statusOf(error);
  }
  stream.handle.set(opened.handle);
  const context = filter.allocateContext('stream', stream);
  const result = volume.instance.setStreamContext(fileObject, FLT_SET_CONTEXT_KEEP_IF_EXISTS, context);
  if (!NT_SUCCESS(result.status) && result.oldContext === null) {
    // The instance is being torn down (STATUS_FLT_DELETING_OBJECT): the open fails rather than run unfiltered.
    context.release();
    await volume.below.close(opened.handle);
    return result.status;
  }
  if (result.oldContext !== null) {
    // Another open of the same stream won the race: join it (and overwrite it, as this open asked).
    joinStream(result.oldContext.value, replaced);
    result.oldContext.release();
    await volume.below.close(opened.handle);
  } else {
    if (replaced) stream.reset();
    stream.userOpens = 1;
    volume.streams.add(stream);
  }
  context.release();
  return STATUS_SUCCESS;
}

/** One more open of a stream that has its context; an overwriting one starts it empty. */
function joinStream(stream: CryptStream, replaced: boolean): void {
  stream.userOpens++;
  if (replaced) stream.reset();
}

/**
 * probeByName, keeping the status of a failed open: the file was there a moment ago (the data handle is
 * open), so a failure here is a real one, and the caller's open fails with it.
 */
async function probeBelow(below: Below, name: string): Promise<Base> {
  const opened = await below.tryOpen(name, FILE_OPEN_NO_RECALL);
  if (opened.handle === null) throw new NtStatusError(opened.status, `probe '${name}'`);
  try {
    return await probe(below, opened.handle);
  } finally {
    await below.close(opened.handle);
  }
}
