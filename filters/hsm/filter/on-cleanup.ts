// IRP_MJ_CLEANUP of a stub's last handle with a delete disposition: the file system has removed the
// stub, so its catalog row goes and its tier copy too, unless another stub shares that content.

import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK, FLTFL_POST_OPERATION_DRAINING,
  type FltOperationRegistration,
} from '../../../main/fltmgr/index.js';
import { stubStreamOf, type HsmHost } from './hsm-host.js';
import { streamDeleted, type StubStream } from './stub-stream.js';

export function cleanupCallbacks(host: HsmHost): FltOperationRegistration {
  return {
    pre: (data, { instance }) => {
      const stream = stubStreamOf(instance, data.fileObject);
      return stream === null ? FLT_PREOP_SUCCESS_NO_CALLBACK : { status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: stream };
    },
    post: (data, { instance }, context, flags) => {
      const volume = host.volumeOf(instance);
      if (volume === undefined || (flags & FLTFL_POST_OPERATION_DRAINING) !== 0 || !streamDeleted(data.fileObject!)) return FLT_POSTOP_FINISHED_PROCESSING;
      const stream = context as StubStream;
      const row = volume.catalog.remove(stream.path);
      if (row !== null) volume.releaseObjectIfUnused(stream.path, row.tier, row.object);
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
}
