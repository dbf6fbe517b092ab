// Whether a file's raw content may go to the tier now: its first bytes (one small read, below the filter)
// shown to the folder's content gate (see ContentGate). Without a gate every content may.

import { CONTENT_HEAD_BYTES } from '../policy/eligibility.js';
import type { OpenFile } from '../volume/below-io.js';
import type { HsmVolume } from '../volume/hsm-volume.js';

/** Null when the open file's content may go to the tier; else why not (the gate's reason). */
export async function contentRefusal(volume: HsmVolume, file: OpenFile): Promise<string | null> {
  const gate = volume.settings.contentGate;
  if (gate === undefined) return null;
  return gate(await volume.io.read(file, 0, CONTENT_HEAD_BYTES));
}

/** The same for a path; null too when the file is gone (the release then says so). */
export async function contentRefusalAt(volume: HsmVolume, path: string): Promise<string | null> {
  if (volume.settings.contentGate === undefined) return null;
  const file = await volume.io.openIfExists(path);
  if (file === null) return null;
  try {
    return await contentRefusal(volume, file);
  } finally {
    await volume.io.close(file);
  }
}
