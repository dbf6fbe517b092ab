// Releasing one file: copy it to the tier, verify the copy by hash, then replace the file by its stub
// atomically (a temporary stub, fsync'd, renamed over the file, directory fsync'd). Never released: a
// file someone has open, one whose content the folder's content gate holds back (waiting to be encrypted),
// one modified after the copy (size, time and hash are compared again with
// new opens held at the gate), one already a stub. Each step is journaled before it is taken, so a
// crash anywhere is rolled back (before the rename) or completed (after it) at the next start.
// Renames touching the path are held too while it is swapped (the filter asks swapInProgress; see
// on-set-information.ts), and the swap first waits for those already under way (noteRename).

import { FILE_CREATE, NtStatusError, STATUS_FILE_CORRUPT_ERROR } from '../../../main/io/index.js';
import { durableTransaction } from '../catalog/durable-transaction.js';
import { childOf, parentOf } from '../catalog/volume-path.js';
import { STUB_MAX_SIZE, encodeStub, looksLikeStub, type StubFields } from '../stub/stub-format.js';
import { openHandles, type OpenFile } from '../volume/below-io.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { crashPoint } from '../volume/crash-point.js';
import { abandonMigration } from './abandon-migration.js';
import { contentRefusal } from './content-refusal.js';
import { sha256OfFile } from './hash-file.js';
import type { FileFacts } from '../policy/eligibility.js';

export const COPY_CHUNK = 4 << 20;

export type ReleaseOutcome =
  | { readonly path: string; readonly result: 'released'; readonly size: number }
  | { readonly path: string; readonly result: 'skipped'; readonly reason: string; readonly heldBack?: true };

/** Per volume: the paths being swapped for their stubs (settled when the gate opens) and the renames under way. */
interface SwapState {
  readonly swaps: Map<string, Promise<void>>;
  readonly renames: Set<{ readonly paths: readonly string[]; readonly done: Promise<void> }>;
}

const swapStates = new WeakMap<HsmVolume, SwapState>();

function swapStateOf(volume: HsmVolume): SwapState {
  let state = swapStates.get(volume);
  if (state === undefined) {
    state = { swaps: new Map(), renames: new Set() };
    swapStates.set(volume, state);
  }
  return state;
}

/** Settles when `path` is no longer being replaced by its stub; null when it is not. */
export function swapInProgress(volume: HsmVolume, path: string): Promise<void> | null {
  return swapStates.get(volume)?.swaps.get(path) ?? null;
}

/**
 * From the rename pre-callback, for a rename let through: a swap of `paths` that starts meanwhile waits
 * for it. Call the returned function once the rename is over (its post-callback), whatever its outcome.
 */
export function noteRename(volume: HsmVolume, paths: readonly string[]): () => void {
  const { renames } = swapStateOf(volume);
  let finish!: () => void;
  const rename = { paths, done: new Promise<void>((resolve) => (finish = resolve)) };
  renames.add(rename);
  return () => {
    renames.delete(rename);
    finish();
  };
}

async function renamesSettled(volume: HsmVolume, path: string): Promise<void> {
  const under = [...swapStateOf(volume).renames].filter((rename) => rename.paths.includes(path));
  await Promise.all(under.map((rename) => rename.done));
}

interface Snapshot {
  size: number;
  lastWriteTime: number;
  lastAccessTime: number;
}

/** The temporary stub's name: short, in the same directory (so the rename is atomic), recognisable. */
export function tempStubName(path: string, journalId: number): string {
  return childOf(parentOf(path), `.strata-hsm-${journalId}.tmp`);
}

export function isHsmTempName(name: string): boolean {
  return /^\.strata-hsm-\d+\.tmp$/.test(name);
}

/**
 * Releases `planned.path`. With a size and write time (from a listing), a file that no longer has them
 * is skipped; without, the file is taken as it is now.
 */
export async function releaseFile(volume: HsmVolume, planned: Pick<FileFacts, 'path'> & Partial<FileFacts>, signal?: AbortSignal): Promise<ReleaseOutcome> {
  const path = planned.path;
  const skip = (reason: string): ReleaseOutcome => ({ path, result: 'skipped', reason });
  const tierName = volume.folder.policy.tier;
  const tier = volume.tier(tierName);
  await tier.connect(signal);
  if (volume.catalog.get(path) !== null) return skip('already released');

  const file = await volume.io.openIfExists(path);
  if (file === null) return skip('it no longer exists');
  let journalId: number;
  let copied: { sha256: string; object: string };
  try {
    const before = await snapshot(volume, file);
    if (planned.size !== undefined && (before.size !== planned.size || before.lastWriteTime !== planned.lastWriteTime)) return skip('it changed since it was listed');
    if (openHandles(file) > 1) return skip('it is open');
    if (before.size <= STUB_MAX_SIZE && looksLikeStub(await volume.io.read(file, 0, STUB_MAX_SIZE + 1))) return skip('it is a stub Strata does not know (run fsck)');
    // Looked at after the snapshot: a write after this look changes the write time, and the release skips.
    const held = await contentRefusal(volume, file);
    if (held !== null) return { path, result: 'skipped', reason: held, heldBack: true };
    journalId = volume.journal.begin('migrate', path, tierName, 'planned', { size: before.size, mtime: before.lastWriteTime, atime: before.lastAccessTime });
    crashPoint('planned');
    try {
      const stored = await tier.put(volume.io.chunks(file, COPY_CHUNK), signal);
      copied = { sha256: stored.sha256, object: stored.objectId };
      volume.journal.advance(journalId, 'copied', copied);
      crashPoint('copied');
      if (stored.size !== before.size) {
        await abandonMigration(volume, journalId);
        return skip('it changed while being copied');
      }
      if (!(await tier.verify(copied.object, copied.sha256, signal))) {
        throw new NtStatusError(STATUS_FILE_CORRUPT_ERROR, `the copy of ${path} in tier '${tierName}' does not match what was written`);
      }
      volume.journal.advance(journalId, 'verified');
      crashPoint('verified');
    } catch (error) {
      await abandonMigration(volume, journalId);
      throw error;
    }
  } finally {
    await volume.io.close(file);
  }
  return replaceByStub(volume, path, journalId, copied);
}

/** Under the gate: check again that nobody has the file open and that it is what was copied, then swap. */
async function replaceByStub(volume: HsmVolume, path: string, journalId: number, copied: { sha256: string; object: string }): Promise<ReleaseOutcome> {
  const entry = volume.journal.get(journalId)!;
  const { swaps } = swapStateOf(volume);
  let swapped!: () => void;
  const swap = new Promise<void>((resolve) => (swapped = resolve));
  volume.gate.close(path);
  if (!swaps.has(path)) swaps.set(path, swap);
  try {
    // A rename let through before the gate closed may still replace or move the file: it goes first.
    await renamesSettled(volume, path);
    const reason = await changedSinceCopy(volume, path, entry.size!, entry.mtime!, copied.sha256);
    if (reason !== null) {
      await abandonMigration(volume, journalId);
      return { path, result: 'skipped', reason };
    }
    const fields = { size: entry.size!, mtime: entry.mtime!, atime: entry.atime!, sha256: copied.sha256, tier: entry.tier, object: copied.object };
    const stub = encodeStub(fields, volume.stubKey);
    const temp = tempStubName(path, journalId);
    // The row goes in before the rename: a row whose file is not (yet) a stub is harmless, since every
    // open checks the stub itself, while a stub without its row would be served as plain bytes. Synced
    // before the temporary stub is made: a power cut must not keep the rename and lose this commit.
    durableTransaction(volume.db, () => {
      volume.journal.advance(journalId, 'stub-temp', { tempName: temp });
      volume.catalog.put({ path, ...fields, stubSize: stub.length });
    });
    const lost = await swapInStub(volume, path, temp, stub, fields, journalId);
    if (lost !== null) return { path, result: 'skipped', reason: lost };
    crashPoint('renamed');
    await volume.io.flushDirectory(parentOf(path));
    volume.journal.finish(journalId);
    crashPoint('finished');
    return { path, result: 'released', size: fields.size };
  } finally {
    volume.gate.open(path);
    if (swaps.get(path) === swap) swaps.delete(path);
    swapped();
  }
}

/**
 * Writes the temporary stub (data, fsync, the file's times) and renames it over the file; or, when the
 * file or its new row is no longer what was copied and cataloged, abandons and says why (null: swapped).
 */
async function swapInStub(volume: HsmVolume, path: string, temp: string, stub: Uint8Array, fields: StubFields, journalId: number): Promise<string | null> {
  let tempFile: OpenFile | null = null;
  try {
    tempFile = await volume.io.open(temp, { disposition: FILE_CREATE });
    await volume.io.write(tempFile, stub, 0);
    await volume.io.flush(tempFile);
    // The stub carries the file's times on disk too: listings show them without a lookup.
    await volume.io.setTimes(tempFile, fields.atime, fields.mtime);
    crashPoint('stub-written');
    const lost = await notWhatWasCopied(volume, path, fields);
    if (lost !== null) {
      await volume.io.close(tempFile);
      await abandonMigration(volume, journalId);
      return lost;
    }
    await volume.io.rename(tempFile, path, true);
  } catch (error) {
    if (tempFile !== null) await volume.io.close(tempFile);
    await abandonMigration(volume, journalId);
    throw error;
  }
  await volume.io.close(tempFile);
  return null;
}

/**
 * The last look before the rename replaces the file: the row put for it must still be there (a rename
 * onto the path drops it) and the file must still be closed to others, with the size and time copied.
 */
async function notWhatWasCopied(volume: HsmVolume, path: string, fields: StubFields): Promise<string | null> {
  const file = await volume.io.openIfExists(path);
  if (file === null) return 'it was moved or deleted during the release';
  try {
    if (openHandles(file) > 1) return 'it was opened during the release';
    const now = await snapshot(volume, file);
    if (now.size !== fields.size || now.lastWriteTime !== fields.mtime) return 'it was replaced or modified during the release';
  } finally {
    await volume.io.close(file);
  }
  const row = volume.catalog.get(path);
  if (row === null || row.object !== fields.object || row.sha256 !== fields.sha256) return 'it was replaced during the release';
  return null;
}

/** Null when the file is still closed to others and byte-for-byte what was copied; else why not. */
async function changedSinceCopy(volume: HsmVolume, path: string, size: number, mtime: number, sha256: string): Promise<string | null> {
  const file = await volume.io.openIfExists(path);
  if (file === null) return 'it was deleted during the copy';
  try {
    if (openHandles(file) > 1) return 'it was opened during the copy';
    const now = await snapshot(volume, file);
    if (now.size !== size || now.lastWriteTime !== mtime) return 'it was modified after the copy';
    return (await sha256OfFile(volume, file)) === sha256 ? null : 'it was modified after the copy (content differs)';
  } finally {
    await volume.io.close(file);
  }
}

async function snapshot(volume: HsmVolume, file: OpenFile): Promise<Snapshot> {
  const basic = await volume.io.basic(file);
  const standard = await volume.io.standard(file);
  return { size: standard.endOfFile, lastWriteTime: basic.lastWriteTime, lastAccessTime: basic.lastAccessTime };
}
