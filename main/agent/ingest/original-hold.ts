// Ingest's hold on the original: before the copy is renamed over it, the original gets a second name
// (a hard link to the same file). A program that still had it open and writes after the rename writes
// into that held file, not into nothing: once the writer has been quiet for a while the hold is judged —
// unchanged, it is released; changed, it is put back in place (its edit wins) and taken in again. A crash
// leaves holds behind; the next start judges them the same way (hold-recovery.ts).

import { link, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sameStamp, stampOf, type FileStamp } from './file-stamp.js';
import { ingestName } from './strata-names.js';

export interface OriginalHold {
  /** The held original's absolute path. */
  readonly path: string;
  /** The original as ingest copied it. */
  readonly copied: FileStamp;
}

export async function holdOriginal(directory: string, base: string, copied: FileStamp): Promise<OriginalHold> {
  const path = join(directory, ingestName(base, 'original'));
  await link(join(directory, base), path);
  return { path, copied };
}

/**
 * Releases the hold if the original is as it was copied; otherwise puts it back over the ingested
 * version and says so ('restored'): the edit someone made during ingest must not be lost.
 */
export async function judgeHold(hold: OriginalHold, originalPath: string): Promise<'released' | 'restored' | 'gone'> {
  const now = await stat(hold.path).catch(() => null);
  if (now === null) return 'gone';
  if (sameStamp({ ...stampOf(now), ino: hold.copied.ino }, hold.copied)) {
    await unlink(hold.path);
    return 'released';
  }
  await rename(hold.path, originalPath);
  return 'restored';
}

/** Judges holds once their writer has had time to finish; all at once when the folder stops. */
export class HoldJudge {
  private readonly pending = new Map<OriginalHold, { timer: NodeJS.Timeout; originalPath: string; onRestored: () => void }>();

  constructor(private readonly graceMs: number) {}

  later(hold: OriginalHold, originalPath: string, onRestored: () => void): void {
    const timer = setTimeout(() => void this.judge(hold), this.graceMs);
    this.pending.set(hold, { timer, originalPath, onRestored });
  }

  /** Judges every pending hold now. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((hold) => this.judge(hold)));
  }

  private async judge(hold: OriginalHold): Promise<void> {
    const entry = this.pending.get(hold);
    if (entry === undefined) return;
    this.pending.delete(hold);
    clearTimeout(entry.timer);
    if ((await judgeHold(hold, entry.originalPath).catch(() => 'gone')) === 'restored') entry.onRestored();
  }
}
