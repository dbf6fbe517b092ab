// A name swapped for a symbolic link after cold storage looked at it: a real minifilter in the test plants
// the link (to a stub of the folder) in the pre-create of the open that pin or recall makes, so the host
// saw a file and the volume reaches the link. The handle is of the stub then, not of the file named: the
// agent's cold-storage control must refuse, and the stub must stay a stub, unpinned. A pin left on such a
// name by an earlier version can still be unpinned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FLT_PREOP_SUCCESS_NO_CALLBACK, type FilterManager } from '../../main/fltmgr/index.js';
import { IRP_MJ_CREATE } from '../../main/io/index.js';
import { ApiRequestError } from '../../main/api/index.js';
import type { FolderStack } from '../../main/agent/folder-stack.js';
import { coldStorageControl } from '../../main/agent/protections/cold-storage-control.js';
import { migrateFolder } from '../../filters/hsm/engine/migrate-folder.js';
import { makeRig } from '../filters/hsm/hsm-rig.js';

const STUB_MAGIC = 'strata-hsm-stub/1\n';

/** Swaps `armed` (a host file of `folder`) for a link to `target` when an open of it comes down the stack, once. */
function linkPlanter(target: string) {
  const state = { folder: '', armed: null as string | null };
  const register = (manager: FilterManager): void => {
    manager.registerFilter({
      name: 'LinkPlanter',
      altitude: '370000',
      operations: {
        [IRP_MJ_CREATE]: {
          pre: (data) => {
            const name = state.armed;
            if (name !== null && data.fileObject?.fileName === `\\${name}`) {
              state.armed = null;
              rmSync(join(state.folder, name));
              symlinkSync(target, join(state.folder, name));
            }
            return FLT_PREOP_SUCCESS_NO_CALLBACK;
          },
        },
      },
    }).startFiltering();
  };
  return { state, register };
}

const isStub = (path: string) => readFileSync(path).subarray(0, STUB_MAGIC.length).toString('latin1') === STUB_MAGIC;

test('pin and recall refuse a name that a link replaced between the look at the host and the open; the stub it leads to stays', async (t) => {
  const files = { 'cold.bin': Buffer.alloc(50_000, 5), 'for-recall.txt': 'local file', 'for-pin.txt': 'another local file' };
  const planter = linkPlanter('cold.bin');
  const rig = await makeRig(t, files, { exclude: ['for-*'] }, { setup: (manager) => planter.register(manager) });
  planter.state.folder = rig.folder;
  await migrateFolder(rig.session.volume);
  assert.ok(isStub(join(rig.folder, 'cold.bin')), 'cold.bin is a stub');

  const control = coldStorageControl({
    stack: rig.session.stack as FolderStack, // opened by openFolderStack (hsm-session.ts)
    tier: 'cold',
    volume: async () => rig.session.volume,
    lastFailure: () => undefined,
  });
  const refused = async (work: Promise<unknown>, name: string) => {
    await assert.rejects(work, (error: unknown) => {
      assert.ok(error instanceof ApiRequestError, String(error));
      assert.equal(error.code, 'invalid-request');
      assert.match(error.message, new RegExp(`^${name} is a symbolic link`));
      return true;
    });
  };

  planter.state.armed = 'for-recall.txt';
  await refused(control.recall('for-recall.txt'), 'for-recall.txt');
  planter.state.armed = 'for-pin.txt';
  await refused(control.pin('for-pin.txt'), 'for-pin.txt');

  assert.equal(planter.state.armed, null, 'both links were planted during the open');
  assert.ok(isStub(join(rig.folder, 'cold.bin')), 'the stub the links lead to was not recalled');
  assert.deepEqual(rig.session.volume.pins.list(), []);

  // A pin that names a link (made before links were refused) can still be removed: that acts on no file.
  rig.session.volume.pins.pin('\\for-pin.txt');
  assert.equal(await control.unpin('for-pin.txt'), true);
  assert.deepEqual(rig.session.volume.pins.list(), []);
  await refused(control.unpin('for-pin.txt'), 'for-pin.txt');
});
