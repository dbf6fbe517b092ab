// The volume conformance suite: every behaviour a Strata volume must show through the upper edge
// (NtFileApi), run against any volume factory. The memory and local volumes run it as is; the filter
// tests re-run it with passthrough minifilters stacked above the volume, where only the factory differs.

import { describe } from 'node:test';
import { createConformance } from './conformance-create.js';
import { dataConformance } from './conformance-data.js';
import { directoryConformance } from './conformance-directory.js';
import { informationConformance } from './conformance-information.js';
import { mountConformance } from './conformance-mount.js';
import { namespaceConformance } from './conformance-namespace.js';
import type { VolumeFactory } from './volume-factories.js';

export interface ConformanceOptions {
  /** How many filter layers the factory stacks above the volume (named in the suite title only). */
  layers?: number;
}

export function volumeConformanceSuite(name: string, makeVolume: VolumeFactory, options: ConformanceOptions = {}): void {
  const layers = options.layers ?? 0;
  const title = layers > 0 ? `${name} volume conformance (${layers} filter layer${layers === 1 ? '' : 's'} above)` : `${name} volume conformance`;
  describe(title, () => {
    describe('create', () => createConformance(makeVolume));
    describe('read and write', () => dataConformance(makeVolume));
    describe('information', () => informationConformance(makeVolume));
    describe('directory listing', () => directoryConformance(makeVolume));
    describe('rename and delete', () => namespaceConformance(makeVolume));
    describe('mount and dismount', () => mountConformance(makeVolume));
  });
}

export { memoryVolumeFactory, localVolumeFactory, type VolumeFactory, type VolumeSetup, type VolumeUnderTest } from './volume-factories.js';
