// Ingests one file another program dropped into a protected folder: copies the raw bytes through the
// filter stack into a temporary name beside it (so the scan filter checks them and the crypt filter
// encrypts them), then renames that over the original, atomically. If the original changes meanwhile
// the copy is thrown away and done again, so an edit made during ingest is never lost. A symbolic link is
// not taken in (its target, inside the folder, is taken in where it lies; one outside is none of ingest's
// business), and the file read is the folder's own (folder-source.ts). An HSM stub's raw bytes are never
// taken in; its content is, brought back first, when a protection must change how it is stored (crypt:
// plaintext migrated to cold storage before the folder was encrypted; cold-file.ts). A file the stack itself
// wrote is passed over, unless its raw content is not in a protection's kept form (own-write.ts).

import { lstat, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FILE_CREATE, FILE_OPEN, STATUS_VIRUS_INFECTED, statusName, type NTSTATUS } from '../../io/index.js';
import type { FolderStack } from '../folder-stack.js';
import type { ActiveProtection, IngestCandidate } from '../protections/provider.js';
import { sameStamp, stampOf, type FileStamp } from './file-stamp.js';
import type { IngestLedger } from './ingest-ledger.js';
import {
  StackIoError, createThroughStack, deleteThroughStack, flushDirectoryThroughStack, openThroughStack, renameThroughStack, setTimesThroughStack,
  withHandle, writeThroughStack,
} from './stack-file.js';
import { bringBack, coldStateOf, mustTakeInOffline, offlineTakers, type ColdState } from './cold-file.js';
import { openFolderSource } from './folder-source.js';
import { holdOriginal, type OriginalHold } from './original-hold.js';
import { ownWriteToTakeIn } from './own-write.js';
import { HEAD_BYTES, isHsmStub } from './raw-head.js';
import { ingestName, isStrataPath } from './strata-names.js';

const CHUNK = 1024 * 1024;

export interface IngestTarget {
  readonly root: string;
  readonly stack: FolderStack;
  readonly ledger: IngestLedger;
  readonly protections: () => readonly ActiveProtection[];
  /**
   * Whether the file is exactly what the user restored from quarantine at that path (allowed there):
   * it is then copied as Strata's own I/O, which the scan filter does not scan, so it is not quarantined
   * again; the crypt filter still encrypts it.
   */
  readonly restored?: (relativePath: string, absolutePath: string) => Promise<boolean>;
}

export type IngestOutcome =
  /** `hold`: the original, kept under a second name until its writer has surely finished (see original-hold.ts). */
  | { kind: 'ingested'; attempts: number; size: number; hold: OriginalHold }
  /** Nothing to do: Strata's own write, gone, not a regular file, or a protection said skip. */
  | { kind: 'unchanged'; reason: string }
  /** It kept changing; the next watcher event brings it back. */
  | { kind: 'busy'; attempts: number }
  /** The stack refused the bytes (a threat) and a protection dealt with the original. */
  | { kind: 'refused'; action: 'quarantined' | 'blocked' | 'threat-found'; detail: string; status: NTSTATUS }
  | { kind: 'failed'; detail: string };

export async function ingestFile(target: IngestTarget, relativePath: string, signal: AbortSignal, maxAttempts = 3): Promise<IngestOutcome> {
  if (isStrataPath(relativePath)) return { kind: 'unchanged', reason: "Strata's own file" };
  const absolutePath = join(target.root, relativePath);
  // Set once this ingest brought the file back from cold storage: the recall was the stack's own write,
  // but what it wrote is exactly what is to be taken in.
  let recalled = false;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (signal.aborted) return { kind: 'failed', detail: 'cancelled' };
    const stats = await lstat(absolutePath).catch(() => null);
    if (stats === null || !stats.isFile()) return { kind: 'unchanged', reason: 'gone, a link or not a regular file' };
    const before = stampOf(stats);
    if (!recalled && target.ledger.isOwn(relativePath, before)) {
      const passedOver = await passOverOwnWrite(target, relativePath, before);
      if (passedOver !== null) return passedOver;
    }
    // The times as they were before ingest read the file (reading may move the access time).
    const times = { atimeMs: stats.atimeMs, mtimeMs: stats.mtimeMs };
    const step = await copyThroughStack(target, relativePath, absolutePath, before, times, recalled, signal);
    if (step.kind === 'retry') continue;
    if (step.kind === 'recall') {
      const failure = await bringBack(target.protections(), relativePath);
      if (failure !== null) return { kind: 'failed', detail: `not taken in: its content is in cold storage and could not be brought back (${failure}); the stub is left as it was and is tried again later` };
      await forgetRecall(target.ledger, relativePath);
      recalled = true;
      continue;
    }
    return step.kind === 'done' ? { kind: 'ingested', attempts: attempt, size: before.size, hold: step.hold } : step.outcome;
  }
  return { kind: 'busy', attempts: maxAttempts };
}

/** `recall`: the file is in cold storage and its content must be taken in; bring it back and try again. */
type Step = { kind: 'done'; hold: OriginalHold } | { kind: 'retry' } | { kind: 'recall' } | { kind: 'outcome'; outcome: IngestOutcome };

async function copyThroughStack(target: IngestTarget, relativePath: string, absolutePath: string, before: FileStamp, times: { atimeMs: number; mtimeMs: number }, recalled: boolean, signal: AbortSignal): Promise<Step> {
  const { stack } = target;
  const dir = posix.dirname(relativePath) === '.' ? '' : posix.dirname(relativePath);
  const tempPath = posix.join(dir, ingestName(posix.basename(relativePath), 'copy'));
  const source = await openFolderSource(target.root, relativePath);
  if (source === null) return { kind: 'outcome', outcome: { kind: 'unchanged', reason: 'gone, or replaced by a link' } };
  let tempCreated = false;
  try {
    const buffer = new Uint8Array(Math.min(CHUNK, Math.max(before.size, 1)));
    const first = await source.read(buffer, 0, Math.min(buffer.length, HEAD_BYTES), 0);
    const candidate: IngestCandidate = { relativePath, absolutePath, size: before.size, head: buffer.slice(0, first.bytesRead) };
    if (isHsmStub(candidate)) {
      await source.close();
      return await stubStep(target, relativePath, candidate, before);
    }
    const decisions = target.protections().map((p) => p.ingestDecision?.(candidate) ?? 'ingest');
    if (decisions.includes('skip')) {
      await source.close();
      target.ledger.record(relativePath, before);
      return { kind: 'outcome', outcome: { kind: 'unchanged', reason: 'already in its protected form' } };
    }
    const unscanned = (await target.restored?.(relativePath, absolutePath)) === true;
    const temp = unscanned ? await openThroughStack(stack, tempPath, FILE_CREATE, 0, true) : await createThroughStack(stack, tempPath);
    tempCreated = true;
    await withHandle(stack, temp, tempPath, async (handle) => {
      for (let offset = 0; ; ) {
        if (signal.aborted) throw new StackIoError('cancelled while writing', tempPath, 0);
        const { bytesRead } = await source.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        await writeThroughStack(stack, handle, buffer.subarray(0, bytesRead), offset, tempPath);
        offset += bytesRead;
      }
      await stack.api.flush(handle);
    });
    await source.close();
    // The original must still be what was copied; the rename replaces it in one step.
    if (!sameStamp(before, await stampIfFile(absolutePath))) {
      await deleteThroughStack(stack, tempPath);
      return { kind: 'retry' };
    }
    const reopened = await openThroughStack(stack, tempPath, FILE_OPEN, 0, true);
    const hold = await withHandle(stack, reopened, tempPath, async (handle) => {
      if (!sameStamp(before, await stampIfFile(absolutePath))) throw new ChangedMeanwhile();
      await setTimesThroughStack(stack, handle, times, tempPath);
      // A writer that still has the original open keeps writing into the hold, not into nothing.
      const held = await holdOriginal(join(target.root, dir), posix.basename(relativePath), before);
      try {
        await renameThroughStack(stack, handle, relativePath, tempPath);
      } catch (error) {
        await unlink(held.path).catch(() => undefined);
        throw error;
      }
      return held;
    });
    tempCreated = false;
    // The folder itself is not fsynced: if a crash undoes the rename, the original is still there
    // (it was never touched) and the next start ingests it again. The copy was fsynced above, so a
    // rename that did survive never points at missing data. Except after a recall: the original is then
    // the stack's own write, which the ledger may have recorded again (a power cut can also undo the
    // ledger's forgetting it) and a walk would pass over, so the rename is made durable now. Best effort:
    // the rename is done, and a failed fsync loses nothing (at worst the plaintext comes back).
    if (recalled) await flushDirectoryThroughStack(stack, dir).catch(() => undefined);
    return { kind: 'done', hold };
  } catch (error) {
    await source.close().catch(() => undefined);
    if (tempCreated) await deleteThroughStack(stack, tempPath);
    if (error instanceof ChangedMeanwhile) return { kind: 'retry' };
    if (error instanceof StackIoError && error.status !== 0) return { kind: 'outcome', outcome: await refused(target, relativePath, absolutePath, before, error) };
    return { kind: 'outcome', outcome: { kind: 'failed', detail: (error as Error).message } };
  }
}

class ChangedMeanwhile extends Error {}

/**
 * A stub stands for a file in cold storage. Its raw bytes are never taken in: copied over itself through
 * the stack, the rename would drop its catalog row and release its tier copy, the file's only copy.
 * Whatever the ledger forgot (it is cleared when the ingesting protections change), a stub is never a
 * user's new file. Its content is taken in, brought back first, when a protection must store it
 * otherwise (crypt: plaintext that went to the tier before the folder was encrypted).
 */
async function stubStep(target: IngestTarget, relativePath: string, candidate: IngestCandidate, before: FileStamp): Promise<Step> {
  const takers = offlineTakers(target.protections());
  if (takers.length > 0) {
    let state: ColdState;
    try {
      state = await coldStateOf(target.stack, relativePath);
    } catch (error) {
      if (!(error instanceof StackIoError)) throw error;
      // Not recorded: the next try (or walk) looks again.
      return { kind: 'outcome', outcome: { kind: 'failed', detail: `not taken in: it is in cold storage and cannot be looked at now (${error.message}); the stub is left as it was and is tried again later` } };
    }
    if (state.offline && mustTakeInOffline(takers, { ...candidate, offline: { encrypted: state.encrypted } })) return { kind: 'recall' };
  }
  target.ledger.record(relativePath, before);
  return { kind: 'outcome', outcome: { kind: 'unchanged', reason: 'an HSM stub (its file is in cold storage)' } };
}

/**
 * The recall was the stack's own write, so the ledger records the file it left as Strata's: forgotten
 * (once that record is in), so that if this ingest never gets to the rename (a crash, a cancel, a
 * failure), a later walk still takes the file in instead of passing over it.
 */
async function forgetRecall(ledger: IngestLedger, relativePath: string): Promise<void> {
  for (let waited = 0; ledger.isWriting(relativePath) && waited < 2000; waited += 20) await sleep(20);
  ledger.forget(relativePath);
}

/**
 * A file the stack wrote is Strata's own and passed over; null when a protection wants it taken in all the
 * same (its raw content is not in the form it keeps). One the stack is writing now is passed over: the end
 * of that write looks at it again.
 */
async function passOverOwnWrite(target: IngestTarget, relativePath: string, before: FileStamp): Promise<IngestOutcome | null> {
  const own: IngestOutcome = { kind: 'unchanged', reason: 'written by Strata' };
  if (target.ledger.isWriting(relativePath)) return own;
  try {
    return (await ownWriteToTakeIn(target, relativePath, before.size)) ? null : own;
  } catch (error) {
    // Not taken in and nothing recorded: it is looked at again later (after the unlock that trusts a vault, its walk).
    return { kind: 'failed', detail: `not taken in: Strata itself wrote it, but not in the form its protections keep (a write below them, such as a recall from cold storage), and it cannot be taken in now (${(error as Error).message})` };
  }
}

/** A protection (scan) deals with an original the stack refused; otherwise it is a plain failure. */
async function refused(target: IngestTarget, relativePath: string, absolutePath: string, before: FileStamp, error: StackIoError): Promise<IngestOutcome> {
  const candidate: IngestCandidate = { relativePath, absolutePath, size: before.size, head: new Uint8Array(0) };
  for (const protection of target.protections()) {
    const handled = await protection.onIngestRefused?.(candidate, error.status);
    if (handled != null) return { kind: 'refused', ...handled, status: error.status };
  }
  if (error.status === STATUS_VIRUS_INFECTED) return { kind: 'refused', action: 'threat-found', detail: `${relativePath}: ${statusName(error.status)}`, status: error.status };
  return { kind: 'failed', detail: error.message };
}

async function stampIfFile(path: string): Promise<FileStamp | null> {
  try {
    const stats = await lstat(path);
    return stats.isFile() ? stampOf(stats) : null;
  } catch {
    return null;
  }
}
