// The volume conformance suite again, with 1 and 3 passthrough minifilters attached above each volume
// through mount interception: results must be identical to the bare runs in test/volumes. The filters'
// counters prove they were on the path of every test.

import assert from 'node:assert/strict';
import { after } from 'node:test';
import { FilterManager } from '../../main/fltmgr/index.js';
import { registerPassthroughStack, type Passthrough } from '../../filters/passthrough/index.js';
import { localVolumeFactory, memoryVolumeFactory, type VolumeSetup } from '../volumes/volume-factories.js';
import { volumeConformanceSuite } from '../volumes/volume-conformance.js';

const stacks: Passthrough[][] = [];

function underPassthroughs(count: number): VolumeSetup {
  return (io) => {
    stacks.push(registerPassthroughStack(new FilterManager(io), count));
  };
}

for (const layers of [1, 3]) {
  volumeConformanceSuite(`memory (under ${layers} passthrough)`, memoryVolumeFactory(underPassthroughs(layers)), { layers });
  volumeConformanceSuite(`local (under ${layers} passthrough)`, localVolumeFactory(underPassthroughs(layers)), { layers });
}

after(() => {
  assert.ok(stacks.length > 0);
  const unfiltered = stacks.filter((stack) => stack.some((layer) => layer.counters.pre === 0));
  // A test that never mounts its volume legitimately sees no operation; all the others must have.
  assert.ok(unfiltered.length < stacks.length / 4, `${unfiltered.length} of ${stacks.length} stacks saw no operation`);
  for (const stack of stacks) {
    for (const layer of stack) assert.equal(layer.counters.post, layer.counters.pre, `${layer.filter.name}: every pre has its post`);
  }
});
