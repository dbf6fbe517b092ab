// Transparency, as the document's HSM example does it in completion routines: IRP_MJ_QUERY_INFORMATION
// and IRP_MJ_DIRECTORY_CONTROL are post-processed so that a stub reports its file's logical size (and
// the allocation that size takes) plus FILE_ATTRIBUTE_OFFLINE. Times need no fix-up: the stub carries
// its file's times on disk. A listing entry is taken for a stub only when the catalog has it and its
// size on disk is the stub's.

import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK, FLTFL_POST_OPERATION_DRAINING,
  type FltOperationRegistration,
} from '../../../main/fltmgr/index.js';
import {
  FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_OFFLINE, FileInformationClass, NT_SUCCESS, type FileAllInformation,
  type FileBasicInformation, type FileDirectoryInformation, type FileNetworkOpenInformation, type FileStandardInformation,
} from '../../../main/io/index.js';
import { stubStreamOf, type HsmHost } from './hsm-host.js';
import { streamPath, type StubStream } from './stub-stream.js';

const CLUSTER = 4096;
const allocationFor = (size: number): number => Math.ceil(size / CLUSTER) * CLUSTER;

export function queryInformationCallbacks(): FltOperationRegistration {
  return {
    pre: (data, { instance }) => {
      const stream = stubStreamOf(instance, data.fileObject);
      if (stream === null || stream.state === 'local') return FLT_PREOP_SUCCESS_NO_CALLBACK;
      return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: stream };
    },
    post: (data, _objects, context, flags) => {
      const stream = context as StubStream;
      // A recall that finished while the query was below: the file system's answer is already right.
      if ((flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !NT_SUCCESS(data.ioStatus.status) || stream.state === 'local') return FLT_POSTOP_FINISHED_PROCESSING;
      data.infoBuffer = asStub(data.parameters.queryFile!.fileInformationClass, data.infoBuffer, stream);
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}

function asStub(infoClass: FileInformationClass, info: unknown, stream: StubStream): unknown {
  // An invalid stub has no size to trust: it keeps its own and is marked offline, so scanners skip it.
  const size = stream.fields?.size;
  const basic = (b: FileBasicInformation): FileBasicInformation => ({ ...b, fileAttributes: b.fileAttributes | FILE_ATTRIBUTE_OFFLINE });
  const standard = (s: FileStandardInformation): FileStandardInformation => (size === undefined ? s : { ...s, endOfFile: size, allocationSize: allocationFor(size) });
  switch (infoClass) {
    case FileInformationClass.FileBasicInformation:
      return basic(info as FileBasicInformation);
    case FileInformationClass.FileStandardInformation:
      return standard(info as FileStandardInformation);
    case FileInformationClass.FileNetworkOpenInformation: {
      const network = info as FileNetworkOpenInformation;
      return { ...basic(network), ...(size === undefined ? {} : { endOfFile: size, allocationSize: allocationFor(size) }) };
    }
    case FileInformationClass.FileAllInformation: {
      const all = info as FileAllInformation;
      return { ...all, basic: basic(all.basic), standard: standard(all.standard) };
    }
    default:
      return info;
  }
}

export function directoryCallbacks(host: HsmHost): FltOperationRegistration {
  return {
    pre: (data) => ({ status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: streamPath(data.fileObject!) }),
    post: (data, { instance }, context, flags) => {
      const volume = host.volumeOf(instance);
      if (volume === undefined || (flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !NT_SUCCESS(data.ioStatus.status)) return FLT_POSTOP_FINISHED_PROCESSING;
      const entries = data.infoBuffer as FileDirectoryInformation[] | null;
      if (!Array.isArray(entries) || entries.length === 0) return FLT_POSTOP_FINISHED_PROCESSING;
      const stubs = volume.catalog.inDirectory(context as string);
      if (stubs.size === 0) return FLT_POSTOP_FINISHED_PROCESSING;
      // In place, as a filter edits the caller's buffer in NT: the entries are this request's own, and a
      // listing of 10,000 stubs then allocates nothing.
      for (const entry of entries) {
        const row = stubs.get(entry.fileName);
        if (row === undefined || (entry.fileAttributes & FILE_ATTRIBUTE_DIRECTORY) !== 0 || entry.endOfFile !== row.stubSize) continue;
        entry.endOfFile = row.size;
        entry.allocationSize = allocationFor(row.size);
        entry.fileAttributes |= FILE_ATTRIBUTE_OFFLINE;
      }
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}
