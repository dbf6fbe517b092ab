// Undo journals a dead run left behind (the process crashed or was killed between a stream's first
// change to an existing file and that stream's cleanup), dealt with when the filter attaches to their
// volume: the file is scanned as it is now (once, with all its journals). Clean: the changes stay (as if the stream had been closed)
// and the journal is removed. Infected: handled as a cleanup would — quarantined per policy, then the
// original bytes are put back from the journal, which is then removed. When the file cannot be judged
// (gone, renamed, unreadable, a stub) or the journal cannot be read, the journal — the only copy of the
// original — is kept in the private staging folder under a name no run owns, and an 'error' event says
// where; every later attach of the volume tries it again. Journals of live runs are left alone; earlier
// versions' journals (which do not say whose file they hold, so cannot be applied) are removed once
// their process is gone.

import { lstat, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE_ATTRIBUTE_OFFLINE } from '../../../main/io/index.js';
import type { FltInstance } from '../../../main/fltmgr/index.js';
import { scanContent } from '../archives/content-scanner.js';
import { withBelowFile, type BelowFile } from './below-file.js';
import type { ScanFilterContext } from './filter-context.js';
import { isRunAlive, newJournalName, ownerOfJournal, parkedJournalName } from './journal-owner.js';
import { readHeader } from './undo-journal-format.js';
import { UndoJournal } from './undo-journal.js';

type Outcome = { readonly kept: string } | { readonly done: true };

/** Deals with every dead run's journal of `instance`'s volume in the staging folder. Never throws. */
export async function recoverJournals(context: ScanFilterContext, instance: FltInstance): Promise<void> {
  const claimed = await claimDeadJournals(context, instance);
  // One file may have several (an overwriting open's whole-file journal not yet merged into the older one): judged once, together.
  const byFile = new Map<string, UndoJournal[]>();
  for (const journal of claimed) {
    const key = journal.belongsTo.path.toLowerCase();
    byFile.set(key, [...(byFile.get(key) ?? []), journal]);
  }
  for (const journals of byFile.values()) {
    try {
      await recoverFile(context, instance, journals.sort(UndoJournal.compare));
    } catch (error) {
      await Promise.allSettled(journals.map((journal) => journal.close()));
      reportKept(context, instance, journals[0]!.belongsTo.path, journals.map((journal) => journal.location).join(', '), (error as Error).message);
    }
  }
}

/** The dead runs' journals of this volume, each taken over by this run (renamed) and opened. */
async function claimDeadJournals(context: ScanFilterContext, instance: FltInstance): Promise<UndoJournal[]> {
  let names: string[];
  try {
    names = await readdir(context.stagingDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') reportKept(context, instance, '', context.stagingDir, `cannot list the undo-journal folder: ${(error as Error).message}`);
    return [];
  }
  const volumeKey = context.volumeKey(instance.volume.name);
  const claimed: UndoJournal[] = [];
  for (const name of names.sort()) {
    const owner = ownerOfJournal(name);
    if (owner === null || isRunAlive(owner)) continue;
    const path = join(context.stagingDir, name);
    try {
      if (owner.legacy) {
        await rm(path, { force: true });
        continue;
      }
      if (!(await isOwnPrivateFile(path))) {
        reportKept(context, instance, '', path, 'not a private file of this user (mode or owner): left alone, not applied');
        continue;
      }
      const header = await headerOf(path);
      if (header === 'cut') {
        // Cut while being created: nothing was saved in it, so no change was made under its protection.
        await rm(path, { force: true });
        continue;
      }
      if (header.volume !== volumeKey) continue;
      const ours = await claim(path);
      if (ours === null) continue;
      try {
        const journal = await UndoJournal.load(ours);
        if (journal === null) await rm(ours, { force: true });
        else claimed.push(journal);
      } catch (error) {
        await park(context, instance, ours, '', `cannot be read: ${(error as Error).message}`);
      }
    } catch (error) {
      reportKept(context, instance, '', path, `cannot be read: ${(error as Error).message}`);
    }
  }
  return claimed;
}

async function isOwnPrivateFile(path: string): Promise<boolean> {
  const info = await lstat(path);
  const uid = process.getuid?.();
  return info.isFile() && (uid === undefined || (info.uid === uid && (info.mode & 0o077) === 0));
}

async function headerOf(path: string): Promise<{ volume: string } | 'cut'> {
  const file = await open(path, 'r');
  try {
    return (await readHeader(file, path))?.header ?? 'cut';
  } finally {
    await file.close();
  }
}

/** Takes the journal over for this run (a rename), so that no other run recovers it at the same time; null if another got it first. */
async function claim(path: string): Promise<string | null> {
  const ours = join(path, '..', newJournalName());
  try {
    await rename(path, ours);
    return ours;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Judges one file and applies or drops its journals (oldest first in `journals`). */
async function recoverFile(context: ScanFilterContext, instance: FltInstance, journals: UndoJournal[]): Promise<void> {
  const name = journals.at(-1)!.belongsTo.path;
  let outcome: Outcome;
  try {
    outcome = (await withBelowFile(context.manager, instance, name, (file) => judge(context, instance, file, name, journals))) ?? { kept: 'its file is not there (deleted or renamed since)' };
  } catch (error) {
    outcome = { kept: (error as Error).message };
  }
  for (const journal of journals) {
    if ('done' in outcome) {
      await journal.discard();
      continue;
    }
    const path = journal.location!;
    await journal.close();
    await park(context, instance, path, name, outcome.kept);
  }
}

/** Keeps a claimed journal — the only copy of what its file held before — parked, so that the next attach tries again, and says so. */
async function park(context: ScanFilterContext, instance: FltInstance, path: string, name: string, why: string): Promise<void> {
  const parked = join(context.stagingDir, parkedJournalName());
  await rename(path, parked);
  reportKept(context, instance, name, parked, why);
}

async function judge(context: ScanFilterContext, instance: FltInstance, file: BelowFile, name: string, journals: UndoJournal[]): Promise<Outcome> {
  const volume = instance.volume.name;
  const info = await file.info();
  if (info.directory) return { kept: 'a folder has its name now' };
  // Reading a stub would recall it; nothing released a file that was being written, so this is not that file.
  if ((info.attributes & FILE_ATTRIBUTE_OFFLINE) !== 0) return { kept: 'it is offline (in cold storage) now' };
  // As at a cleanup: what was written is judged whole, and allowed detections do not apply to new content.
  const verdict = await scanContent(context.engine.database, file.source(info.size), { limits: context.policy.limits });
  const signature = verdict.detection?.name ?? null;
  if (signature === null) {
    context.emit({ kind: 'scanned', origin: 'recovery', volume, path: name, signature: null, detail: 'an interrupted write left clean content: kept' });
    return { done: true };
  }
  context.emit({ kind: 'threat-found', origin: 'recovery', volume, path: name, signature });
  if (context.policy.action === 'report') return { done: true };
  if (context.policy.action === 'quarantine' && context.sink !== null) {
    try {
      const id = await context.sink.quarantine({ origin: 'recovery', volume, path: name, signature, content: file.source(info.size) });
      context.emit({ kind: 'quarantined', origin: 'recovery', volume, path: name, signature, detail: id });
    } catch (error) {
      // Not kept, but still removed: infected data must not stay because the quarantine failed.
      context.emit({ kind: 'blocked', origin: 'recovery', volume, path: name, signature, detail: `not quarantined: ${(error as Error).message}` });
    }
  }
  // Newest first: each older journal puts back the bytes as they were before the changes the newer ones saw.
  for (const journal of [...journals].reverse()) await journal.restore(file);
  await file.flush();
  context.emit({ kind: 'blocked', origin: 'recovery', volume, path: name, signature, detail: 'restored' });
  return { done: true };
}

function reportKept(context: ScanFilterContext, instance: FltInstance, path: string, journal: string, why: string): void {
  context.emit({
    kind: 'error',
    origin: 'recovery',
    volume: instance.volume.name,
    path,
    signature: null,
    detail: `the undo journal ${journal}, left by a run that stopped mid-write, was not applied: ${why}; it is kept (it holds the file's original bytes)`,
  });
}
