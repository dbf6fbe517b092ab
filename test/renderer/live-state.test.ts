// Keeping views live from the stream: events matching a filter (as the agent's SQL matches them),
// merged once each, newest first; folders replaced, added and removed; job rates and time left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FolderPolicy, type EventRecord, type Folder, type JobProgress } from '../../main/api/index.js';
import { eventMatches, mergeNewer, queryOf } from '../../renderer/src/state/event-filter.js';
import { applyFolderMessage } from '../../renderer/src/state/folder-list.js';
import { JobTracker } from '../../renderer/src/state/job-tracker.js';

function event(id: number, change: Partial<EventRecord> = {}): EventRecord {
  return { id, time: new Date(id * 1000).toISOString(), folderId: 'f1', folderName: 'Docs', path: 'Reports/Q3.pdf', action: 'scanned', result: 'ok', detail: 'clean', ...change };
}

test('a live event matches a filter by folder id or name, action, result and a case-insensitive search of path and detail', () => {
  assert.equal(eventMatches({}, event(1)), true);
  assert.equal(eventMatches({ folder: 'f1' }, event(1)), true);
  assert.equal(eventMatches({ folder: 'docs' }, event(1)), true, 'a removed folder is found by its name');
  assert.equal(eventMatches({ folder: 'f2' }, event(1)), false);
  assert.equal(eventMatches({ actions: ['quarantined'] }, event(1)), false);
  assert.equal(eventMatches({ results: ['ok', 'failed'] }, event(1)), true);
  assert.equal(eventMatches({ search: 'q3' }, event(1)), true);
  assert.equal(eventMatches({ search: 'CLEAN' }, event(1)), true);
  assert.equal(eventMatches({ search: 'invoice' }, event(1)), false);
  assert.equal(eventMatches({ search: 'x' }, event(1, { path: null, detail: null })), false);
});

test('the query of a filter leaves out what is not set and trims the search', () => {
  assert.deepEqual(queryOf({ search: '  ', actions: [] }), { limit: 100 });
  assert.deepEqual(queryOf({ folder: 'f1', search: ' q3 ' }, { before: 40, limit: 20 }), { folder: 'f1', search: 'q3', limit: 20, before: 40 });
});

test('live events join the list once each, newest first', () => {
  const merged = mergeNewer([event(5), event(3)], [event(6), event(5), event(4)]);
  assert.deepEqual(merged.map((e) => e.id), [6, 5, 4, 3]);
});

function folder(id: string, name: string): Folder {
  return { id, name, path: `/data/${name}`, policy: FolderPolicy.parse({}), createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), runtime: null };
}

test('folder messages replace, add in name order, and remove', () => {
  const list = [folder('a', 'Alpha'), folder('c', 'Gamma')];
  const renamed = applyFolderMessage(list, { type: 'folder', folder: folder('c', 'Beta') });
  assert.deepEqual(renamed.map((f) => f.name), ['Alpha', 'Beta']);
  const added = applyFolderMessage(renamed, { type: 'folder', folder: folder('d', 'aardvark') });
  assert.deepEqual(added.map((f) => f.name), ['aardvark', 'Alpha', 'Beta']);
  assert.deepEqual(applyFolderMessage(added, { type: 'folder-removed', id: 'a' }).map((f) => f.id), ['d', 'c']);
  assert.equal(applyFolderMessage(added, { type: 'hello', agentVersion: '1', time: new Date().toISOString(), lastEventId: 0 }), added);
});

function job(done: number, change: Partial<JobProgress> = {}): JobProgress {
  return { id: 'j1', kind: 'ingest', folderId: 'f1', label: 'Taking in files', done, total: 1000, failed: 0, finished: false, ...change };
}

test('a job rate comes from recent progress and gives the time left; unknown totals give no estimate', () => {
  const tracker = new JobTracker();
  tracker.apply(job(0), 0);
  assert.equal(tracker.list(0)[0]!.rate, null, 'one sample is no rate');
  tracker.apply(job(100), 2000);
  const [tracked] = tracker.list(2000);
  assert.equal(tracked!.rate, 50);
  assert.equal(tracked!.secondsLeft, 18);
  tracker.apply(job(150, { total: null }), 3000);
  assert.equal(tracker.list(3000)[0]!.secondsLeft, null);
});

test('rates follow the last ten seconds, failed items count as processed, finished jobs go after running ones and expire', () => {
  const tracker = new JobTracker();
  tracker.apply(job(0), 0);
  tracker.apply(job(1000 - 1), 1000); // a fast start
  tracker.apply(job(999, { failed: 1 }), 20_000); // then slow
  tracker.apply(job(999, { failed: 1 }), 30_000);
  const [slow] = tracker.list(30_000);
  assert.ok(slow!.rate !== null && slow!.rate < 1, `the old burst is forgotten (rate ${slow!.rate})`);
  tracker.apply({ ...job(5), id: 'j2' }, 30_000);
  tracker.apply(job(1000, { finished: true }), 31_000);
  assert.deepEqual(tracker.list(31_000).map((t) => t.job.id), ['j2', 'j1']);
  assert.equal(tracker.list(31_000)[1]!.secondsLeft, 0);
  assert.deepEqual(tracker.list(31_000 + 6 * 60_000).map((t) => t.job.id), ['j2']);
});
