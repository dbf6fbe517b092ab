// IRP_MJ_CREATE: Strata's own names (the vault folder, temporary files) are refused; a successful open of a
// file gets the stream's context, made on the first open by probing the file below the filter (held in the
// post-callback until the probe is done), shared by later opens.

import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED,
  FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_WITH_CALLBACK, FLT_SET_CONTEXT_KEEP_IF_EXISTS, type FltCallbackData,
  type FltFilter, type FltPostopStatus, type FltPreopStatus,
} from '../../main/fltmgr/index.js';
import {
  FILE_CREATED, FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OPENED, FILE_OPEN_IF, FILE_OVERWRITE, FILE_OVERWRITE_IF,
  FILE_OVERWRITTEN, FILE_SUPERSEDE, FILE_SUPERSEDED, NT_SUCCESS, STATUS_ACCESS_DENIED, type FileObject,
} from '../../main/io/index.js';
import { CryptStream } from './crypt-stream.js';
import type { CryptVolume } from './crypt-volume.js';
import { probeByName } from './file-probe.js';
import { componentsOf, isReservedName, joinName } from './names.js';

/** The volume-relative name an open refers to ("\dir\file"), resolving a relative open. */
export function nameOf(fileObject: FileObject): string {
  const own = componentsOf(fileObject.fileName);
  const related = fileObject.relatedFileObject;
  return joinName(related === null ? own : [...componentsOf(related.fileName), ...own]);
}

export function preCreate(data: FltCallbackData): FltPreopStatus | { status: FltPreopStatus; context: unknown } {
  const fileObject = data.fileObject;
  if (fileObject !== null && isReservedName(nameOf(fileObject))) {
    data.ioStatus.status = STATUS_ACCESS_DENIED;
    data.ioStatus.information = 0;
    return FLT_PREOP_COMPLETE;
  }
  const create = data.parameters.create;
  const requested = create?.disposition;
  if (create === undefined || (create.options & FILE_DIRECTORY_FILE) !== 0 || !REPLACING.has(requested!)) return FLT_PREOP_SUCCESS_WITH_CALLBACK;
  // Truncating the ciphertext now would lose the old version if Strata stopped before the save: the
  // file system opens it as it is, and the stream starts empty; the old file stays until the rename.
  create.disposition = requested === FILE_OVERWRITE ? FILE_OPEN : FILE_OPEN_IF;
  return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: requested };
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
    existing.value.userOpens++;
    if (replaced) existing.value.reset();
    existing.release();
    return FLT_POSTOP_FINISHED_PROCESSING;
  }
  const name = nameOf(fileObject);
  if (name === '' || ((data.parameters.create?.options ?? 0) & FILE_DIRECTORY_FILE) !== 0) return FLT_POSTOP_FINISHED_PROCESSING;
  attachStream(filter, volume, fileObject, name, replaced).finally(() => volume.manager.completePendedPostOperation(data));
  return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
}

async function attachStream(filter: FltFilter, volume: CryptVolume, fileObject: FileObject, name: string, replaced: boolean): Promise<void> {
  const opened = await volume.below.tryOpen(name);
  // A directory (or something the filter cannot open) gets no stream context: its I/O passes through.
  if (opened.handle === null) return;
  let stream: CryptStream;
  try {
    // The data handle is an ordinary open (reading through it recalls a cold file, as the user asked);
    // the header is read through a no-recall open, so merely opening a file recalls nothing.
    const base = replaced ? { kind: 'empty' as const } : await probeByName(volume.below, name);
    if (base === null) throw new Error('vanished while opened');
    stream = new CryptStream(base, name);
  } catch {
    await volume.below.close(opened.handle);
    return;
  }
  stream.handle.set(opened.handle);
  if (replaced) stream.reset();
  const context = filter.allocateContext('stream', stream);
  const result = volume.instance.setStreamContext(fileObject, FLT_SET_CONTEXT_KEEP_IF_EXISTS, context);
  if (result.oldContext !== null) {
    // Another open of the same stream won the race: join it.
    result.oldContext.value.userOpens++;
    result.oldContext.release();
    await volume.below.close(opened.handle);
  } else {
    stream.userOpens = 1;
    volume.streams.add(stream);
  }
  context.release();
}
