// Recovery at start: every journal entry an earlier run left unfinished is rolled back or completed,
// judged by what is on disk now, so that no file is lost whatever instant the crash hit.
//
// Migration: before the rename the original is intact → roll back (temporary stub, row and unused tier
// copy go). After it the file is the stub this entry made → complete.
// Recall: the file still holds the stub → roll back; it holds the verified content → complete; it is
// half-written → recall again from the tier, or write the stub back if the tier is out of reach.

import type { JournalEntry } from '../catalog/journal.js';
import { parentOf } from '../catalog/volume-path.js';
import type { StubFields } from '../stub/stub-format.js';
import type { OpenFile } from '../volume/below-io.js';
import type { HsmVolume } from '../volume/hsm-volume.js';
import { abandonMigration } from './abandon-migration.js';
import { finishRecall, recallInPlace, restoreStub } from './recall-file.js';
import { sha256OfFile } from './hash-file.js';
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
  if (entry.step === 'stub-temp') {
    const now = await readStubAt(volume, entry.path);
    if (now.kind === 'stub' && now.fields.sha256 === entry.sha256 && now.fields.object === entry.object) {
      if (entry.tempName !== null) await volume.io.deleteIfExists(entry.tempName);
      await volume.io.flushDirectory(parentOf(entry.path));
      volume.db.transaction(() => {
        volume.catalog.put({ path: entry.path, ...now.fields, stubSize: now.bytes.length });
        volume.journal.finish(entry.id);
      })();
      return done('completed', 'the stub had replaced the file; its catalog entry was confirmed');
    }
  }
  if (entry.step === 'planned') await findUnrecordedCopy(volume, entry);
  await abandonMigration(volume, entry.id);
  return done('rolled back', `interrupted at step '${entry.step}'; the file was left as it was`);
}

/**
 * A crash between the tier storing the copy and the journal recording its id leaves the id unknown;
 * the original is untouched, so its hash names the object, which the roll-back then removes if unused.
 */
async function findUnrecordedCopy(volume: HsmVolume, entry: JournalEntry): Promise<void> {
  const file = await volume.io.openIfExists(entry.path);
  if (file === null) return;
  let sha256: string;
  try {
    sha256 = await sha256OfFile(volume, file);
  } finally {
    await volume.io.close(file);
  }
  if ((await volume.tier(entry.tier).stat(sha256).catch(() => null)) !== null) volume.journal.advance(entry.id, 'planned', { sha256, object: sha256 });
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

