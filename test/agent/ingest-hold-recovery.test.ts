// Ingest holds the original under a second name while its copy replaces it (original-hold.ts); if the
// agent dies before the hold is judged, the next start's walk judges it (hold-recovery.ts). The hold must
// be judged against the file it holds — whatever the length of that file's name — and must never replace
// another file. Real files in a temp folder; the crash is the state ingest-file.ts leaves at that point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, readdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stampOf } from '../../main/agent/ingest/file-stamp.js';
import { FolderWatcher } from '../../main/agent/ingest/folder-watcher.js';
import { holdOriginal } from '../../main/agent/ingest/original-hold.js';
import { tempDir } from './agent-fixtures.js';

const COPIED_AT = new Date('2024-01-01T00:00:00Z');
const EDITED_AT = new Date('2024-02-01T00:00:00Z');

/**
 * Ingest's steps up to the crash: the original held, its copy renamed over it (with the original's
 * times). `edited`: a writer that still had the original open wrote to it afterwards (into the hold).
 */
async function crashDuringHold(root: string, name: string, edited = false): Promise<string> {
  await writeFile(join(root, name), 'ORIGINAL');
  await utimes(join(root, name), COPIED_AT, COPIED_AT);
  const hold = await holdOriginal(root, name, stampOf(await stat(join(root, name))));
  await writeFile(join(root, 'copy.tmp'), 'INGESTED COPY');
  await utimes(join(root, 'copy.tmp'), COPIED_AT, COPIED_AT);
  await rename(join(root, 'copy.tmp'), join(root, name));
  if (edited) {
    await writeFile(hold.path, 'EDITED AFTER THE COPY');
    await utimes(hold.path, EDITED_AT, EDITED_AT);
  }
  return hold.path;
}

/** The next start: the watcher's first walk, which recovers what a crash left; answers what it reported. */
async function nextStart(root: string): Promise<string[]> {
  const reported: string[] = [];
  const watcher = new FolderWatcher({
    root, quietMs: 60_000, offer: () => true, isOwn: () => false, onRemoved: () => undefined, isIdle: () => true,
    onError: (error) => reported.push(error.message),
  });
  await watcher.rescan({ recoverLeftovers: true });
  await watcher.stop();
  return reported;
}

async function contents(root: string): Promise<Record<string, string>> {
  const names = (await readdir(root)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(root, name), 'utf8')] as const)));
}

test('a hold on a file with a name over 100 characters is judged against that file, not one named like its first 100', async (t) => {
  const root = tempDir(t);
  const long = `report-${'x'.repeat(100)}.docx`;
  const cut = long.slice(0, 100);
  await writeFile(join(root, cut), 'UNRELATED USER DATA');
  await utimes(join(root, cut), new Date('2020-01-01Z'), new Date('2020-01-01Z'));
  await crashDuringHold(root, long);
  assert.deepEqual(await nextStart(root), []);
  assert.deepEqual(await contents(root), { [cut]: 'UNRELATED USER DATA', [long]: 'INGESTED COPY' }, 'the spare hold is released, nothing else touched');
});

test('an edit made during the hold of a long-named file is put back under its whole name', async (t) => {
  const root = tempDir(t);
  const long = `minutes-${'y'.repeat(150)}.txt`;
  await crashDuringHold(root, long, true);
  assert.deepEqual(await nextStart(root), []);
  assert.deepEqual(await contents(root), { [long]: 'EDITED AFTER THE COPY' });
});

test('a name too long to be carried whole (255 bytes) is held, and its hold finds it by digest', async (t) => {
  const root = tempDir(t);
  const longest = `${'資料'.repeat(42)}x`; // 84 three-byte characters and one byte: 253 bytes with no room for a suffix
  assert.equal(Buffer.byteLength(longest), 253);
  const holdPath = await crashDuringHold(root, longest, true);
  assert.ok(Buffer.byteLength(holdPath.slice(root.length + 1)) <= 255);
  // Another file whose name begins the same: the digest tells them apart.
  const sibling = `${longest.slice(0, 80)}other`;
  await writeFile(join(root, sibling), 'SIBLING');
  assert.deepEqual(await nextStart(root), []);
  assert.deepEqual(await contents(root), { [sibling]: 'SIBLING', [longest]: 'EDITED AFTER THE COPY' });
});

test('a hold whose file cannot be named for certain is kept under a visible name, reported, and replaces nothing', async (t) => {
  const root = tempDir(t);
  // A shortened hold whose file was moved away while no agent ran.
  const longest = `${'z'.repeat(250)}.bin`;
  await crashDuringHold(root, longest, true);
  await rename(join(root, longest), join(root, 'moved.bin'));
  // A hold an older build left under the first 100 characters of a long name, beside a file with that name.
  const long = `notes-${'w'.repeat(120)}.md`;
  const cut = long.slice(0, 100);
  await writeFile(join(root, long), 'OLD BUILD ORIGINAL');
  await utimes(join(root, long), EDITED_AT, EDITED_AT);
  await link(join(root, long), join(root, `.${cut}.strata-orig-0123456789ab`));
  await writeFile(join(root, `${long}.tmp`), 'OLD BUILD COPY');
  await utimes(join(root, `${long}.tmp`), COPIED_AT, COPIED_AT);
  await rename(join(root, `${long}.tmp`), join(root, long));
  await writeFile(join(root, cut), 'UNRELATED USER DATA');
  await utimes(join(root, cut), new Date('2020-01-01Z'), new Date('2020-01-01Z'));

  const reported = await nextStart(root);
  const after = await contents(root);
  assert.equal(after[cut], 'UNRELATED USER DATA');
  assert.equal(after[long], 'OLD BUILD COPY');
  assert.equal(after['moved.bin'], 'INGESTED COPY');
  const kept = Object.keys(after).filter((name) => name.includes('.strata-recovered-'));
  assert.equal(kept.length, 2, `both holds kept visibly: ${Object.keys(after).join(', ')}`);
  assert.deepEqual(kept.map((name) => after[name]).sort(), ['EDITED AFTER THE COPY', 'OLD BUILD ORIGINAL']);
  assert.ok(kept.every((name) => !name.startsWith('.') && Buffer.byteLength(name) <= 255));
  assert.equal(Object.keys(after).length, 5, 'no hold is left under a Strata name');
  assert.equal(reported.length, 2);
  for (const name of kept) assert.ok(reported.some((message) => message.includes(name)), `reported: ${name}`);
});
