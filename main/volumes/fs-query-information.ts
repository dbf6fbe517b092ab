// IRP_MJ_QUERY_INFORMATION: basic, standard, network-open, name and all information of an open stream,
// built from the backend's entry and the FCB (delete pending, NT name) into irp.infoBuffer.

import {
  FileInformationClass, STATUS_INVALID_HANDLE, STATUS_INVALID_INFO_CLASS, STATUS_INVALID_PARAMETER, STATUS_SUCCESS,
  type FileAllInformation, type FileBasicInformation, type FileNetworkOpenInformation, type FileStandardInformation,
  type Irp, type NTSTATUS,
} from '../io/index.js';
import { after } from './sync-or-async.js';
import type { EntryInfo } from './volume-backend.js';
import { volumeDispatch } from './volume-dispatch.js';
import { ccbOf, type VolumeFcb } from './volume-state.js';

export const dispatchQueryInformation = volumeDispatch((volume, irp, loc) => {
  const ccb = ccbOf(volume, loc);
  if (ccb === null) return STATUS_INVALID_HANDLE;
  const parameters = loc.parameters.queryFile;
  if (parameters === undefined) return STATUS_INVALID_PARAMETER;
  const fcb = ccb.fcb;
  const infoClass = parameters.fileInformationClass;
  switch (infoClass) {
    case FileInformationClass.FileNameInformation:
      return answer(irp, { fileName: fcb.pathName });
    case FileInformationClass.FileBasicInformation:
    case FileInformationClass.FileStandardInformation:
    case FileInformationClass.FileNetworkOpenInformation:
    case FileInformationClass.FileAllInformation:
      return after(volume.backend.query(fcb.stream, fcb.path), (entry) => answer(irp, describe(infoClass, entry, fcb)));
    default:
      return STATUS_INVALID_INFO_CLASS;
  }
});

/** Information counts the structures returned (the buffer is structured, not bytes): one. */
function answer(irp: Irp, info: unknown): NTSTATUS {
  irp.infoBuffer = info;
  irp.ioStatus.information = 1;
  return STATUS_SUCCESS;
}

function describe(infoClass: FileInformationClass, entry: EntryInfo, fcb: VolumeFcb): unknown {
  switch (infoClass) {
    case FileInformationClass.FileBasicInformation:
      return basicOf(entry);
    case FileInformationClass.FileStandardInformation:
      return standardOf(entry, fcb);
    case FileInformationClass.FileNetworkOpenInformation:
      return networkOpenOf(entry);
    default:
      return { basic: basicOf(entry), standard: standardOf(entry, fcb), name: { fileName: fcb.pathName } } satisfies FileAllInformation;
  }
}

export function basicOf(entry: EntryInfo): FileBasicInformation {
  return {
    creationTime: entry.creationTime,
    lastAccessTime: entry.lastAccessTime,
    lastWriteTime: entry.lastWriteTime,
    changeTime: entry.changeTime,
    fileAttributes: entry.attributes,
  };
}

function standardOf(entry: EntryInfo, fcb: VolumeFcb): FileStandardInformation {
  return {
    allocationSize: entry.allocationSize,
    endOfFile: entry.size,
    numberOfLinks: fcb.deleted ? 0 : entry.links,
    deletePending: fcb.deletePending,
    directory: entry.directory,
  };
}

export function networkOpenOf(entry: EntryInfo): FileNetworkOpenInformation {
  return { ...basicOf(entry), allocationSize: entry.allocationSize, endOfFile: entry.size };
}
