// IRP_MJ_FILE_SYSTEM_CONTROL: FSCTL_STRATA_HSM_RECALL brings a stub back now (`strata hsm recall`,
// pinning); it completes when the recall does, with its status. Other control codes pass through.

import { FLT_PREOP_SUCCESS_NO_CALLBACK, type FltOperationRegistration } from '../../../main/fltmgr/index.js';
import { STATUS_SUCCESS } from '../../../main/io/index.js';
import { completeWith } from './complete-with.js';
import { stubStreamOf, type HsmHost } from './hsm-host.js';
import { awaitRecall } from './recall-waiters.js';

/** CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 0xA00, METHOD_BUFFERED, FILE_ANY_ACCESS): a function number in the vendor range. */
export const FSCTL_STRATA_HSM_RECALL = (0x9 << 16) | (0xa00 << 2);

export function fsControlCallbacks(host: HsmHost): FltOperationRegistration {
  return {
    pre: (data, { instance }) => {
      if (data.parameters.fileSystemControl?.fsControlCode !== FSCTL_STRATA_HSM_RECALL) return FLT_PREOP_SUCCESS_NO_CALLBACK;
      const stream = stubStreamOf(instance, data.fileObject);
      if (stream === null || stream.state === 'local') return completeWith(data, STATUS_SUCCESS);
      if (stream.state === 'invalid') return completeWith(data, stream.problem!.status);
      return awaitRecall(host.volumeOf(instance)!, stream, data);
    },
  };
}
