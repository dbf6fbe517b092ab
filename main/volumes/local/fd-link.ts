// An open descriptor's name in /proc/self/fd (Linux): the path of the very file a handle has open, for
// checking where that file lies (readlink) and for acting on it, or on a name inside an open directory,
// without walking a host path again (the *at() system calls, which node:fs does not offer).

import type { FileHandle } from 'node:fs/promises';

/** Whether this host names open descriptors under /proc/self/fd. */
export const FD_LINKS = process.platform === 'linux';

export function fdLink(handle: FileHandle): string {
  return `/proc/self/fd/${handle.fd}`;
}
