// The references requests hold on their file object. In NT every IRP sent on a file object references it,
// so the file object's IRP_MJ_CLOSE goes only once the last of them has completed: no request reaches a
// driver after the close, and nothing a close tears down (a file system's CCB, a filter's stream context)
// is gone under a request still on its way back up. The upper edge (nt-file-api.ts) counts here what it
// sends and waits here before it sends IRP_MJ_CLOSE. Kept beside the FileObject, not in it: only the
// upper edge uses it.

import type { FileObject } from './device.js';

interface References {
  /** Requests sent on the file object and not completed yet. */
  inFlight: number;
  /** Called when inFlight drops to 0. */
  idle: (() => void)[];
}

const references = new WeakMap<FileObject, References>();

function referencesOf(fileObject: FileObject): References {
  let found = references.get(fileObject);
  if (found === undefined) {
    found = { inFlight: 0, idle: [] };
    references.set(fileObject, found);
  }
  return found;
}

/** A request on `fileObject` is being sent: it holds a reference until dereferenceFileObject. */
export function referenceFileObject(fileObject: FileObject): void {
  referencesOf(fileObject).inFlight++;
}

/** A request on `fileObject` has completed; the last one lets whoever waits in whenFileObjectIdle go on. */
export function dereferenceFileObject(fileObject: FileObject): void {
  const found = references.get(fileObject);
  if (found === undefined || found.inFlight === 0) {
    throw new Error(`dereferenceFileObject: '${fileObject.fileName}' holds no reference (a request was counted out twice)`);
  }
  if (--found.inFlight > 0) return;
  const waiting = found.idle.splice(0);
  for (const resume of waiting) resume();
}

/** How many requests on `fileObject` are in flight. */
export function fileObjectRequestsInFlight(fileObject: FileObject): number {
  return references.get(fileObject)?.inFlight ?? 0;
}

/** Null when no request on `fileObject` is in flight; otherwise resolves when the last one has completed. */
export function whenFileObjectIdle(fileObject: FileObject): Promise<void> | null {
  const found = references.get(fileObject);
  if (found === undefined || found.inFlight === 0) return null;
  return new Promise<void>((resolve) => found.idle.push(resolve));
}
