// One QuarantineStore per open database, shared by every scan filter of the agent and by the API.
// Opening a QuarantineStore sweeps age files that have no row yet (a crash's leftovers); a second
// open while a filter is adding an item would take that item's file for a leftover and delete it,
// so the agent opens the store once and everyone uses that.

import { QuarantineStore } from '../../../filters/scan/quarantine/quarantine-store.js';
import type { Store } from '../../store/index.js';

const opened = new WeakMap<Store, Promise<QuarantineStore>>();

export function sharedQuarantine(dataDir: string, store: Store): Promise<QuarantineStore> {
  let quarantine = opened.get(store);
  if (quarantine === undefined) {
    quarantine = QuarantineStore.open(dataDir, store);
    // A failed open (a key others can read) is tried again next time, not cached.
    quarantine.catch(() => opened.delete(store));
    opened.set(store, quarantine);
  }
  return quarantine;
}
