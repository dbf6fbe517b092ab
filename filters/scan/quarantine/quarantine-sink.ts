// The scan filter's InfectionSink backed by the quarantine store: the filter hands over a volume path,
// the sink records the host path it stands for, so that a restore puts the file back where it was.

import type { InfectionSink } from '../filter/scan-events.js';
import type { QuarantineStore } from './quarantine-store.js';

/** `hostPathOf` maps the filter's (volume, volume-relative path) to a host path. */
export function quarantineSink(store: QuarantineStore, hostPathOf: (volume: string, path: string) => string): InfectionSink {
  return {
    async quarantine(item) {
      const entry = await store.add({ originPath: hostPathOf(item.volume, item.path), signature: item.signature, foundBy: item.origin, content: item.content });
      return entry.id;
    },
  };
}
