// Recalling one stub in place: the content is copied from the tier into the stub's own file (so every
// handle already open on it, sharing its stream, sees the data; how: recall-copy.ts), hashed, fsync'd
// and given back its times. In-place is safe because nothing is lost meanwhile: the tier keeps the object
// and the journal keeps the stub's bytes until the recall is verified. On any failure (tier unplugged
// mid-way, wrong hash, cancel) the stub's bytes are written back, unless the file was overwritten
// meanwhile (its new content is the user's); after a crash, recovery finishes or undoes the recall.

import { NtStatusError, STATUS_FILE_CORRUPT_ERROR, type FileBasicInformation } from '../../../main/io/index.js';
import { durableTransaction } from '../catalog/durable-transaction.js';
import type { StubFields } from '../stub/stub-format.js';
import type { OpenFile } from '../volume/below-io.js';
import type { RecallCopy } from '../volume/hsm-events.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { crashPoint } from '../volume/crash-point.js';
import { copyObjectIn } from './recall-copy.js';

export interface RecallRequest {
  readonly path: string;
  readonly fields: StubFields;
  /** The stub as it is on disk, written back if the recall cannot finish. */
  readonly stubBytes: Uint8Array;
}

export interface RecallOptions {
  readonly signal?: AbortSignal;
  /** After each chunk: bytes recalled so far. */
  readonly onProgress?: (done: number) => void;
  /** Recovery redoing an interrupted recall: its journal entry, which this recall continues. */
  readonly journalId?: number;
  /**
   * Return as soon as the file is whole and durable, removing the tier copy in the background (reads
   * waiting for the recall go on sooner); by default the removal is awaited too.
   */
  readonly releaseCopyInBackground?: boolean;
  /**
   * Whether the file was overwritten (FILE_OVERWRITE, FILE_SUPERSEDE) while the recall ran. Its content is
   * then the user's, acknowledged: a recall that fails leaves it as it is rather than write the stub back.
   */
  readonly overwritten?: () => boolean;
}

export async function recallInPlace(volume: HsmVolume, request: RecallRequest, options: RecallOptions = {}): Promise<{ copy: RecallCopy }> {
  const { path, fields, stubBytes } = request;
  const tier = volume.tier(fields.tier);
  await tier.connect(options.signal);
  const stored = await tier.stat(fields.object);
  if (stored === null) throw corrupt(`the cold copy of ${path} (object ${fields.object}) is missing from tier '${fields.tier}'; run strata hsm fsck`);
  if (stored.size !== fields.size) throw corrupt(`the cold copy of ${path} in tier '${fields.tier}' is ${stored.size} bytes, the stub says ${fields.size}`);

  const journalId = options.journalId ?? volume.journal.begin('recall', path, fields.tier, 'started', {
    size: fields.size, mtime: fields.mtime, atime: fields.atime, sha256: fields.sha256, object: fields.object, stub: stubBytes,
  });
  crashPoint('recall-started');
  const file = await volume.io.open(path);
  let copy: RecallCopy;
  try {
    const times = await volume.io.basic(file);
    try {
      // The times, then the fsync: the journal entry stays 'started' until the hash below has matched.
      const settle = async (): Promise<void> => {
        await volume.io.setTimes(file, times.lastAccessTime, times.lastWriteTime);
        await volume.io.flush(file);
      };
      const copied = await copyObjectIn(volume, tier, fields, file, options, settle);
      ({ copy } = copied);
      if (copied.sha256 !== fields.sha256) throw corrupt(`the cold copy of ${path} in tier '${fields.tier}' does not match the stub's SHA-256; the stub was kept`);
    } catch (error) {
      try {
        if (!options.overwritten?.()) await restoreStub(volume, file, stubBytes, times);
        volume.journal.finish(journalId);
      } catch {
        // The stub could not be put back either: the journal entry stays and the next start retries.
      }
      throw error;
    }
    volume.journal.advance(journalId, 'written');
    crashPoint('recall-written');
  } finally {
    await volume.io.close(file);
  }
  uncatalog(volume, journalId, path);
  if (options.releaseCopyInBackground) {
    // Begun on the next turn of the event loop: the waiting reads go on first.
    volume.track(path, new Promise((resolve) => setImmediate(resolve)).then(() => releaseTierCopy(volume, journalId, path, fields)));
  } else {
    await releaseTierCopy(volume, journalId, path, fields);
  }
  return { copy };
}

/** The file holds its content again: its row goes, then the tier copy if unused, then the journal entry. */
export async function finishRecall(volume: HsmVolume, journalId: number, path: string, fields: StubFields): Promise<void> {
  uncatalog(volume, journalId, path);
  await releaseTierCopy(volume, journalId, path, fields);
}

/** Synced before the file is handed back: once users may write it, a power cut must not make it a stub again. */
function uncatalog(volume: HsmVolume, journalId: number, path: string): void {
  durableTransaction(volume.db, () => {
    volume.catalog.remove(path);
    volume.journal.advance(journalId, 'written');
  });
  crashPoint('recall-uncataloged');
}

async function releaseTierCopy(volume: HsmVolume, journalId: number, path: string, fields: StubFields): Promise<void> {
  await volume.deleteObjectIfUnused(path, fields.tier, fields.object, journalId);
  crashPoint('recall-object-deleted');
  volume.journal.finish(journalId);
}

export async function restoreStub(volume: HsmVolume, file: OpenFile, stubBytes: Uint8Array, times: Pick<FileBasicInformation, 'lastAccessTime' | 'lastWriteTime'>): Promise<void> {
  await volume.io.write(file, stubBytes, 0);
  await volume.io.setEndOfFile(file, stubBytes.length);
  await volume.io.setTimes(file, times.lastAccessTime, times.lastWriteTime);
  await volume.io.flush(file);
}

function corrupt(message: string): NtStatusError {
  return new NtStatusError(STATUS_FILE_CORRUPT_ERROR, message);
}
