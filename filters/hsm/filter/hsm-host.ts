// What the callbacks need from the registered filter: the HSM state of the instance a callback runs
// on, and context allocation. Kept apart from index.ts so each callback file depends on this alone.

import type { FltContext, FltInstance } from '../../../main/fltmgr/index.js';
import type { FileObject } from '../../../main/io/index.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import type { StubStream } from './stub-stream.js';

export interface HsmHost {
  volumeOf(instance: FltInstance): HsmVolume | undefined;
  allocateStreamContext(volume: HsmVolume, stream: StubStream): FltContext<StubStream>;
}

/** The stub stream of `fileObject`, or null when it is not a stub the filter is tracking. */
export function stubStreamOf(instance: FltInstance, fileObject: FileObject | null): StubStream | null {
  if (fileObject === null) return null;
  const context = instance.getStreamContext<StubStream>(fileObject);
  if (context === null) return null;
  // The stream holds its own reference while it is open; the value outlives this operation's use.
  context.release();
  return context.value;
}
