// The volume conformance suite on a local folder where every file is a stub: the HSM releases each
// file as soon as its last handle closes, so every later open, read, write, query, listing, rename and
// delete in the suite meets a stub, and must behave exactly as on a plain volume.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { FilterManager } from '../../../main/fltmgr/index.js';
import { openStore, type Store } from '../../../main/store/index.js';
import { registerHsmFilter, type HsmFilter } from '../../../filters/hsm/index.js';
import { setFolderPolicy } from '../../../filters/hsm/catalog/folder-policy.js';
import { loadOrCreateStubKey } from '../../../filters/hsm/stub/stub-key.js';
import { addTier } from '../../../filters/hsm/tier/tier-config.js';
import { localVolumeFactory, volumeConformanceSuite, type VolumeFactory } from '../../volumes/volume-conformance.js';
import { registerReleaseOnClose, type ReleaseLog } from './release-on-close.js';

const log: ReleaseLog = { released: 0, failures: [] };

function everyFileAStub(): VolumeFactory {
  let store: Store | null = null;
  let hsm: HsmFilter | null = null;
  const base = localVolumeFactory(async (io, storage) => {
    const root = (storage.extension as { root: string }).root;
    const dataDir = join(dirname(root), 'data');
    await mkdir(dataDir);
    store = openStore(dataDir);
    await addTier(store.db, 'cold', join(dirname(root), 'cold'));
    const folder = setFolderPolicy(store.db, root, { tier: 'cold', minAgeSeconds: 0, minSize: 0 });
    const manager = new FilterManager(io);
    hsm = registerHsmFilter(manager, { db: store.db, stubKey: await loadOrCreateStubKey(dataDir) });
    hsm.assign(storage.name!, folder);
    registerReleaseOnClose(manager, hsm, log);
  });
  return async () => {
    const volume = await base();
    return {
      ...volume,
      teardown: async () => {
        await hsm?.idle();
        store?.close();
        await volume.teardown();
      },
    };
  };
}

volumeConformanceSuite('local, every file a stub (HSM)', everyFileAStub(), { layers: 2 });

after(() => {
  assert.deepEqual(log.failures, []);
  assert.ok(log.released >= 40, `files were really released to stubs (${log.released})`);
});
