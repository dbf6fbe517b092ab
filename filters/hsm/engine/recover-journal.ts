// Recovery at start: every journal entry an earlier run left unfinished is rolled back or completed,
// judged by what is on disk now, so that no file is lost whatever instant the crash hit.
//
// Migration: the file is the stub this entry made (the rename happened, whatever step the entry shows)
// → complete. Otherwise the original is intact → roll back (temporary stub, row and unused tier copy
// go).
// Recall: the file still holds the stub → roll back; it holds the verified content → complete; it is
// half-written → recall again from the tier, or write the stub back if the tier is out of reach.

import { STATUS_BAD_NETWORK_NAME } from '../../../main/io/index.js';
import { durableTransaction } from '../catalog/durable-transaction.js';
import type { JournalEntry } from '../catalog/journal.js';
import { parentOf } from '../catalog/volume-path.js';
import type { StubFields } from '../stub/stub-format.js';
import { TierError, type Tier } from '../tier/tier.js';
import type { OpenFile } from '../volume/below-io.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { abandonMigration } from './abandon-migration.js';
import { finishRecall, recallInPlace, restoreStub } from './recall-file.js';
import { sha256OfFile } from './hash-file.js';
import { tempStubName } from './release-file.js';
import { readStubAt } from './stub-reader.js';

export interface RecoveryAction {
  readonly path: string;
  readonly journal: 'migrate' | 'recall';
  readonly action: 'rolled back' | 'completed';
  readonly detail: string;
}

export async function recoverJournal(volume: HsmVolume): Promise<RecoveryAction[]> {
  const actions: RecoveryAction[] = [];
  const failures: string[] = [];
  for (const entry of volume.journal.pending()) {
    // One entry that cannot be recovered now (a tier out of reach) does not hold back the others.
    try {
      const action = entry.kind === 'migrate' ? await recoverMigration(volume, entry) : await recoverRecall(volume, entry);
      actions.push(action);
      volume.emit({ kind: 'recovered', ...action });
    } catch (error) {
      failures.push(`${entry.kind} of ${entry.path}: ${(error as Error).message}`);
    }
  }
  if (failures.length > 0) throw new Error(failures.join('; '));
  return actions;
}

async function recoverMigration(volume: HsmVolume, entry: JournalEntry): Promise<RecoveryAction> {
  const done = (action: RecoveryAction['action'], detail: string): RecoveryAction => ({ path: entry.path, journal: 'migrate', action, detail });
  // Whatever step the entry shows: the file being this entry's authentic stub means the swap happened
  // (a power cut can lose the last commits while the fsync'd rename survives). Rolling back would delete
  // the only copy of the file; completing catalogs the stub.
  const now = await readStubAt(volume, entry.path);
  if (now.kind === 'stub' && isStubOf(entry, now.fields)) {
    await volume.io.deleteIfExists(entry.tempName ?? tempStubName(entry.path, entry.id));
    await volume.io.flushDirectory(parentOf(entry.path));
    durableTransaction(volume.db, () => {
      volume.catalog.put({ path: entry.path, ...now.fields, stubSize: now.bytes.length });
      volume.journal.finish(entry.id);
    });
    return done('completed', `the stub had replaced the file (journal at step '${entry.step}'); its catalog entry was confirmed`);
  }
  // A temporary stub made before a 'stub-temp' commit that was then lost has no name in the entry.
  if (entry.tempName === null) await volume.io.deleteIfExists(tempStubName(entry.path, entry.id));
  if (entry.step === 'planned') await findUnrecordedCopy(volume, entry);
  await abandonMigration(volume, entry.id);
  return done('rolled back', `interrupted at step '${entry.step}'; the file was left as it was`);
}

/**
 * Whether `fields` (an authentic stub's) describe what migration `entry` copied: its object once the
 * entry knows it; before that (step 'planned'), the size and time of the file it began with.
 */
function isStubOf(entry: JournalEntry, fields: StubFields): boolean {
  if (fields.tier !== entry.tier) return false;
  if (entry.object !== null) return fields.object === entry.object && fields.sha256 === entry.sha256;
  return fields.size === entry.size && fields.mtime === entry.mtime;
}

/**
 * A crash between the tier storing the copy and the journal recording its id leaves the id unknown;
 * the original is untouched, so its hash names the object, which the roll-back then removes if unused.
 * A tier no longer configured (removed after the crash) can hold no copy Strata could find or delete.
 */
async function findUnrecordedCopy(volume: HsmVolume, entry: JournalEntry): Promise<void> {
  const tier = configuredTier(volume, entry.tier);
  if (tier === null) return;
  const file = await volume.io.openIfExists(entry.path);
  if (file === null) return;
  let sha256: string;
  try {
    sha256 = await sha256OfFile(volume, file);
  } finally {
    await volume.io.close(file);
  }
  if ((await tier.stat(sha256).catch(() => null)) !== null) volume.journal.advance(entry.id, 'planned', { sha256, object: sha256 });
}

/** The tier named `name`, or null when the configuration has no such tier. */
function configuredTier(volume: HsmVolume, name: string): Tier | null {
  try {
    return volume.tier(name);
  } catch (error) {
    if (error instanceof TierError && error.status === STATUS_BAD_NETWORK_NAME) return null;
    throw error;
  }
}

async function recoverRecall(volume: HsmVolume, entry: JournalEntry): Promise<RecoveryAction> {
  const done = (action: RecoveryAction['action'], detail: string): RecoveryAction => ({ path: entry.path, journal: 'recall', action, detail });
  if (entry.stub === null || entry.size === null || entry.mtime === null || entry.atime === null || entry.sha256 === null || entry.object === null) {
    // Begun without its fields (an earlier build wrote them in a second statement, and a crash could
    // fall between): the recall opens the file only after they are recorded, so it never touched it.
    volume.journal.finish(entry.id);
    return done('rolled back', 'the recall had not begun; the file was not touched');
  }
  const fields: StubFields = { size: entry.size, mtime: entry.mtime, atime: entry.atime, sha256: entry.sha256, tier: entry.tier, object: entry.object };
  const stubBytes = entry.stub;
  const file = await volume.io.openIfExists(entry.path);
  if (file === null) {
    volume.journal.finish(entry.id);
    return done('rolled back', 'the file no longer exists');
  }
  let state: 'stub' | 'content' | 'partial';
  try {
    state = await judgeRecallTarget(volume, file, fields, stubBytes);
    // 'written' means the content was verified and fsync'd: whatever changed since is not ours to undo.
    if (entry.step === 'written') state = 'content';
  } finally {
    await volume.io.close(file);
  }
  if (state === 'stub') {
    volume.journal.finish(entry.id);
    return done('rolled back', 'the stub was still intact');
  }
  if (state === 'content') {
    await finishRecall(volume, entry.id, entry.path, fields);
    return done('completed', 'the content had been recalled and verified');
  }
  // Half-written: recall again under the same journal entry; if that cannot be done, the stub goes back.
  try {
    await recallInPlace(volume, { path: entry.path, fields, stubBytes }, { journalId: entry.id });
    return done('completed', 'the interrupted recall was done again from the tier');
  } catch (error) {
    if (volume.journal.get(entry.id) !== null) {
      // Failed before it touched the file (tier unreachable): the half-written file still needs its stub.
      await volume.io.with(entry.path, (again) => restoreStub(volume, again, stubBytes, { lastAccessTime: fields.atime, lastWriteTime: fields.mtime }));
      volume.journal.finish(entry.id);
    }
    return done('rolled back', `the recall could not be redone (${(error as Error).message}); the stub was written back`);
  }
}

async function judgeRecallTarget(volume: HsmVolume, file: OpenFile, fields: StubFields, stubBytes: Uint8Array): Promise<'stub' | 'content' | 'partial'> {
  const size = (await volume.io.standard(file)).endOfFile;
  if (size === stubBytes.length) {
    const head = await volume.io.read(file, 0, stubBytes.length);
    if (Buffer.from(head).equals(Buffer.from(stubBytes))) return 'stub';
  }
  if (size !== fields.size) return 'partial';
  return (await sha256OfFile(volume, file)) === fields.sha256 ? 'content' : 'partial';
}

