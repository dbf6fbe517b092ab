// The state a mounted volume keeps: the volume itself (the volume device's extension), one FCB per open
// stream (fileObject.fsContext, shared by every open of the file; filters key stream contexts on it) and
// one CCB per open (fileObject.fsContext2: delete-on-close, non-cached I/O and the directory enumeration
// cursor).

import type { DeviceObject, FileDirectoryInformation, IoStackLocation, Vpb } from '../io/index.js';
import type { VolumeBackend } from './volume-backend.js';
import { volumePathName } from './volume-path.js';
import type { MaybeAsync } from './sync-or-async.js';
import type { NameMatcher } from './wildcard.js';

export class VolumeFcb {
  /** Handles not yet cleaned up. */
  openCount = 0;
  /** File objects not yet closed. */
  referenceCount = 0;
  deletePending = false;
  /** Removed from the volume at the last cleanup; the stream lives on until the last close. */
  deleted = false;
  path: string[];
  /** The NT name, '\dir\file'. */
  pathName: string;
  key: string;

  constructor(readonly volume: Volume, path: string[], readonly directory: boolean, readonly stream: unknown) {
    this.path = path;
    this.pathName = volumePathName(path);
    this.key = volume.keyOf(this.pathName);
  }

  moveTo(path: string[]): void {
    this.path = path;
    this.pathName = volumePathName(path);
    this.key = this.volume.keyOf(this.pathName);
  }
}

export interface DirectoryCursor {
  entries: FileDirectoryInformation[];
  next: number;
  matcher: NameMatcher;
}

export class VolumeCcb {
  deleteOnClose = false;
  /** Opened with FILE_NO_INTERMEDIATE_BUFFERING: its reads and writes are sector-aligned and bypass the host's cache. */
  unbuffered = false;
  cursor: DirectoryCursor | null = null;
  cleanedUp = false;
  closed = false;
  constructor(readonly fcb: VolumeFcb) {}
}

/** The extension of a volume device object. */
export class Volume {
  readonly fcbs = new Map<string, VolumeFcb>();
  /** File objects opened on the volume and not yet closed: a dismount is refused while any remain. */
  openFiles = 0;
  /** Requests pending in the backend. */
  inFlight = 0;
  dismounted = false;
  private namespaceTail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly backend: VolumeBackend,
    readonly fileSystemName: string,
    readonly storageDevice: DeviceObject,
    readonly vpb: Vpb,
  ) {}

  keyOf(pathName: string): string {
    return this.backend.caseSensitive ? pathName : pathName.toUpperCase();
  }

  /**
   * Runs an operation that reads then changes the namespace (create, rename, delete) so that no other
   * such operation interleaves between its steps. A synchronous backend cannot interleave: it runs now.
   */
  exclusive<T>(operation: () => MaybeAsync<T>): MaybeAsync<T> {
    if (this.backend.synchronous) return operation();
    const result = this.namespaceTail.then(operation);
    this.namespaceTail = result.then(ignore, ignore);
    return result;
  }
}

function ignore(): void {}

/** The CCB of the request's file object when it is an open of `volume`, else null. */
export function ccbOf(volume: Volume, loc: IoStackLocation): VolumeCcb | null {
  const ccb = loc.fileObject?.fsContext2;
  return ccb instanceof VolumeCcb && ccb.fcb.volume === volume ? ccb : null;
}
