// The event log over real SQLite: filters, paging backwards and following forwards, search, pruning,
// and listeners that only hear of committed events.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inProcess } from './agent-fixtures.js';

describe('event log', () => {
  it('queries by folder, action, result, time and text, newest first, paged with nextBefore', async (t) => {
    const { core, api } = inProcess(t);
    const base = Date.parse('2025-01-01T00:00:00Z');
    for (let i = 0; i < 25; i++) {
      core.log.record({ folderId: i % 2 === 0 ? 'f-even' : 'f-odd', folderName: i % 2 === 0 ? 'Even' : 'Odd', path: `dir/file-${i}.txt`, action: i % 5 === 0 ? 'threat-found' : 'ingested', result: i % 5 === 0 ? 'infected' : 'ok', detail: `n=${i}`, time: new Date(base + i * 60_000) });
    }
    const first = await api.queryEvents({ limit: 10 });
    assert.deepEqual(first.events.map((e) => e.detail), Array.from({ length: 10 }, (_, i) => `n=${24 - i}`));
    const second = await api.queryEvents({ limit: 10, before: first.nextBefore! });
    assert.equal(second.events[0]!.detail, 'n=14');
    const third = await api.queryEvents({ limit: 10, before: second.nextBefore! });
    assert.equal(third.events.length, 5);
    assert.equal(third.nextBefore, null, 'the last page says so');

    assert.equal((await api.queryEvents({ folder: 'ODD', limit: 100 })).events.length, 12, 'a removed folder is still found by name');
    assert.deepEqual((await api.queryEvents({ actions: ['threat-found'] })).events.map((e) => e.detail), ['n=20', 'n=15', 'n=10', 'n=5', 'n=0']);
    assert.equal((await api.queryEvents({ results: ['ok'], folder: 'f-even' })).events.length, 10);
    const window = await api.queryEvents({ since: new Date(base + 10 * 60_000).toISOString(), until: new Date(base + 12 * 60_000).toISOString() });
    assert.deepEqual(window.events.map((e) => e.detail), ['n=11', 'n=10']);
    assert.deepEqual((await api.queryEvents({ search: 'FILE-7.' })).events.map((e) => e.path), ['dir/file-7.txt']);
    assert.deepEqual((await api.queryEvents({ search: '%' })).events, [], 'LIKE wildcards in the search are literal');
    const after = await api.queryEvents({ after: first.events[2]!.id });
    assert.deepEqual(after.events.map((e) => e.detail), ['n=23', 'n=24'], 'following: oldest first');
  });

  it('prunes events older than a time and keeps the rest', async (t) => {
    const { core, api } = inProcess(t);
    core.log.record({ action: 'agent-started', result: 'ok', time: new Date('2024-01-01T00:00:00Z') });
    core.log.record({ action: 'agent-stopped', result: 'ok', time: new Date('2025-01-01T00:00:00Z') });
    assert.deepEqual(await api.pruneEvents({ olderThan: '2024-06-01T00:00:00Z' }), { deleted: 1 });
    assert.deepEqual((await api.queryEvents({})).events.map((e) => e.action), ['agent-stopped']);
    await assert.rejects(api.pruneEvents({ olderThan: 'last year' }), /olderThan/);
  });

  it('listeners hear of an event only after its change committed, never of a rolled-back one', async (t) => {
    const { core, api } = inProcess(t);
    const heard: string[] = [];
    core.log.subscribe((event) => heard.push(event.action));
    await assert.rejects(api.removeTier({ name: 'none' }));
    await api.setTier({ name: 'cold', path: '/mnt/cold' });
    assert.deepEqual(heard, ['tier-changed']);
    assert.deepEqual((await api.queryEvents({})).events.map((e) => e.action), ['tier-changed']);
  });
});
