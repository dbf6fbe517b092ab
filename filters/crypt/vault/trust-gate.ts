// A minifilter just above the crypt filter while a folder's vault is not trusted (vault-trust.ts): nothing
// may reach the crypt filter that would make it encrypt to the untrusted recipient. Writes, size changes
// and opens that create or replace a file fail with STATUS_FILE_ENCRYPTED, as work needing a locked vault's
// key does once its wait runs out; reads, listings, renames and deletes pass (reads of encrypted files then
// wait for the key in the crypt filter, as with any locked vault). The gate is unregistered once an unlock
// proves the vault is the user's.

import {
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_COMPLETE, FLT_PREOP_SUCCESS_NO_CALLBACK,
  FLT_PREOP_SUCCESS_WITH_CALLBACK, parseAltitude, type FilterManager, type FltCallbackData, type FltFilter, type FltPreopStatus,
} from '../../../main/fltmgr/index.js';
import {
  FILE_DIRECTORY_FILE, FILE_OPEN, FILE_OPEN_IF, FileInformationClass, IRP_MJ_CREATE, IRP_MJ_SET_INFORMATION, IRP_MJ_WRITE,
  STATUS_FILE_ENCRYPTED, STATUS_OBJECT_NAME_NOT_FOUND,
} from '../../../main/io/index.js';

export const TRUST_GATE_NAME = 'StrataCryptTrustGate';

/** An altitude just above `altitude` ("141000" → "141000.5", "141000.5" → "141000.55"). */
export function altitudeJustAbove(altitude: string): string {
  const { whole, fraction } = parseAltitude(altitude);
  return `${whole}.${fraction}5`;
}

/** Registers the gate above the crypt filter at `cryptAltitude` and starts it (before the crypt filter starts). */
export function registerTrustGate(manager: FilterManager, cryptAltitude: string): FltFilter {
  const filter = manager.registerFilter({
    name: TRUST_GATE_NAME,
    altitude: altitudeJustAbove(cryptAltitude),
    operations: {
      [IRP_MJ_CREATE]: { pre: preCreate, post: postCreate },
      [IRP_MJ_WRITE]: { pre: refuse },
      [IRP_MJ_SET_INFORMATION]: {
        pre: (data) => (data.parameters.setFile?.fileInformationClass === FileInformationClass.FileEndOfFileInformation ? refuse(data) : FLT_PREOP_SUCCESS_NO_CALLBACK),
      },
    },
  });
  filter.startFiltering();
  return filter;
}

function refuse(data: FltCallbackData): FltPreopStatus {
  data.ioStatus.status = STATUS_FILE_ENCRYPTED;
  data.ioStatus.information = 0;
  return FLT_PREOP_COMPLETE;
}

/** Opens of what exists pass; "open or create" becomes "open", and not finding the file is then the refusal. */
function preCreate(data: FltCallbackData): FltPreopStatus {
  const create = data.parameters.create;
  if (create === undefined || (create.options & FILE_DIRECTORY_FILE) !== 0 || create.disposition === FILE_OPEN) return FLT_PREOP_SUCCESS_NO_CALLBACK;
  if (create.disposition !== FILE_OPEN_IF) return refuse(data);
  create.disposition = FILE_OPEN;
  return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

function postCreate(data: FltCallbackData, _objects: unknown, _context: unknown, flags: number): typeof FLT_POSTOP_FINISHED_PROCESSING {
  if ((flags & FLTFL_POST_OPERATION_DRAINING) === 0 && data.ioStatus.status === STATUS_OBJECT_NAME_NOT_FOUND) data.ioStatus.status = STATUS_FILE_ENCRYPTED;
  return FLT_POSTOP_FINISHED_PROCESSING;
}
