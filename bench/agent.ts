// bench/agent: what the agent's ingest and API cost. Ingest of small files (each copied through the
// filter stack to a temporary name, fsynced, renamed over the original) against the baseline of the same
// safe copy done with plain fs calls, with no filter, the scan filter, and the crypt filter; a storm taken
// in through the watcher against the same files ingested directly; and an API round trip against a bare
// loopback HTTP server. Prints JSON lines {metric, value, unit}; ratios are against baselines measured in
// this run. The I/O verifier is off, as in production.

import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, rename, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openAgentCore } from '../main/agent/agent-core.js';
import { startAgent } from '../main/agent/agent-service.js';
import { openFolderStack, type FolderStack } from '../main/agent/folder-stack.js';
import { stampOf } from '../main/agent/ingest/file-stamp.js';
import { FolderWatcher } from '../main/agent/ingest/folder-watcher.js';
import { ingestFile } from '../main/agent/ingest/ingest-file.js';
import { IngestLedger } from '../main/agent/ingest/ingest-ledger.js';
import { IngestQueue } from '../main/agent/ingest/ingest-queue.js';
import { registerWriteTracker } from '../main/agent/ingest/write-tracker.js';
import { HoldJudge } from '../main/agent/ingest/original-hold.js';
import { cryptProvider, createFolderVault } from '../main/agent/protections/crypt.js';
import { scanProvider } from '../main/agent/protections/scan.js';
import type { ActiveProtection, ProtectionContext } from '../main/agent/protections/provider.js';
import { createHttpClient } from '../main/api/index.js';
import { emit } from './report.js';

const FILES = Number(process.env.BENCH_FILES ?? 400);
const STORM = Number(process.env.BENCH_STORM ?? 3000);
const CONCURRENCY = 4;
const root = mkdtempSync(join(tmpdir(), 'strata-bench-agent-'));

async function makeFiles(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `file-${i}.txt`);
  for (let i = 0; i < count; i += 200) await Promise.all(names.slice(i, i + 200).map((name, k) => writeFile(join(dir, name), `small file ${i + k} `.repeat(40))));
  return names;
}

/** Runs `work` over `items` with CONCURRENCY workers; returns milliseconds per item. */
async function perItem<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<number> {
  const queue = [...items];
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
  return (performance.now() - started) / items.length;
}

/** The same safe replacement with plain fs: temp file, fsync, rename over the original. */
async function baselineCopy(dir: string, name: string): Promise<void> {
  const data = await (await import('node:fs/promises')).readFile(join(dir, name));
  const temp = join(dir, `.${name}.tmp`);
  const file = await open(temp, 'w');
  await file.write(data);
  await file.sync();
  await file.close();
  await rename(temp, join(dir, name));
}

interface IngestRig {
  dir: string;
  stack: FolderStack;
  ledger: IngestLedger;
  protections: ActiveProtection[];
  holds: HoldJudge;
  close(): Promise<void>;
}

async function ingestRig(label: string, protect?: (context: ProtectionContext) => Promise<ActiveProtection>): Promise<IngestRig> {
  const dir = join(root, label);
  mkdirSync(dir, { recursive: true });
  const core = openAgentCore(join(root, `data-${label}`));
  const folder = core.policy.addFolder({ path: dir, name: label, policy: {} });
  const ledger = new IngestLedger(core.store.db, folder.id);
  const stack = await openFolderStack(dir, {
    setup: (manager) => void registerWriteTracker(manager, {
      begin: (s, p) => ledger.beginWrite(s, p),
      end: (s, p) => void stat(join(dir, p)).then((st) => ledger.endWrite(s, stampOf(st), p), () => ledger.endWrite(s, null, p)),
    }),
  });
  const context: ProtectionContext = {
    folder, stack, dataDir: core.dataDir, store: core.store, record: () => undefined, progress: () => undefined,
    tier: () => undefined, signatureSet: () => undefined,
  };
  const protections = protect === undefined ? [] : [await protect(context)];
  const holds = new HoldJudge(50);
  return {
    dir, stack, ledger, protections, holds,
    async close() {
      await holds.flush();
      for (const p of protections) await p.detach();
      await stack.close();
      core.close();
    },
  };
}

async function timeIngest(rig: IngestRig, names: readonly string[]): Promise<number> {
  const signal = new AbortController().signal;
  const ms = await perItem(names, async (name) => {
    const outcome = await ingestFile({ root: rig.dir, stack: rig.stack, ledger: rig.ledger, protections: () => rig.protections }, name, signal);
    if (outcome.kind !== 'ingested') throw new Error(`bench: ${name} was not ingested: ${JSON.stringify(outcome)}`);
    rig.holds.later(outcome.hold, join(rig.dir, name), () => undefined);
  });
  return ms;
}

async function benchIngest(): Promise<void> {
  const baselineDir = join(root, 'baseline');
  const baselineNames = await makeFiles(baselineDir, FILES);
  const baseline = await perItem(baselineNames, (name) => baselineCopy(baselineDir, name));
  emit('agent.ingest.baseline_fs_copy', baseline, 'ms/file');

  const variants: Array<[string, ((c: ProtectionContext) => Promise<ActiveProtection>) | undefined]> = [
    ['stack', undefined],
    ['scan', (c) => scanProvider.attach(c, { enabled: true, altitude: scanProvider.defaultAltitude, settings: { signatureSet: 'builtin', scanOnOpen: true, action: 'quarantine' } })],
    ['crypt', async (c) => {
      await createFolderVault(c.store, c.folder, 'bench passphrase');
      return cryptProvider.attach(c, { enabled: true, altitude: cryptProvider.defaultAltitude, settings: { vault: 'bench', autoLockMinutes: 0 } });
    }],
  ];
  for (const [label, protect] of variants) {
    const rig = await ingestRig(label, protect);
    const names = await makeFiles(rig.dir, FILES);
    const ms = await timeIngest(rig, names);
    await rig.close();
    emit(`agent.ingest.${label}`, ms, 'ms/file');
    emit(`agent.ingest.${label}_vs_fs_copy`, ms / baseline, 'x');
  }
}

/** A storm through the watcher, settler and bounded queue, against ingesting the same files directly. */
async function benchStorm(): Promise<void> {
  const direct = await ingestRig('storm-direct');
  const directNames = await makeFiles(direct.dir, STORM);
  const directMs = await timeIngest(direct, directNames);
  await direct.close();

  const rig = await ingestRig('storm-watched');
  let ingested = 0;
  let watcher: FolderWatcher | undefined;
  const queue = new IngestQueue({
    capacity: 500,
    concurrency: CONCURRENCY,
    work: async (item, signal) => {
      const outcome = await ingestFile({ root: rig.dir, stack: rig.stack, ledger: rig.ledger, protections: () => [] }, item.relativePath, signal);
      if (outcome.kind === 'ingested') {
        ingested++;
        rig.holds.later(outcome.hold, join(rig.dir, item.relativePath), () => undefined);
      }
      return outcome.kind !== 'failed';
    },
    onRoom: () => watcher?.resume(),
  });
  watcher = new FolderWatcher({
    root: rig.dir, quietMs: 100, offer: (p) => queue.offer({ folderId: 'bench', relativePath: p }),
    isOwn: (p, s) => rig.ledger.isOwn(p, s), onRemoved: () => undefined, onError: (e) => { throw e; }, isIdle: () => queue.pendingFor('bench') === 0,
  });
  await watcher.start();
  const started = performance.now();
  await makeFiles(join(rig.dir, 'drop'), STORM);
  while (ingested < STORM) await new Promise((resolve) => setTimeout(resolve, 20));
  const watchedMs = (performance.now() - started) / STORM;
  await watcher.stop();
  await queue.stop();
  await rig.close();
  emit('agent.storm.files', STORM, 'files');
  emit('agent.storm.direct_ingest', directMs, 'ms/file');
  emit('agent.storm.through_watcher', watchedMs, 'ms/file');
  emit('agent.storm.through_watcher_vs_direct', watchedMs / directMs, 'x');
  emit('agent.storm.rate', 1000 / watchedMs, 'files/s');
}

/** An API call (listFolders, authenticated, validated both ways) against a bare loopback HTTP answer. */
async function benchApi(): Promise<void> {
  const agent = await startAgent({ dataDir: join(root, 'api-data'), version: 'bench', mediaRoots: [] });
  const bare = createServer((_req, res) => res.end('{"folders":[]}'));
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  const client = createHttpClient({ baseUrl: agent.url, token: agent.token });
  const rounds = 300;
  const calls = { bare: () => fetch(bareUrl, { method: 'POST', body: '{}' }).then((r) => r.json()), api: () => client.listFolders({}) };
  const spent = { bare: 0, api: 0 };
  // Interleaved, so that background load weighs on both alike.
  for (let i = 0; i < rounds + 20; i++) {
    for (const kind of ['bare', 'api'] as const) {
      const started = performance.now();
      await calls[kind]();
      if (i >= 20) spent[kind] += performance.now() - started;
    }
  }
  const bareMs = spent.bare / rounds;
  const apiMs = spent.api / rounds;
  bare.close();
  await agent.stop();
  emit('agent.api.bare_http_round_trip', bareMs, 'ms');
  emit('agent.api.list_folders', apiMs, 'ms');
  emit('agent.api.list_folders_vs_bare_http', apiMs / bareMs, 'x');
}

try {
  await benchIngest();
  await benchStorm();
  await benchApi();
} finally {
  rmSync(root, { recursive: true, force: true });
}
