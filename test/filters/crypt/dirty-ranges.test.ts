// The unsaved-writes structure, against a plain byte-array model: overlapping writes keep the newest
// bytes, truncation drops what lies past the end, coverage and single-range views are exact.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DirtyRanges } from '../../../filters/crypt/dirty-ranges.js';

const SPAN = 200;

/** Runs random writes and truncations on both the structure and a byte model, comparing after each step. */
function fuzz(seed: number, steps: number): void {
  let x = seed;
  // The high bits of the LCG: its low bits repeat with short periods.
  const next = (n: number) => ((x = (x * 1103515245 + 12345) >>> 0), (x >>> 16) % n);
  const dirty = new DirtyRanges();
  const model = new Int16Array(SPAN).fill(-1);
  for (let step = 0; step < steps; step++) {
    if (next(8) === 0) {
      const size = next(SPAN);
      dirty.truncate(size);
      model.fill(-1, size);
    } else {
      const start = next(SPAN - 1);
      const data = Uint8Array.from({ length: 1 + next(Math.min(40, SPAN - start - 1)) }, () => next(256));
      dirty.write(start, data.slice());
      model.set(data, start);
    }
    const out = new Uint8Array(SPAN).fill(0);
    dirty.overlay(0, out);
    for (let i = 0; i < SPAN; i++) assert.equal(out[i], model[i]! < 0 ? 0 : model[i], `seed ${seed} step ${step} byte ${i}`);
    assert.equal(dirty.bytes, model.filter((v) => v >= 0).length, 'byte count');
    const a = next(SPAN);
    const b = a + next(SPAN - a);
    assert.equal(dirty.covers(a, b), model.subarray(a, b).every((v) => v >= 0), `covers(${a}, ${b})`);
  }
}

describe('dirty ranges', () => {
  it('overlapping writes and truncations always read back as the newest bytes (random model check)', () => {
    for (let seed = 1; seed <= 25; seed++) fuzz(seed, 60);
  });

  it('within() returns a view only when one write holds the whole range', () => {
    const dirty = new DirtyRanges();
    dirty.write(10, new Uint8Array([1, 2, 3, 4, 5]));
    dirty.write(15, new Uint8Array([6, 7]));
    assert.deepEqual(dirty.within(11, 14), new Uint8Array([2, 3, 4]));
    assert.equal(dirty.within(13, 16), null, 'spans two writes');
    assert.equal(dirty.within(5, 12), null, 'starts before any write');
  });
});
