// The HSM stream context: what the filter knows about one open stub (shared by every handle on it):
// its path, its authenticated fields and bytes, and the recall in progress with the operations waiting
// for it. 'invalid' stubs (malformed or tampered) are never recalled; 'local' means recalled already.

import type { FileObject, NtStatusError } from '../../../main/io/index.js';
import { FltCancelSafeQueue, type FilterManager } from '../../../main/fltmgr/index.js';
import type { StubFields } from '../stub/stub-format.js';
import { canonicalPath } from '../catalog/volume-path.js';

export type StubState = 'stub' | 'invalid' | 'local';

export class StubStream {
  state: StubState;
  /** Operations (reads, writes, truncations, recall requests) waiting for the recall, cancel-safely. */
  readonly waiting: FltCancelSafeQueue;
  recall: Promise<void> | null = null;
  recallAbort: AbortController | null = null;

  constructor(
    manager: FilterManager,
    public path: string,
    readonly fields: StubFields | null,
    readonly bytes: Uint8Array,
    readonly problem: NtStatusError | null,
  ) {
    this.state = problem === null ? 'stub' : 'invalid';
    this.waiting = new FltCancelSafeQueue(manager);
  }
}

/**
 * The stream's current volume path. The file system's FCB keeps it up to date across renames (the
 * filter's view of the FCB reads only this field); the name given at create is the fallback.
 */
export function streamPath(fileObject: FileObject): string {
  const pathName = (fileObject.fsContext as { pathName?: unknown } | null)?.pathName;
  return typeof pathName === 'string' ? pathName : canonicalPath(fileObject.fileName);
}

/** The file system has removed the stream's entry (its last handle went with a delete disposition). */
export function streamDeleted(fileObject: FileObject): boolean {
  return (fileObject.fsContext as { deleted?: unknown } | null)?.deleted === true;
}
