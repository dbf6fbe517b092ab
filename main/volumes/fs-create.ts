// IRP_MJ_CREATE: opens or creates a file or directory according to the NT disposition and options,
// and hangs the stream's FCB (fsContext, shared by all opens) and a fresh CCB (fsContext2) on the file
// object. The whole lookup-then-create sequence runs under the volume's namespace lock.

import {
  FILE_CREATE, FILE_CREATED, FILE_DELETE_ON_CLOSE, FILE_DIRECTORY_FILE, FILE_NO_INTERMEDIATE_BUFFERING,
  FILE_NON_DIRECTORY_FILE, FILE_OPEN, FILE_OPENED, FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_OVERWRITTEN, FILE_SUPERSEDE, FILE_SUPERSEDED,
  STATUS_CANNOT_DELETE, STATUS_DELETE_PENDING, STATUS_FILE_IS_A_DIRECTORY, STATUS_INVALID_PARAMETER,
  STATUS_NOT_A_DIRECTORY, STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_OBJECT_PATH_NOT_FOUND, STATUS_REPARSE, STATUS_SUCCESS, IO_REPARSE, type CreateParameters, type FileObject, type Irp, type NTSTATUS,
} from '../io/index.js';
import { drive, wait, type Operation } from './sync-or-async.js';
import { volumeDispatch } from './volume-dispatch.js';
import { VolumeError } from './volume-error.js';
import { parseVolumePath, volumePathName, type VolumePath } from './volume-path.js';
import { VolumeCcb, VolumeFcb, type Volume } from './volume-state.js';

export const dispatchCreate = volumeDispatch((volume, irp, loc) => {
  const fileObject = loc.fileObject;
  const create = loc.parameters.create;
  if (fileObject === null || create === undefined) return STATUS_INVALID_PARAMETER;
  const refused = checkCreateParameters(create);
  if (refused !== STATUS_SUCCESS) return refused;
  const name = parseVolumePath(fileObject.fileName, relatedDirectory(volume, fileObject));
  return volume.exclusive(() => drive(openOrCreate(volume, irp, fileObject, create, name)));
});

function checkCreateParameters({ disposition, options }: CreateParameters): NTSTATUS {
  if (!Number.isInteger(disposition) || disposition < FILE_SUPERSEDE || disposition > FILE_OVERWRITE_IF) return STATUS_INVALID_PARAMETER;
  const wantDirectory = (options & FILE_DIRECTORY_FILE) !== 0;
  if (wantDirectory && (options & FILE_NON_DIRECTORY_FILE) !== 0) return STATUS_INVALID_PARAMETER;
  // A directory cannot be overwritten or superseded: NT refuses the combination outright.
  if (wantDirectory && replacesData(disposition)) return STATUS_INVALID_PARAMETER;
  return STATUS_SUCCESS;
}

function replacesData(disposition: number): boolean {
  return disposition === FILE_SUPERSEDE || disposition === FILE_OVERWRITE || disposition === FILE_OVERWRITE_IF;
}

/** The components of the related directory for a relative open, null for an absolute one. */
function relatedDirectory(volume: Volume, fileObject: FileObject): string[] | null {
  const related = fileObject.relatedFileObject;
  if (related === null) return null;
  const fcb = related.fsContext;
  if (fcb instanceof VolumeFcb && fcb.volume === volume && fcb.directory) return fcb.path;
  throw new VolumeError(STATUS_INVALID_PARAMETER, `relative open of '${fileObject.fileName}': the related file object is not a directory open on this volume`);
}

function* openOrCreate(volume: Volume, irp: Irp, fileObject: FileObject, create: CreateParameters, name: VolumePath): Operation<NTSTATUS> {
  const { disposition, options } = create;
  const { components, mustBeDirectory } = name;
  const backend = volume.backend;
  const deleteOnClose = (options & FILE_DELETE_ON_CLOSE) !== 0;
  if (components.length === 0 && deleteOnClose) return STATUS_CANNOT_DELETE;

  let fcb = volume.fcbs.get(volume.keyOf(volumePathName(components)));
  if (fcb !== undefined && fcb.deletePending) return STATUS_DELETE_PENDING;
  const entry = fcb === undefined ? yield* wait(backend.lookup(components)) : null;
  if (entry?.target !== undefined) return reparse(irp, fileObject, entry.target, mustBeDirectory);

  let stream: unknown;
  let directory: boolean;
  let information: number;
  if (fcb !== undefined || entry !== null) {
    directory = fcb !== undefined ? fcb.directory : entry!.directory;
    const refused = checkOpenExisting(disposition, options, directory, mustBeDirectory);
    if (refused !== STATUS_SUCCESS) return refused;
    stream = fcb !== undefined ? fcb.stream : yield* wait(backend.open(components, entry!));
    information = FILE_OPENED;
    if (replacesData(disposition)) {
      try {
        yield* wait(backend.setSize(stream, 0));
      } catch (error) {
        if (fcb === undefined) yield* wait(backend.close(stream));
        throw error;
      }
      information = disposition === FILE_SUPERSEDE ? FILE_SUPERSEDED : FILE_OVERWRITTEN;
    }
  } else {
    const parent = yield* lookUpParent(volume, components);
    // A new entry in a directory reached through a link is created where that directory really is.
    if (parent.target !== undefined) return reparse(irp, fileObject, [...parent.target, components[components.length - 1]!], mustBeDirectory);
    const parentStatus = parent.status;
    if (disposition === FILE_OPEN || disposition === FILE_OVERWRITE) {
      return parentStatus === STATUS_SUCCESS ? STATUS_OBJECT_NAME_NOT_FOUND : parentStatus;
    }
    if (parentStatus !== STATUS_SUCCESS) return parentStatus;
    directory = (options & FILE_DIRECTORY_FILE) !== 0;
    if (mustBeDirectory && !directory) return STATUS_OBJECT_NAME_INVALID;
    stream = yield* wait(directory ? backend.createDirectory(components) : backend.createFile(components));
    information = FILE_CREATED;
  }

  if (fcb === undefined) {
    fcb = new VolumeFcb(volume, components, directory, stream);
    volume.fcbs.set(fcb.key, fcb);
  }
  fcb.openCount++;
  fcb.referenceCount++;
  volume.openFiles++;
  const ccb = new VolumeCcb(fcb);
  ccb.deleteOnClose = deleteOnClose;
  ccb.unbuffered = (options & FILE_NO_INTERMEDIATE_BUFFERING) !== 0;
  fileObject.fsContext = fcb;
  fileObject.fsContext2 = ccb;
  irp.ioStatus.information = information;
  return STATUS_SUCCESS;
}

/**
 * The path reached its entry through a link: as NT's I/O manager does for a symbolic link, the create is
 * sent again under the entry's own name (STATUS_REPARSE, the new name in the file object), so that every
 * filter sees, and every stream is known by, the name the file really has.
 */
function reparse(irp: Irp, fileObject: FileObject, target: readonly string[], mustBeDirectory: boolean): NTSTATUS {
  fileObject.fileName = volumePathName(target) + (mustBeDirectory && target.length > 0 ? '\\' : '');
  fileObject.relatedFileObject = null;
  irp.ioStatus.information = IO_REPARSE;
  return STATUS_REPARSE;
}

function checkOpenExisting(disposition: number, options: number, directory: boolean, mustBeDirectory: boolean): NTSTATUS {
  if (disposition === FILE_CREATE) return STATUS_OBJECT_NAME_COLLISION;
  if (directory) {
    if ((options & FILE_NON_DIRECTORY_FILE) !== 0 || replacesData(disposition)) return STATUS_FILE_IS_A_DIRECTORY;
  } else {
    if ((options & FILE_DIRECTORY_FILE) !== 0) return STATUS_NOT_A_DIRECTORY;
    if (mustBeDirectory) return STATUS_OBJECT_NAME_INVALID;
  }
  return STATUS_SUCCESS;
}

/**
 * STATUS_SUCCESS when the parent of `components` is a live directory, named as it really is, that an entry
 * may be moved into. A rename's folder reaches the volume by its own name (the I/O manager opens it first,
 * main/io/rename-target.ts): one that is a link by now was swapped since, and is refused.
 */
export function* checkParent(volume: Volume, components: readonly string[]): Operation<NTSTATUS> {
  const parent = yield* lookUpParent(volume, components);
  return parent.target === undefined ? parent.status : STATUS_OBJECT_PATH_NOT_FOUND;
}

/** checkParent's answer, and where the parent really is when `components` reach it through a link. */
function* lookUpParent(volume: Volume, components: readonly string[]): Operation<{ status: NTSTATUS; target?: readonly string[] }> {
  const parent = components.slice(0, -1);
  if (volume.fcbs.get(volume.keyOf(volumePathName(parent)))?.deletePending) return { status: STATUS_DELETE_PENDING };
  const entry = yield* wait(volume.backend.lookup(parent));
  if (entry === null || !entry.directory) return { status: STATUS_OBJECT_PATH_NOT_FOUND };
  return entry.target === undefined ? { status: STATUS_SUCCESS } : { status: STATUS_SUCCESS, target: entry.target };
}
