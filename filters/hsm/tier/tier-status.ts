// How tier failures read in NT terms. A tier that cannot be reached (disk unplugged, share gone, network
// down, timed out) makes stubs offline: reads of them fail with STATUS_FILE_IS_OFFLINE and nothing on
// disk changes. Host errors of the local tier map onto the same statuses a network tier would return.

import {
  STATUS_ACCESS_DENIED, STATUS_BAD_NETWORK_NAME, STATUS_BAD_NETWORK_PATH, STATUS_CONNECTION_DISCONNECTED,
  STATUS_CONNECTION_REFUSED, STATUS_DEVICE_NOT_READY, STATUS_DISK_FULL, STATUS_FILE_IS_OFFLINE, STATUS_IO_TIMEOUT,
  STATUS_LOGON_FAILURE, STATUS_NETWORK_BUSY, STATUS_NETWORK_NAME_DELETED, STATUS_NETWORK_UNREACHABLE,
  STATUS_NO_MEDIA_IN_DEVICE, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_UNEXPECTED_NETWORK_ERROR, STATUS_UNSUCCESSFUL,
  type NTSTATUS,
} from '../../../main/io/index.js';

/** What each "cannot reach the tier" status means to a user. */
const UNREACHABLE: ReadonlyMap<NTSTATUS, string> = new Map([
  [STATUS_DEVICE_NOT_READY, 'the tier\'s storage is not available (disk unplugged or folder missing)'],
  [STATUS_NO_MEDIA_IN_DEVICE, 'the tier\'s medium is not inserted'],
  [STATUS_BAD_NETWORK_PATH, 'the tier\'s server cannot be found'],
  [STATUS_BAD_NETWORK_NAME, 'the tier\'s share does not exist on its server'],
  [STATUS_NETWORK_UNREACHABLE, 'the network to the tier is unreachable'],
  [STATUS_CONNECTION_REFUSED, 'the tier\'s server refused the connection (not listening)'],
  [STATUS_CONNECTION_DISCONNECTED, 'the connection to the tier was lost'],
  [STATUS_NETWORK_NAME_DELETED, 'the tier\'s share was deleted or its session ended'],
  [STATUS_IO_TIMEOUT, 'the tier did not answer in time'],
  [STATUS_NETWORK_BUSY, 'the tier\'s network is busy'],
  [STATUS_UNEXPECTED_NETWORK_ERROR, 'an unexpected network error occurred talking to the tier'],
  [STATUS_LOGON_FAILURE, 'the tier refused the credentials'],
  [STATUS_FILE_IS_OFFLINE, 'the tier is offline'],
]);

/** True when the status means "the tier is out of reach" rather than "this object has a problem". */
export function isTierUnreachable(status: NTSTATUS): boolean {
  return UNREACHABLE.has(status | 0);
}

export function describeUnreachable(status: NTSTATUS): string | undefined {
  return UNREACHABLE.get(status | 0);
}

/** The NTSTATUS for a host error raised by a local tier's file operations. */
export function statusOfHostError(error: unknown): NTSTATUS {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return STATUS_OBJECT_NAME_NOT_FOUND;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return STATUS_ACCESS_DENIED;
    case 'ENOSPC':
    case 'EDQUOT':
      return STATUS_DISK_FULL;
    case 'ENODEV':
    case 'ENXIO':
    case 'EIO':
    case 'ENOTCONN':
    case 'ESTALE':
      return STATUS_DEVICE_NOT_READY;
    case 'ETIMEDOUT':
      return STATUS_IO_TIMEOUT;
    default:
      return STATUS_UNSUCCESSFUL;
  }
}
