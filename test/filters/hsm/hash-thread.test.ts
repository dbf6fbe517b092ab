// The hashing thread (filters/hsm/tier/hash-thread.ts): the tier hashes objects there once it is ready
// and inline before, with the same result and progress; one job at a time (a second is left to its
// caller); a throw from the progress callback stops the job and fails the hash with it, the descriptor
// staying in use until the thread has let go of it; read errors keep the host's code; a tier moved away
// during a hash on the thread fails it as unplugged; an idle thread never keeps a process alive.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { STATUS_DEVICE_NOT_READY, statusName } from '../../../main/io/index.js';
import { HashReadError, hashOnThread, hashThreadReady } from '../../../filters/hsm/tier/hash-thread.js';
import { LocalTier, initializeLocalTier } from '../../../filters/hsm/tier/local-tier.js';
import { TierError } from '../../../filters/hsm/tier/tier.js';
import { tempDir } from './temp-dir.js';

/** 5 MiB: three 2 MiB chunks, the last one short. */
const CONTENT = Buffer.alloc(5 << 20);
for (let i = 0; i < CONTENT.length; i += 4) CONTENT.writeUInt32LE(i * 2654435761 >>> 0, i);
const DIGEST = createHash('sha256').update(CONTENT).digest('hex');

async function tierWithObject(t: Parameters<typeof tempDir>[0]): Promise<{ tier: LocalTier; objectId: string; file: string }> {
  const root = join(await tempDir(t, 'hash-thread'), 'cold');
  await initializeLocalTier('cold', root);
  const tier = new LocalTier('cold', root);
  const { objectId } = await tier.put((async function* () { yield CONTENT; })());
  return { tier, objectId, file: tier.hostFileOf(objectId).file };
}

describe('the hashing thread', () => {
  it('hashes as the inline hash does, with the same progress', async (t) => {
    const { tier, objectId, file } = await tierWithObject(t);
    assert.ok(await hashThreadReady(), 'worker threads are available here');
    const progress: number[] = [];
    assert.equal(await tier.sha256(objectId, (done) => progress.push(done)), DIGEST);
    assert.deepEqual(progress, [2 << 20, 4 << 20, 5 << 20]);
    const handle = await open(file, 'r');
    try {
      assert.equal(await hashOnThread(handle.fd), DIGEST, 'done on the thread, not inline');
    } finally {
      await handle.close();
    }
  });

  it('takes one job at a time: a second is left to its caller (null), who hashes inline', async (t) => {
    const { tier, objectId, file } = await tierWithObject(t);
    assert.ok(await hashThreadReady());
    const handle = await open(file, 'r');
    try {
      const first = hashOnThread(handle.fd);
      assert.equal(await hashOnThread(handle.fd), null);
      assert.equal(await tier.sha256(objectId), DIGEST, 'the tier hashes inline meanwhile');
      assert.equal(await first, DIGEST);
    } finally {
      await handle.close();
    }
  });

  it('a throw from the progress callback stops the job and fails the hash with it; the thread goes on', async (t) => {
    const { file } = await tierWithObject(t);
    assert.ok(await hashThreadReady());
    const handle = await open(file, 'r');
    try {
      const seen: number[] = [];
      const stop = new Error('cancelled by the caller');
      await assert.rejects(hashOnThread(handle.fd, (done) => {
        seen.push(done);
        throw stop;
      }), (error) => error === stop);
      assert.deepEqual(seen, [2 << 20], 'no progress after the throw');
      assert.equal(await hashOnThread(handle.fd), DIGEST, 'the next job runs');
    } finally {
      await handle.close();
    }
  });

  it('a failed read is a HashReadError with the host\'s code', async (t) => {
    const dir = await tempDir(t, 'hash-thread');
    assert.ok(await hashThreadReady());
    const handle = await open(dir, 'r');
    try {
      await assert.rejects(hashOnThread(handle.fd), (error) => error instanceof HashReadError && (error.cause as NodeJS.ErrnoException).code === 'EISDIR');
    } finally {
      await handle.close();
    }
  });

  it('a tier moved away during a hash on the thread fails it as unplugged (STATUS_DEVICE_NOT_READY)', async (t) => {
    const { tier, objectId } = await tierWithObject(t);
    assert.ok(await hashThreadReady());
    let moved = false;
    await assert.rejects(tier.sha256(objectId, () => {
      if (moved) return;
      moved = true;
      renameSync(tier.location, `${tier.location}-gone`);
    }), (error) => error instanceof TierError && statusName(error.status) === statusName(STATUS_DEVICE_NOT_READY));
    renameSync(`${tier.location}-gone`, tier.location);
    assert.equal(await tier.sha256(objectId), DIGEST);
  });

  it('an idle thread, started or ready, does not keep the process alive', () => {
    const module = new URL('../../../filters/hsm/tier/hash-thread.js', import.meta.url).href;
    const start = performance.now();
    const printed = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(module)}); m.warmHashThread(); console.log(await m.hashThreadReady());`], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(printed.trim(), 'true');
    assert.ok(performance.now() - start < 10_000, 'exits without waiting for the idle timeout (30 s)');
  });
});
