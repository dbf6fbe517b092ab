// The sample minifilter: registers a pre- and post-callback for every operation and passes everything
// through untouched. It is the baseline for the per-layer cost in bench/io and the filter stacked in
// the volume conformance suite. Counters let tests see that it was really on the path.

import {
  IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL, IRP_MJ_DIRECTORY_CONTROL,
  IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_FLUSH_BUFFERS, IRP_MJ_QUERY_INFORMATION, IRP_MJ_READ,
  IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE,
} from '../../main/io/index.js';
import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_SUCCESS_WITH_CALLBACK, type FilterManager, type FltFilter,
  type FltOperationRegistration,
} from '../../main/fltmgr/index.js';

/** The passthrough's altitude band (the FSFilter Activity Monitor range is 360000-389999). */
export const PASSTHROUGH_BASE_ALTITUDE = 370030;

const OPERATIONS = [
  IRP_MJ_CREATE, IRP_MJ_CLOSE, IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_QUERY_INFORMATION, IRP_MJ_SET_INFORMATION,
  IRP_MJ_FLUSH_BUFFERS, IRP_MJ_DIRECTORY_CONTROL, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_DEVICE_CONTROL, IRP_MJ_CLEANUP,
];

export interface PassthroughCounters {
  pre: number;
  post: number;
}

export interface Passthrough {
  filter: FltFilter;
  counters: PassthroughCounters;
}

/** Registers (and starts) one passthrough minifilter named `name` at `altitude`. */
export function registerPassthrough(manager: FilterManager, name = 'Passthrough', altitude = String(PASSTHROUGH_BASE_ALTITUDE)): Passthrough {
  const counters: PassthroughCounters = { pre: 0, post: 0 };
  const callbacks: FltOperationRegistration = {
    pre: () => {
      counters.pre++;
      return FLT_PREOP_SUCCESS_WITH_CALLBACK;
    },
    post: () => {
      counters.post++;
      return FLT_POSTOP_FINISHED_PROCESSING;
    },
  };
  const operations: Record<number, FltOperationRegistration> = {};
  for (const major of OPERATIONS) operations[major] = callbacks;
  const filter = manager.registerFilter({ name, altitude, operations });
  filter.startFiltering();
  return { filter, counters };
}

/** Registers `count` passthrough instances at distinct altitudes (PassThrough0 the highest). */
export function registerPassthroughStack(manager: FilterManager, count: number): Passthrough[] {
  const stack: Passthrough[] = [];
  for (let i = 0; i < count; i++) {
    stack.push(registerPassthrough(manager, `PassThrough${i}`, String(PASSTHROUGH_BASE_ALTITUDE + count - i)));
  }
  return stack;
}
