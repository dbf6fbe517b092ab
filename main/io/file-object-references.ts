// The references requests hold on their file object. In NT every IRP sent on a file object references it,
// so the file object's IRP_MJ_CLOSE goes only once the last of them has completed: no request reaches a
// driver after the close, and nothing a close tears down (a file system's CCB, a filter's stream context)
// is gone under a request still on its way back up. The upper edge (nt-file-api.ts) counts here what it
// sends and waits here before it sends IRP_MJ_CLOSE. The count is a field of the FileObject (it changes on
// every request); the waiters are kept beside it.

import type { FileObject } from './device.js';

/** Who waits for a file object's requests to end (only a close does, so this stays small). */
const idleWaiters = new WeakMap<FileObject, (() => void)[]>();

/** A request on `fileObject` is being sent: it holds a reference until dereferenceFileObject. */
export function referenceFileObject(fileObject: FileObject): void {
  fileObject.requestsInFlight++;
}

/** A request on `fileObject` has completed; the last one lets whoever waits in whenFileObjectIdle go on. */
export function dereferenceFileObject(fileObject: FileObject): void {
  if (fileObject.requestsInFlight === 0) {
    throw new Error(`dereferenceFileObject: '${fileObject.fileName}' holds no reference (a request was counted out twice)`);
  }
  if (--fileObject.requestsInFlight > 0) return;
  const waiting = idleWaiters.get(fileObject);
  if (waiting === undefined) return;
  idleWaiters.delete(fileObject);
  for (const resume of waiting) resume();
}

/** How many requests on `fileObject` are in flight. */
export function fileObjectRequestsInFlight(fileObject: FileObject): number {
  return fileObject.requestsInFlight;
}

/** Null when no request on `fileObject` is in flight; otherwise resolves when the last one has completed. */
export function whenFileObjectIdle(fileObject: FileObject): Promise<void> | null {
  if (fileObject.requestsInFlight === 0) return null;
  return new Promise<void>((resolve) => {
    const waiting = idleWaiters.get(fileObject);
    if (waiting === undefined) idleWaiters.set(fileObject, [resolve]);
    else waiting.push(resolve);
  });
}
