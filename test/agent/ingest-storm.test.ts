// A storm of 10,000 small files dropped at once is absorbed: the bounded queue never holds more than its
// capacity (the settler waits when it is full: back-pressure), progress is reported as it goes, and every
// file ends up ingested through the stack exactly once.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually, ingestRig } from './ingest-rig.js';

const FILES = Number(process.env.STORM_FILES ?? 10_000);
const CAPACITY = 500;

describe('ingest storm', () => {
  it(`${FILES} files dropped at once are all ingested through a queue of ${CAPACITY}, with progress`, { timeout: 240_000 }, async (t) => {
    const rig = await ingestRig(t, { capacity: CAPACITY, concurrency: 4, quietMs: 200 });
    for (let d = 0; d < 10; d++) await mkdir(join(rig.folder, `d${d}`));
    const started = Date.now();
    for (let i = 0; i < FILES; i += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, k) => writeFile(join(rig.folder, `d${(i + k) % 10}`, `f${i + k}.txt`), `file ${i + k}`)));
    }
    await eventually(() => rig.outcomes.filter((o) => o.outcome.kind === 'ingested').length >= FILES, `${FILES} ingests`, 200_000);
    const elapsed = Date.now() - started;
    const ingested = rig.outcomes.filter((o) => o.outcome.kind === 'ingested').map((o) => o.path);
    assert.equal(new Set(ingested).size, FILES, 'each file once');
    assert.equal(ingested.length, FILES, 'no file twice');
    assert.ok(rig.progress.every((p) => p.counters.waiting <= CAPACITY), 'the queue stayed within its bound');
    assert.ok(rig.roomCalls > 0, 'the queue filled up and asked the settler to hold back');
    const reported = rig.progress.map((p) => p.counters.done);
    assert.ok(reported.length > 100, 'progress was reported along the way');
    assert.ok(rig.progress.some((p) => p.counters.accepted > CAPACITY), 'progress totals grow as the storm is taken in');
    const leftovers = readdirSync(join(rig.folder, 'd0')).filter((name) => name.includes('.strata-ingest-'));
    assert.deepEqual(leftovers, []);
    t.diagnostic(`${FILES} files ingested in ${elapsed} ms`);
  });
});
