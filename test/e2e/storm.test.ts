// A storm of 10,000 small files dropped at once into a scanned folder of a real agent process: every
// file is taken in through the stack, and the event stream reports the progress as it goes.

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobProgress } from '../../main/api/index.js';
import { eventually, spawnAgent, tempDir } from './agent-process.js';

const FILES = Number(process.env.STORM_FILES ?? 10_000);

describe('file storm through the agent', () => {
  it(`${FILES} files dropped at once are all ingested, with progress on the event stream`, { timeout: 300_000 }, async (t) => {
    const root = tempDir(t);
    const folder = tempDir(t);
    const agent = await spawnAgent(t, join(root, 'data'));
    const added = await agent.api.addFolder({ path: folder, name: 'Storm', policy: { scan: { settings: {} } } });
    await eventually(async () => (await agent.api.getFolder({ folder: added.id })).runtime?.protections[0]?.state === 'active', 'the scan filter to attach');
    const started = Date.now();
    for (let d = 0; d < 20; d++) await mkdir(join(folder, `batch-${d}`));
    for (let i = 0; i < FILES; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, FILES - i) }, (_, k) => writeFile(join(folder, `batch-${(i + k) % 20}`, `note-${i + k}.txt`), `note ${i + k}`)));
    }
    const written = Date.now() - started;
    const final = await eventually(async () => {
      const { runtime } = await agent.api.getFolder({ folder: added.id });
      return runtime !== null && runtime.ingest.done >= FILES && runtime.ingest.pending === 0 ? runtime : undefined;
    }, `${FILES} files to be ingested`, 280_000);
    const elapsed = Date.now() - started;
    const failures = (await agent.api.queryEvents({ results: ['failed'] })).events.map((e) => `${e.path}: ${e.detail}`);
    assert.deepEqual(failures, []);
    assert.equal(final.ingest.failed, 0);
    assert.equal(final.ingest.done, FILES, 'each file once');
    const progress = agent.messages.flatMap((m) => (m.type === 'progress' && m.job.kind === 'ingest' ? [m.job] : [])) as JobProgress[];
    assert.ok(progress.length >= 5, `progress was reported along the way (${progress.length} reports)`);
    assert.ok(progress.some((p) => !p.finished && p.done > 0 && p.total !== null && p.done < p.total), 'reports in the middle of the storm');
    await eventually(() => agent.messages.some((m) => m.type === 'progress' && m.job.kind === 'ingest' && m.job.finished), 'the final progress report');
    t.diagnostic(`${FILES} files written in ${written} ms, all ingested ${elapsed} ms after the first was written (${Math.round(FILES / (elapsed / 1000))} files/s)`);
  });
});
