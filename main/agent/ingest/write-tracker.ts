// The agent's own minifilter, at the bottom of every folder's stack: it sees each modification that
// reaches the file system through Strata (the user's I/O through the GUI, ingest, and the filters' own
// internal I/O such as encryption and HSM stubs) and reports it, so the watcher can tell Strata's writes
// from other programs' writes. It observes only; it never changes an operation.

import {
  FILE_OVERWRITE, FILE_OVERWRITE_IF, FILE_SUPERSEDE, FileInformationClass, IRP_MJ_CLEANUP, IRP_MJ_CREATE,
  IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE, NT_SUCCESS, FILE_CREATED, type FileObject,
} from '../../io/index.js';
import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_WITH_CALLBACK,
  type FilterManager, type FltCallbackData, type FltFilter,
} from '../../fltmgr/index.js';
import { VolumeFcb, hostNameOf } from '../../volumes/index.js';

/** The FSFilter Bottom band (40000-49999): below every protection, so it also sees their own I/O. */
export const WRITE_TRACKER_ALTITUDE = '45000';
export const WRITE_TRACKER_NAME = 'StrataWriteTracker';

export interface WriteSink {
  /** A file object began modifying the stream (its first write, truncation, rename or create-over). */
  begin(stream: object, relativePath: () => string): void;
  /** That file object's handle was cleaned up: the stream is as it will stay, under `relativePath`. */
  end(stream: object, relativePath: string): void;
}

const MODIFYING_CLASSES = new Set<number>([
  FileInformationClass.FileEndOfFileInformation,
  FileInformationClass.FileRenameInformation,
  FileInformationClass.FileBasicInformation,
]);

export function registerWriteTracker(manager: FilterManager, sink: WriteSink): FltFilter {
  const modifying = new WeakSet<FileObject>();
  const mark = (data: FltCallbackData, flags: number): typeof FLT_POSTOP_FINISHED_PROCESSING => {
    const fileObject = data.fileObject;
    const fcb = fileObject?.fsContext;
    if ((flags & FLTFL_POST_OPERATION_DRAINING) === 0 && NT_SUCCESS(data.ioStatus.status) && fileObject != null && fcb instanceof VolumeFcb && !fcb.directory && !modifying.has(fileObject)) {
      modifying.add(fileObject);
      sink.begin(fcb, () => relativeOf(fcb));
    }
    return FLT_POSTOP_FINISHED_PROCESSING;
  };
  const filter = manager.registerFilter({
    name: WRITE_TRACKER_NAME,
    altitude: WRITE_TRACKER_ALTITUDE,
    operations: {
      [IRP_MJ_CREATE]: {
        pre: () => FLT_PREOP_SUCCESS_WITH_CALLBACK,
        post: (data, _objects, _context, flags) => {
          const disposition = data.parameters.create?.disposition;
          const replaced = disposition === FILE_SUPERSEDE || disposition === FILE_OVERWRITE || disposition === FILE_OVERWRITE_IF;
          return replaced || data.ioStatus.information === FILE_CREATED ? mark(data, flags) : FLT_POSTOP_FINISHED_PROCESSING;
        },
      },
      [IRP_MJ_WRITE]: { pre: () => FLT_PREOP_SUCCESS_WITH_CALLBACK, post: (data, _o, _c, flags) => mark(data, flags) },
      [IRP_MJ_SET_INFORMATION]: {
        pre: (data) => (MODIFYING_CLASSES.has(data.parameters.setFile?.fileInformationClass ?? -1) ? FLT_PREOP_SUCCESS_WITH_CALLBACK : { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: 'skip' }),
        post: (data, _o, context, flags) => (context === 'skip' ? FLT_POSTOP_FINISHED_PROCESSING : mark(data, flags)),
      },
      [IRP_MJ_CLEANUP]: {
        pre: () => FLT_PREOP_SUCCESS_WITH_CALLBACK,
        post: (data) => {
          const fileObject = data.fileObject;
          const fcb = fileObject?.fsContext;
          if (fileObject != null && modifying.has(fileObject) && fcb instanceof VolumeFcb) {
            modifying.delete(fileObject);
            sink.end(fcb, relativeOf(fcb));
          }
          return FLT_POSTOP_FINISHED_PROCESSING;
        },
      },
    },
  });
  filter.startFiltering();
  return filter;
}

/** The stream's current folder-relative path, forward slashes, names as the host spells them (it follows renames). */
function relativeOf(fcb: VolumeFcb): string {
  return fcb.path.map(hostNameOf).join('/');
}
