// The scheduler: periodic jobs with jitter that never overlap themselves, jobs triggered by a file
// changing, idle timers re-armed by activity, and stop() cancelling a running job.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Scheduler } from '../../main/agent/scheduler/scheduler.js';
import { tempDir } from './agent-fixtures.js';

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('scheduler', () => {
  it('runs periodic jobs again and again, never two runs of one job at once', async (t) => {
    const scheduler = new Scheduler({ random: () => 0.5 });
    t.after(() => scheduler.stop());
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    scheduler.add({
      name: 'slow',
      trigger: { kind: 'every', intervalMs: 5, jitter: 0.5, runAtStart: true },
      run: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(30);
        running--;
        runs++;
      },
    });
    await until(() => runs >= 3, 'three runs');
    assert.equal(maxRunning, 1);
  });

  it('jitter stretches and shrinks the wait within its bounds', async (t) => {
    const times: number[] = [];
    for (const random of [0, 0.999]) {
      const scheduler = new Scheduler({ random: () => random });
      t.after(() => scheduler.stop());
      const started = Date.now();
      let ran = 0;
      scheduler.add({ name: 'j', trigger: { kind: 'every', intervalMs: 200, jitter: 1 }, run: async () => void (ran = Date.now() - started) });
      await until(() => ran > 0, 'the first run');
      times.push(ran);
    }
    assert.ok(times[0]! < 200 && times[0]! >= 90, `short wait was ${times[0]}`);
    assert.ok(times[1]! >= 290, `long wait was ${times[1]}`);
  });

  it('a file-change job runs once the file has been quiet for the debounce time', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'main.hdb');
    writeFileSync(file, 'a');
    const scheduler = new Scheduler();
    t.after(() => scheduler.stop());
    let reloads = 0;
    scheduler.add({ name: 'reload', trigger: { kind: 'file-change', paths: [dir], debounceMs: 100 }, run: async () => void reloads++ });
    await sleep(300); // the watcher settles
    for (let i = 0; i < 5; i++) {
      writeFileSync(file, `b${i}`);
      await sleep(20);
    }
    await until(() => reloads === 1, 'one reload');
    await sleep(300);
    assert.equal(reloads, 1, 'a burst of writes is one reload');
  });

  it('an idle job fires only after a quiet period; touch() re-arms it', async (t) => {
    const scheduler = new Scheduler();
    t.after(() => scheduler.stop());
    let locks = 0;
    const handle = scheduler.add({ name: 'auto-lock', trigger: { kind: 'idle', afterMs: 150 }, run: async () => void locks++ });
    for (let i = 0; i < 5; i++) {
      await sleep(60);
      handle.touch();
    }
    assert.equal(locks, 0, 'activity keeps it from firing');
    await until(() => locks === 1, 'the idle run');
  });

  it('stop() aborts a running job and waits for it to return; nothing runs afterwards', async (t) => {
    const scheduler = new Scheduler();
    let aborted = false;
    let runs = 0;
    scheduler.add({
      name: 'migration',
      trigger: { kind: 'every', intervalMs: 10, runAtStart: true },
      run: (signal) =>
        new Promise<void>((resolve) => {
          runs++;
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        }),
    });
    await until(() => runs === 1, 'the first run');
    await scheduler.stop();
    assert.equal(aborted, true);
    assert.equal(scheduler.size, 0);
    await sleep(50);
    assert.equal(runs, 1);
    assert.throws(() => scheduler.add({ name: 'late', trigger: { kind: 'idle', afterMs: 1 }, run: async () => undefined }), /stopped/);
    void t;
  });
});
