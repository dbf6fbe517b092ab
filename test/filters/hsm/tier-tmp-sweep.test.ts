// The partial copies a killed put leaves in a local tier's tmp/: swept at the tier's first connection.
// Real puts in child processes: the one killed leaves a leftover that is removed; the one still alive (a
// second process sharing the tier) keeps its temporary file; a put of this process is never touched.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalTier, initializeLocalTier } from '../../../filters/hsm/tier/local-tier.js';
import { tierTempName } from '../../../filters/hsm/tier/tier-tmp-sweep.js';
import { UNTAGGED_TEMP_AGE_MS } from '../../../main/store/temp-owner.js';
import { tempDir } from './temp-dir.js';

const CHILD = new URL('./tier-put-child.js', import.meta.url).pathname;

interface Putter {
  child: ChildProcess;
  exited: Promise<void>;
}

/** A put in another process, stalled after its first chunk: resolves once that chunk is in its temporary file. */
async function startPutter(root: string): Promise<Putter> {
  const child = spawn(process.execPath, [CHILD, 'cold', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const putting = await new Promise<boolean>((resolve) => {
    child.stdout!.once('data', () => resolve(true));
    child.on('exit', () => resolve(false));
  });
  assert.ok(putting, 'the put ended before its first chunk was written');
  return { child, exited };
}

async function kill(putter: Putter): Promise<void> {
  putter.child.kill('SIGKILL');
  await putter.exited;
}

const tmpOf = async (root: string): Promise<string[]> => (await readdir(join(root, 'tmp'))).sort();

describe('local tier: leftovers in tmp/', () => {
  it('a killed put\'s partial copy is removed at the first connection; a live put\'s is kept', async (t) => {
    const root = join(await tempDir(t, 'tier-sweep'), 'cold');
    await initializeLocalTier('cold', root);
    const live = await startPutter(root);
    t.after(() => kill(live));
    const before = await tmpOf(root);
    const crashed = await startPutter(root);
    await kill(crashed);
    const all = await tmpOf(root);
    assert.equal(all.length, 2, 'each put had its temporary file in tmp/');
    const leftover = all.find((name) => !before.includes(name))!;
    const held = before[0]!;

    const tier = new LocalTier('cold', root);
    await tier.connect();
    assert.deepEqual(await tmpOf(root), [held], 'the dead put\'s copy is gone, the live one\'s kept');
    assert.deepEqual(await tier.leftoversSwept, { removed: [leftover], kept: [held], failed: [] });

    await kill(live);
    const next = new LocalTier('cold', root);
    await next.connect();
    assert.deepEqual(await tmpOf(root), []);
    assert.deepEqual((await next.leftoversSwept)!.removed, [held]);
  });

  it('puts of this process are kept; an untagged temporary file (an older Strata) goes once nobody wrote it for a day', async (t) => {
    const root = join(await tempDir(t, 'tier-sweep'), 'cold');
    await initializeLocalTier('cold', root);
    const mine = tierTempName('put');
    const oldUntagged = 'put-0123456789abcdef.tmp';
    const freshUntagged = 'put-fedcba9876543210.tmp';
    for (const name of [mine, oldUntagged, freshUntagged]) await writeFile(join(root, 'tmp', name), 'partial');
    const longAgo = new Date(Date.now() - UNTAGGED_TEMP_AGE_MS - 60_000);
    await utimes(join(root, 'tmp', oldUntagged), longAgo, longAgo);

    const tier = new LocalTier('cold', root);
    await tier.connect();
    assert.deepEqual(await tmpOf(root), [freshUntagged, mine].sort());
    assert.deepEqual((await tier.leftoversSwept)!.removed, [oldUntagged]);
    // The tier still works, and its own puts leave nothing behind.
    await tier.put((async function* () { yield new TextEncoder().encode('cold'); })());
    assert.deepEqual(await tmpOf(root), [freshUntagged, mine].sort());
  });
});
