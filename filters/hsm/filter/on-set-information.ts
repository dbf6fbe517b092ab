// IRP_MJ_SET_INFORMATION. Truncating or extending a stub (FileEndOfFileInformation) recalls it first.
// A rename that succeeds moves the catalog rows with it (the file's, or everything below a directory)
// and drops the row of a stub it replaced, whose tier copy then goes if nothing else uses it. Times
// and delete dispositions need nothing: the stub carries the times, deletion is seen at cleanup.

import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK, FLTFL_POST_OPERATION_DRAINING,
  type FltOperationRegistration,
} from '../../../main/fltmgr/index.js';
import { FileInformationClass, NT_SUCCESS, type FileRenameInformation } from '../../../main/io/index.js';
import { canonicalPath } from '../catalog/volume-path.js';
import { stubStreamOf, type HsmHost } from './hsm-host.js';
import { beforeDataAccess, refuseOnNoRecallOpen } from './on-read-write.js';
import { streamPath } from './stub-stream.js';

interface RenameContext {
  from: string;
}

export function setInformationCallbacks(host: HsmHost): FltOperationRegistration {
  return {
    pre: (data, { instance }) => {
      const parameters = data.parameters.setFile!;
      if (parameters.fileInformationClass === FileInformationClass.FileRenameInformation) {
        return { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: { from: streamPath(data.fileObject!) } satisfies RenameContext };
      }
      if (parameters.fileInformationClass !== FileInformationClass.FileEndOfFileInformation) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      return beforeDataAccess(host, instance, data, refuseOnNoRecallOpen);
    },
    post: (data, { instance }, context, flags) => {
      const volume = host.volumeOf(instance);
      if (volume === undefined || (flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !NT_SUCCESS(data.ioStatus.status)) return FLT_POSTOP_FINISHED_PROCESSING;
      const { from } = context as RenameContext;
      const to = canonicalPath((data.parameters.setFile!.information as FileRenameInformation).fileName);
      for (const replaced of volume.catalog.move(from, to)) volume.releaseObjectIfUnused(to, replaced.tier, replaced.object);
      const stream = stubStreamOf(instance, data.fileObject);
      if (stream !== null) stream.path = to;
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}
