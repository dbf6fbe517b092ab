// kill -9 of the agent in the middle of its work, then a restart: an import is all or nothing, an
// ingest loses no file (and finishes after the restart), a migration loses no file (every file reads
// back through Strata with its content, and the HSM's fsck finds nothing wrong).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { EventRecord, PolicyDocument } from '../../main/api/index.js';
import { openFolderStack } from '../../main/agent/folder-stack.js';
import { FILE_OPEN, NT_SUCCESS, STATUS_END_OF_FILE } from '../../main/io/index.js';
import { openHsmFolder } from '../../filters/hsm/hsm-folder.js';
import { fsckFolder } from '../../filters/hsm/engine/fsck.js';
import { eventually, spawnAgent, strataJson, tempDir, type AgentProcess } from './agent-process.js';

/** Every event of the log (paging through it). */
async function allEvents(agent: AgentProcess, actions: EventRecord['action'][]): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await agent.api.queryEvents({ actions, limit: 1000, ...(before === undefined ? {} : { before }) });
    events.push(...page.events);
    if (page.nextBefore === null) return events;
    before = page.nextBefore;
  }
}

function bigDocument(root: string, generation: number, count: number): PolicyDocument {
  return {
    format: 'strata-policy',
    version: 1,
    exportedAt: new Date().toISOString(),
    folders: Array.from({ length: count }, (_, i) => ({ name: `G${generation}-F${i}`, path: `${root}/g${generation}/f${i}`, policy: {} })),
    tiers: [{ name: `tier-${generation}`, path: `${root}/tiers/${generation}` }],
    signatureSets: [],
    media: { scanOnMount: true, scan: { signatureSet: 'builtin', scanOnOpen: true, action: 'quarantine' } },
  };
}

describe('kill -9 and restart', () => {
  it('an import killed at any moment leaves the old policy or the new one, never part of it', { timeout: 180_000 }, async (t) => {
    const root = tempDir(t);
    const dataDir = join(root, 'data');
    const count = 1500;
    // How long a whole import takes here, so that the kills below land before, during and after it.
    const timing = await spawnAgent(t, dataDir, { stream: false });
    const started = Date.now();
    await timing.api.importPolicy({ document: bigDocument(root, 0, count), mode: 'replace' });
    const full = Date.now() - started;
    await timing.stop();
    let previous = new Set(bigDocument(root, 0, count).folders.map((f) => f.name));
    const outcomes = { applied: 0, notApplied: 0 };
    for (const [index, fraction] of [0.05, 0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.3, 1.6].entries()) {
      const generation = index + 1;
      const agent = await spawnAgent(t, dataDir, { stream: false });
      const doc = bigDocument(root, generation, count);
      const request = agent.api.importPolicy({ document: doc, mode: 'replace' }).catch(() => null);
      await sleep(Math.round(full * fraction));
      await agent.kill9();
      await request;
      const names = new Set(strataJson<{ folders: Array<{ name: string }> }>(['folder', 'list'], dataDir).folders.map((f) => f.name));
      strataJson(['policy', 'export', join(root, `p${generation}.json`)], dataDir);
      const { tiers } = JSON.parse(readFileSync(join(root, `p${generation}.json`), 'utf8')) as PolicyDocument;
      const expected = new Set(doc.folders.map((f) => f.name));
      const applied = names.size === expected.size && [...expected].every((n) => names.has(n));
      const untouched = names.size === previous.size && [...previous].every((n) => names.has(n));
      assert.ok(applied || untouched, `generation ${generation} (killed at ${fraction} of ${full} ms): ${names.size} folders, neither the old ${previous.size} nor the new ${expected.size}`);
      assert.equal(tiers.length, 1);
      assert.equal(tiers[0]!.name === `tier-${generation}`, applied, 'the tier changed exactly when the folders did');
      outcomes[applied ? 'applied' : 'notApplied']++;
      previous = names;
    }
    t.diagnostic(`a full import of ${count} folders took ${full} ms; imports killed: ${outcomes.applied} had committed, ${outcomes.notApplied} had not`);
    const agent = await spawnAgent(t, dataDir, { stream: false });
    assert.equal((await agent.api.listFolders({})).folders.length, previous.size, 'the restarted agent sees the surviving policy');
  });

  // 1,500 concurrent writeFile calls open every file before writing any: a file can sit empty, still open,
  // long enough to settle. Ingest then replaces it, and the writer's data lands in ingest's hold on the
  // original, from where it is put back (this was the "f0.txt read back empty" failure).
  it('an ingest killed mid-way loses no file, and the restarted agent finishes it', { timeout: 180_000 }, async (t) => {
    const root = tempDir(t);
    const dataDir = join(root, 'data');
    const folder = tempDir(t);
    let agent = await spawnAgent(t, dataDir, { stream: false });
    await agent.api.addFolder({ path: folder, name: 'Drop', policy: { scan: { settings: {} } } });
    const files = 1500;
    const content = (i: number) => `file ${i} ${'x'.repeat(i % 300)}`;
    await mkdir(join(folder, 'a'));
    await Promise.all(Array.from({ length: files }, (_, i) => writeFile(join(folder, i % 2 === 0 ? 'a' : '', `f${i}.txt`), content(i))));
    await eventually(async () => (await agent.api.queryEvents({ actions: ['ingested'], limit: 200 })).events.length >= 150, 'ingest to be under way', 60_000);
    await agent.kill9();
    const pathOf = (i: number) => join(folder, i % 2 === 0 ? 'a' : '', `f${i}.txt`);
    const check = async () => {
      for (let i = 0; i < files; i++) assert.equal(await readFile(pathOf(i), 'utf8'), content(i), `f${i}.txt`);
    };
    // Right after the kill every file's content is on disk: in place, or in ingest's hold beside it.
    for (let i = 0; i < files; i++) {
      const dir = join(pathOf(i), '..');
      const holds = readdirSync(dir).filter((name) => name.startsWith(`.f${i}.txt.strata-orig-`)).map((name) => join(dir, name));
      const found = await Promise.all([pathOf(i), ...holds].map((path) => readFile(path, 'utf8').catch(() => null)));
      assert.ok(found.includes(content(i)), `f${i}.txt: its content is nowhere (${JSON.stringify(found)})`);
    }
    agent = await spawnAgent(t, dataDir, { stream: false });
    await eventually(async () => new Set((await allEvents(agent, ['ingested'])).filter((e) => e.result === 'ok').map((e) => e.path)).size >= files, 'every file to be ingested', 150_000);
    await check();
    const leftovers = () => [...readdirSync(folder), ...readdirSync(join(folder, 'a'))].filter((name) => name.includes('.strata-'));
    await eventually(() => leftovers().length === 0, `no copy or hold to be left (${leftovers().slice(0, 3).join(', ')}…)`, 15_000);
  });

  it('a migration killed mid-way loses no file: each reads back through Strata, fsck is clean', { timeout: 180_000 }, async (t) => {
    const root = tempDir(t);
    const dataDir = join(root, 'data');
    const folder = tempDir(t);
    const tier = join(root, 'cold');
    const hashes = new Map<string, string>();
    const old = new Date(Date.now() - 100 * 86_400_000);
    for (let i = 0; i < 40; i++) {
      const data = randomBytes(200 * 1024 + i);
      const name = `old-${i}.bin`;
      await writeFile(join(folder, name), data);
      await utimes(join(folder, name), old, old);
      hashes.set(name, createHash('sha256').update(data).digest('hex'));
    }
    let agent = await spawnAgent(t, dataDir, { stream: false });
    await agent.api.setTier({ name: 'cold', path: tier });
    await agent.api.addFolder({ path: folder, name: 'Archive', policy: { hsm: { settings: { tier: 'cold', minAgeDays: 30, minSizeBytes: 1024, everyMinutes: 10080 } } } });
    await eventually(async () => (await agent.api.getFolder({ folder: 'Archive' })).runtime?.protections[0]?.state === 'active', 'the HSM to attach');
    void agent.api.runJobs({ folder: 'Archive', protection: 'hsm' }).catch(() => null);
    await eventually(async () => (await agent.api.queryEvents({ actions: ['migrated'] })).events.length >= 3, 'a few files to be migrated', 60_000);
    await agent.kill9();

    agent = await spawnAgent(t, dataDir, { stream: false });
    await eventually(async () => (await agent.api.getFolder({ folder: 'Archive' })).runtime?.state === 'running', 'the folder to be mounted again');
    assert.equal(await agent.stop(), 0);

    const session = await openHsmFolder({ dataDir, folder, openStack: (path, options) => openFolderStack(path, options) });
    try {
      const report = await fsckFolder(session.volume);
      assert.deepEqual(report.findings.map((f) => `${f.kind} ${f.subject}`), [], 'fsck finds nothing wrong');
      assert.ok(report.stubs >= 3, `the migrated files are stubs (${report.stubs})`);
      for (const [name, hash] of hashes) {
        const opened = await session.stack.api.createFile(session.stack.pathOf(name), { disposition: FILE_OPEN });
        assert.ok(NT_SUCCESS(opened.status), name);
        const chunks: Uint8Array[] = [];
        for (let offset = 0; ; ) {
          const read = await session.stack.api.read(opened.handle!, 1 << 20, offset);
          if (read.status === STATUS_END_OF_FILE || read.information === 0) break;
          assert.ok(NT_SUCCESS(read.status), `${name}: read status ${read.status}`);
          chunks.push(read.data.slice());
          offset += read.information;
        }
        await session.stack.api.close(opened.handle!);
        assert.equal(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'), hash, `${name} reads back intact`);
      }
    } finally {
      await session.close();
    }
  });
});
