// InOrder: work starts in the order it was asked for, never more than the limit at once, and a failure
// is its caller's alone (what was asked for after it still runs).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InOrder } from '../../../filters/crypt/in-order.js';

/** A piece of work that records its start and finishes when told to. */
function piece(name: string, log: string[], running: { now: number; most: number }): { work: () => Promise<string>; finish: (error?: Error) => void } {
  let finish!: (error?: Error) => void;
  const done = new Promise<void>((resolve, reject) => (finish = (error) => (error === undefined ? resolve() : reject(error))));
  return {
    work: async () => {
      log.push(name);
      running.now++;
      running.most = Math.max(running.most, running.now);
      try {
        await done;
        return name;
      } finally {
        running.now--;
      }
    },
    finish,
  };
}

describe('InOrder', () => {
  it('starts work in order, at most two at once, and goes on after a failure', async () => {
    const queue = new InOrder(2);
    const log: string[] = [];
    const running = { now: 0, most: 0 };
    const pieces = ['a', 'b', 'c', 'd'].map((name) => piece(name, log, running));
    const results = pieces.map(({ work }) => queue.run(work).catch((error: Error) => `failed: ${error.message}`));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(log, ['a', 'b'], 'two started, the others wait');
    pieces[1]!.finish(new Error('disk gone'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(log, ['a', 'b', 'c'], 'a failure frees its place for the next');
    pieces[0]!.finish();
    pieces[2]!.finish();
    pieces[3]!.finish();
    assert.deepEqual(await Promise.all(results), ['a', 'failed: disk gone', 'c', 'd']);
    assert.deepEqual(log, ['a', 'b', 'c', 'd']);
    assert.equal(running.most, 2);
  });

  it('work that throws before it returns a promise fails alone', async () => {
    const queue = new InOrder(1);
    const failing = queue.run((): Promise<void> => {
      throw new Error('bad arguments');
    });
    await assert.rejects(failing, /bad arguments/);
    assert.equal(await queue.run(async () => 'next'), 'next');
  });
});
