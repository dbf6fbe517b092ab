// IRP_MJ_SET_INFORMATION: times and attributes, end of file, delete disposition and rename. Deletion
// only marks the FCB delete-pending here; the entry goes away at the cleanup of the last handle.

import {
  FileInformationClass, STATUS_CANNOT_DELETE, STATUS_DIRECTORY_NOT_EMPTY, STATUS_INVALID_HANDLE,
  STATUS_INVALID_INFO_CLASS, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, type FileBasicInformationUpdate,
  type FileObject, type NTSTATUS,
} from '../io/index.js';
import { renameStream } from './fs-rename.js';
import { after, drive, wait, type Operation } from './sync-or-async.js';
import { volumeDispatch } from './volume-dispatch.js';
import { ccbOf, type Volume, type VolumeFcb } from './volume-state.js';

const BASIC_FIELDS = ['creationTime', 'lastAccessTime', 'lastWriteTime', 'changeTime', 'fileAttributes'] as const;

export const dispatchSetInformation = volumeDispatch((volume, _irp, loc) => {
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return STATUS_INVALID_HANDLE;
  const parameters = loc.parameters.setFile;
  if (parameters === undefined) return STATUS_INVALID_PARAMETER;
  const fcb = ccb.fcb;
  const information = parameters.information as Record<string, unknown> | null;
  if (typeof information !== 'object' || information === null) return STATUS_INVALID_PARAMETER;
  switch (parameters.fileInformationClass) {
    case FileInformationClass.FileBasicInformation:
      return setBasic(volume, fcb, information);
    case FileInformationClass.FileEndOfFileInformation:
      return setEndOfFile(volume, fcb, information.endOfFile);
    case FileInformationClass.FileDispositionInformation:
      if (typeof information.deleteFile !== 'boolean') return STATUS_INVALID_PARAMETER;
      return setDisposition(volume, fcb, loc.fileObject!, information.deleteFile);
    case FileInformationClass.FileRenameInformation:
      if (typeof information.fileName !== 'string' || typeof information.replaceIfExists !== 'boolean') return STATUS_INVALID_PARAMETER;
      return renameStream(volume, fcb, information.fileName, information.replaceIfExists);
    default:
      return STATUS_INVALID_INFO_CLASS;
  }
});

function setBasic(volume: Volume, fcb: VolumeFcb, information: Record<string, unknown>) {
  const update: FileBasicInformationUpdate = {};
  for (const field of BASIC_FIELDS) {
    const value = information[field];
    if (value === undefined || value === 0) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < -1) return STATUS_INVALID_PARAMETER;
    // -1 asks NT not to update the time on later I/O; Strata does not track that, so it keeps the value.
    if (value !== -1) update[field] = value;
  }
  return after(volume.backend.setBasic(fcb.stream, fcb.path, update), () => STATUS_SUCCESS);
}

function setEndOfFile(volume: Volume, fcb: VolumeFcb, endOfFile: unknown) {
  if (fcb.directory || typeof endOfFile !== 'number' || !Number.isInteger(endOfFile) || endOfFile < 0) return STATUS_INVALID_PARAMETER;
  return after(volume.backend.setSize(fcb.stream, endOfFile), () => STATUS_SUCCESS);
}

function setDisposition(volume: Volume, fcb: VolumeFcb, fileObject: FileObject, deleteFile: boolean) {
  if (!deleteFile) {
    fcb.deletePending = false;
    fileObject.deletePending = false;
    return STATUS_SUCCESS;
  }
  if (fcb.path.length === 0) return STATUS_CANNOT_DELETE;
  return volume.exclusive(() => drive(markDeletePending(volume, fcb, fileObject)));
}

function* markDeletePending(volume: Volume, fcb: VolumeFcb, fileObject: FileObject): Operation<NTSTATUS> {
  if (fcb.directory && !(yield* wait(volume.backend.isEmptyDirectory(fcb.stream, fcb.path)))) return STATUS_DIRECTORY_NOT_EMPTY;
  fcb.deletePending = true;
  fileObject.deletePending = true;
  return STATUS_SUCCESS;
}
