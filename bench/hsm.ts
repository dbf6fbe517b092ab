// bench/hsm: what the HSM costs. Prints JSON lines {metric, value, unit}, each against a baseline measured
// in the same run (verifier off, as in production; rounds interleaved, medians kept):
//   list_10k_ratio  listing 10,000 stubs through the stack / listing 10,000 plain files through the stack
//   recall_mb_s     a 256 MiB stub recalled in place: opened through the stack's upper edge as a user's
//                   program opens it, timed from its first read (which waits for the recall) to the read's
//                   end — the kernel copy below the HSM and the hash of the tier object, then fsync
//   recall_offloaded  the share of those recalls the volume did by kernel copy (1: all; else some streamed)
//   copy_mb_s       a plain copy of the same 256 MiB (fs.copyFile, then fsync; on Linux an in-kernel copy)
//   recall_vs_copy  recall_mb_s / copy_mb_s
//   userspace_copy_mb_s: a user-space copy (8 MiB read/write loop, then fsync)
//   recall_streamed_mb_s, recall_streamed_vs_userspace_copy: the recall with kernel copies turned off
//                   (every byte read from the tier, hashed and written through the stack: a network tier's way)
//   cores_available  two SHA-256 threads against one, before and after the recalls (2: both ran at full
//                   speed; 1: they shared one core):
//                   the kernel copy and the hash of a recall need two, the plain copy one — read the recall
//                   figures with it, on a machine shared with other work
// Every timed copy or recall starts with no dirty pages left by the steps before it (settleDisk).
// The 10,000 stubs are written directly (valid, authenticated stubs and their catalog rows, as a
// migration leaves them) rather than migrated one by one, which would only time the setup.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, open, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { FILE_DIRECTORY_FILE, FILE_OPEN, NT_SUCCESS } from '../main/io/index.js';
import { openStore } from '../main/store/index.js';
import { openFolderStack } from '../main/agent/folder-stack.js';
import { openHsmFolder, type HsmFolderSession as HsmSession } from '../filters/hsm/hsm-folder.js';
import { setFolderPolicy } from '../filters/hsm/catalog/folder-policy.js';
import { StubCatalog } from '../filters/hsm/catalog/stub-catalog.js';
import { migrateFolder } from '../filters/hsm/engine/migrate-folder.js';
import { encodeStub } from '../filters/hsm/stub/stub-format.js';
import { loadOrCreateStubKey } from '../filters/hsm/stub/stub-key.js';
import { addTier } from '../filters/hsm/tier/tier-config.js';
import { LocalTier } from '../filters/hsm/tier/local-tier.js';
import { emit, median } from './report.js';

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const RECALL_MIB = Number(process.env.BENCH_RECALL_MIB ?? 256);
const LIST_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const RECALL_ROUNDS = Number(process.env.BENCH_RECALL_ROUNDS ?? 5);
const FILE_SIZE = 2000;
const OLD = new Date('2020-01-01T00:00:00Z');

async function session(dataDir: string, folder: string): Promise<HsmSession> {
  return openHsmFolder({ dataDir, folder, verifier: false, openStack: openFolderStack });
}

/** Milliseconds to list `folder`'s root through the stack (all entries, one query). */
async function timeListing(s: HsmSession): Promise<number> {
  const start = performance.now();
  const opened = await s.stack.api.createFile(s.stack.pathOf(''), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
  const listing = await s.stack.api.queryDirectory(opened.handle!);
  await s.stack.api.close(opened.handle!);
  const elapsed = performance.now() - start;
  if (!NT_SUCCESS(listing.status) || listing.info!.length !== FILES) throw new Error(`bench: listing returned ${listing.info?.length} entries (${listing.status})`);
  return elapsed;
}

/** 10,000 files of FILE_SIZE bytes in `plain`, and as many stubs of the same content in `stubs`. */
async function seedListingFolders(root: string, dataDir: string): Promise<{ plain: string; stubs: string }> {
  const plain = join(root, 'plain');
  const stubs = join(root, 'stubs');
  await mkdir(plain);
  await mkdir(stubs);
  const content = randomBytes(FILE_SIZE);
  const store = openStore(dataDir);
  try {
    setFolderPolicy(store.db, plain, { tier: 'cold' });
    const folder = setFolderPolicy(store.db, stubs, { tier: 'cold' });
    const tier = new LocalTier('cold', join(root, 'cold'));
    const stored = await tier.put((async function* () { yield content; })());
    const key = await loadOrCreateStubKey(dataDir);
    const fields = { size: FILE_SIZE, mtime: OLD.getTime(), atime: OLD.getTime(), sha256: stored.sha256, tier: 'cold', object: stored.objectId };
    const stub = encodeStub(fields, key);
    const catalog = new StubCatalog(store.db, folder.id);
    for (let i = 0; i < FILES; i++) {
      const name = `file-${String(i).padStart(5, '0')}.dat`;
      await writeFile(join(plain, name), content);
      await writeFile(join(stubs, name), stub);
      await utimes(join(stubs, name), OLD, OLD);
    }
    store.db.transaction(() => {
      for (let i = 0; i < FILES; i++) catalog.put({ path: `\\file-${String(i).padStart(5, '0')}.dat`, ...fields, stubSize: stub.length });
    })();
  } finally {
    store.close();
  }
  return { plain, stubs };
}

async function benchListing(root: string, dataDir: string): Promise<void> {
  const { plain, stubs } = await seedListingFolders(root, dataDir);
  const plainSession = await session(dataDir, plain);
  const stubSession = await session(dataDir, stubs);
  try {
    // Warm up both (page cache, JIT), then interleave the rounds.
    await timeListing(plainSession);
    await timeListing(stubSession);
    const plainTimes: number[] = [];
    const stubTimes: number[] = [];
    for (let round = 0; round < LIST_ROUNDS; round++) {
      plainTimes.push(await timeListing(plainSession));
      stubTimes.push(await timeListing(stubSession));
    }
    const [p, s] = [median(plainTimes), median(stubTimes)];
    emit('list_10k_plain_ms', p, 'ms');
    emit('list_10k_stubs_ms', s, 'ms');
    emit('list_10k_ratio', s / p, 'ratio');
  } finally {
    await plainSession.close();
    await stubSession.close();
  }
}

async function benchRecall(root: string, dataDir: string): Promise<void> {
  const folder = join(root, 'big');
  await mkdir(folder);
  const source = join(root, 'source.bin');
  const size = RECALL_MIB << 20;
  const file = await open(source, 'w');
  for (let offset = 0; offset < size; offset += 16 << 20) await file.write(randomBytes(Math.min(16 << 20, size - offset)), 0, undefined, offset);
  await file.sync();
  await file.close();
  const store = openStore(dataDir);
  setFolderPolicy(store.db, folder, { tier: 'cold', minAgeSeconds: 0, minSize: 0 });
  store.close();
  const recallTimes: number[] = [];
  const streamedTimes: number[] = [];
  const copyTimes: number[] = [];
  const userspaceTimes: number[] = [];
  let offloaded = 0;
  // Nothing is deleted until the end: a copy into memory just freed by a deletion is faster than one
  // into fresh memory (markedly so in a VM), and no measurement should get that advantage.
  for (let round = 0; round < RECALL_ROUNDS; round++) {
    settleDisk();
    copyTimes.push(await timeCopyFile(source, join(root, `copy-${round}.bin`)));
    settleDisk();
    userspaceTimes.push(await timeUserspaceCopy(source, join(root, `userspace-${round}.bin`), size));
    const recall = await timeRecall(dataDir, folder, source, `big-${round}.bin`, true);
    recallTimes.push(recall.ms);
    if (recall.copy === 'offloaded') offloaded++;
    streamedTimes.push((await timeRecall(dataDir, folder, source, `streamed-${round}.bin`, false)).ms);
  }
  const recallMbS = RECALL_MIB / (median(recallTimes) / 1000);
  const copyMbS = RECALL_MIB / (median(copyTimes) / 1000);
  emit('recall_mb_s', recallMbS, 'MiB/s');
  emit('recall_offloaded', offloaded / RECALL_ROUNDS, 'ratio');
  emit('copy_mb_s', copyMbS, 'MiB/s');
  emit('recall_vs_copy', recallMbS / copyMbS, 'ratio');
  const userspaceMbS = RECALL_MIB / (median(userspaceTimes) / 1000);
  emit('userspace_copy_mb_s', userspaceMbS, 'MiB/s');
  emit('recall_vs_userspace_copy', recallMbS / userspaceMbS, 'ratio');
  const streamedMbS = RECALL_MIB / (median(streamedTimes) / 1000);
  emit('recall_streamed_mb_s', streamedMbS, 'MiB/s');
  emit('recall_streamed_vs_userspace_copy', streamedMbS / userspaceMbS, 'ratio');
}

/** Milliseconds from the first read of a released `name` (the recall) to its completion, and how it copied. */
async function timeRecall(dataDir: string, folder: string, source: string, name: string, hostCopies: boolean): Promise<{ ms: number; copy: string }> {
  await copyFile(source, join(folder, name));
  let copy = 'none';
  const s = await openHsmFolder({
    dataDir, folder, verifier: false, openStack: openFolderStack, hostCopies,
    events: (event) => {
      if (event.kind === 'recall-done') copy = event.copy;
    },
  });
  try {
    const summary = await migrateFolder(s.volume);
    if (summary.released !== 1) throw new Error(`bench: the big file was not released: ${JSON.stringify(summary.files)}`);
    const opened = await s.stack.api.createFile(s.stack.pathOf(name), { disposition: FILE_OPEN });
    settleDisk();
    const start = performance.now();
    const read = await s.stack.api.read(opened.handle!, 1, 0);
    const elapsed = performance.now() - start;
    if (!NT_SUCCESS(read.status)) throw new Error(`bench: the recall failed (${read.status})`);
    await s.stack.api.close(opened.handle!);
    // Kept local from now on, so the next round's migration takes only its own file.
    s.volume.pins.pin(`\\${name}`);
    return { ms: elapsed, copy };
  } finally {
    await s.close();
  }
}

/**
 * Writes back every dirty page (sync(1)) before a timed section, so that none of them pays for the
 * writeback of what an earlier step (a setup copy, a migration) left in memory.
 */
function settleDisk(): void {
  execFileSync('sync');
}

/** Milliseconds to copy `source` to `target` with fs.copyFile, then fsync. */
async function timeCopyFile(source: string, target: string): Promise<number> {
  const start = performance.now();
  await copyFile(source, target);
  const copied = await open(target, 'r+');
  await copied.sync();
  await copied.close();
  return performance.now() - start;
}

/** Milliseconds to copy `source` to `target` with an 8 MiB read/write loop, then fsync. */
async function timeUserspaceCopy(source: string, target: string, size: number): Promise<number> {
  const start = performance.now();
  const from = await open(source, 'r');
  const to = await open(target, 'w');
  const buffer = new Uint8Array(8 << 20);
  for (let offset = 0; offset < size; ) {
    const { bytesRead } = await from.read(buffer, 0, buffer.length, offset);
    await to.write(buffer, 0, bytesRead, offset);
    offset += bytesRead;
  }
  await to.sync();
  await Promise.all([from.close(), to.close()]);
  return performance.now() - start;
}

/** How many cores two CPU-bound threads got (median of 3 trials): 2 × the time of one / the time of two at once. */
async function coresAvailable(): Promise<number> {
  const code = `const { createHash } = require('node:crypto'); const { parentPort } = require('node:worker_threads');
    const data = Buffer.alloc(64 << 20, 1);
    parentPort.on('message', () => { const start = performance.now(); createHash('sha256').update(data).digest(); parentPort.postMessage(performance.now() - start); });`;
  const workers = [new Worker(code, { eval: true }), new Worker(code, { eval: true })];
  const run = (worker: Worker): Promise<number> => new Promise((resolve) => { worker.once('message', resolve); worker.postMessage(0); });
  try {
    const trials: number[] = [];
    for (let trial = 0; trial < 3; trial++) {
      const one = await run(workers[0]!);
      const both = Math.max(...(await Promise.all(workers.map(run))));
      trials.push(Math.min(2, (2 * one) / both));
    }
    return median(trials);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

const root = await mkdtemp(join(tmpdir(), 'strata-bench-hsm-'));
try {
  const dataDir = join(root, 'data');
  const store = openStore(dataDir);
  await addTier(store.db, 'cold', join(root, 'cold'));
  store.close();
  await benchListing(root, dataDir);
  const cores = await coresAvailable();
  await benchRecall(root, dataDir);
  emit('cores_available', (cores + (await coresAvailable())) / 2, 'cores');
} finally {
  await rm(root, { recursive: true, force: true });
}

