// An HSM stub is never taken in by ingest as a user's new file. Ingest takes in whatever file the ledger
// does not know, and the ledger forgets every file when an ingesting protection is added to a folder
// (or after a crash between a stub's rename and the ledger's record of it). Taken in, a stub's raw
// bytes were copied over it through the stack: the rename dropped its catalog row and released its tier
// copy, the only copy of the file. Over a real agent in this process (real folders, SQLite, tier).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../e2e/agent-process.js';
import { createHttpClient, type StrataApi } from '../../main/api/index.js';
import { runningAgent } from './running-agent.js';

const STUB_MAGIC_LINE = 'strata-hsm-stub/1\n';
const DAY_MS = 86_400_000;

function tierObjects(cold: string): string[] {
  const objects = join(cold, 'objects');
  return readdirSync(objects).flatMap((shard) => readdirSync(join(objects, shard)));
}

test('adding scanning to an HSM folder leaves its stubs and their tier copies alone', async (t) => {
  const agent = await runningAgent(t);
  const api = createHttpClient({ baseUrl: agent.url, token: agent.token }) as StrataApi;
  const root = join(agent.dataDir, '..');
  const folder = join(root, 'Archive');
  const cold = join(root, 'cold');
  mkdirSync(folder);
  mkdirSync(cold);
  await api.setTier({ name: 'nas', path: cold });
  const content = Buffer.alloc(256 * 1024, 7);
  const file = join(folder, 'old.bin');
  writeFileSync(file, content);
  const old = new Date(Date.now() - 400 * DAY_MS);
  utimesSync(file, old, old);
  await api.addFolder({ path: folder, name: 'Archive', policy: { hsm: { settings: { tier: 'nas', minAgeDays: 30, minSizeBytes: 0 } } } });
  await api.runJobs({ folder: 'Archive', protection: 'hsm' });
  assert.ok(readFileSync(file, 'latin1').startsWith(STUB_MAGIC_LINE), 'the file was released to a stub');
  assert.equal(tierObjects(cold).length, 1);

  // A recent file (not cold) that scanning takes in: once it is in and nothing waits, the stub was looked at too.
  writeFileSync(join(folder, 'new.txt'), 'a recent file');
  const current = await api.getFolder({ folder: 'Archive' });
  await api.updateFolder({ folder: 'Archive', policy: { hsm: current.policy.hsm, scan: { settings: { action: 'report' } } } });
  await eventually(async () => {
    const runtime = (await api.getFolder({ folder: 'Archive' })).runtime;
    return runtime != null && runtime.ingest.done >= 1 && runtime.ingest.pending === 0;
  }, 'the new file taken in and nothing waiting', 20_000);
  await agent.runtime.whenIdle();

  assert.ok(readFileSync(file, 'latin1').startsWith(STUB_MAGIC_LINE), 'the stub is still a stub');
  assert.equal(tierObjects(cold).length, 1, 'the tier copy is still there');
  const listed = (await api.listFiles({ folder: 'Archive' })).entries.find((entry) => entry.name === 'old.bin');
  assert.deepEqual([listed?.size, listed?.offline], [content.length, true], 'listed at its real size, offline');
  const events = (await api.queryEvents({ folder: 'Archive' })).events;
  assert.deepEqual(events.filter((event) => event.action === 'ingested').map((event) => event.path), ['new.txt'], 'only the new file was taken in');
  const recall = await api.recallFile({ folder: 'Archive', path: 'old.bin' });
  assert.deepEqual([recall.recalled, recall.size], [true, content.length]);
  assert.ok(readFileSync(file).equals(content), 'the recalled file has its content');
  assert.equal(statSync(file).size, content.length);
});
