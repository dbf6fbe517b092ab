// Instance teardown drains outstanding operations (DESIGN §1, "drain outstanding post-callbacks on detach"):
// TeardownComplete runs only once no operation is pended in or held by the instance, for a dismount as
// for a manual detach or an unload; after it no callback of the instance runs again; a draining
// post-callback reads its callback data without touching an IRP the file system owns.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import {
  FILE_OPEN, FILE_OPEN_IF, IRP_MJ_CREATE, IRP_MJ_READ, IoManager, NtFileApi, STATUS_CANCELLED,
  STATUS_FLT_INSTANCE_NOT_FOUND, STATUS_SUCCESS, STATUS_VOLUME_DISMOUNTED, VerifierError, dismountVolume, lookupDevice,
} from '../../main/io/index.js';
import {
  FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD, FLTFL_INSTANCE_TEARDOWN_MANUAL, FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT,
  FLTFL_POST_OPERATION_DRAINING, FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED, FLT_PREOP_PENDING,
  FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK, FilterManager, FltCancelSafeQueue, InstanceState,
  type FltCallbackData, type FltRegistration,
} from '../../main/fltmgr/index.js';
import { createStorageDevice, registerVolumeFileSystems } from '../../main/volumes/index.js';
import { VOLUME, decode, makeRig, open, settle, volumeOf, writeFile, type Rig } from './rig.js';

let rig: Rig;
afterEach(() => rig?.io.assertNoLeakedIrps());

const DISMOUNT = FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT;

/** Pends the creates of "pended.txt" in its pre-callback (into `pended`) and logs its callbacks. */
function pendingCreates(log: string[], pended: FltCallbackData[], extra: Partial<FltRegistration> = {}): FltRegistration {
  return {
    name: 'Pender', altitude: '200000',
    operations: {
      [IRP_MJ_CREATE]: {
        pre: (data) => {
          if (!data.fileObject!.fileName.endsWith('pended.txt')) return FLT_PREOP_SUCCESS_NO_CALLBACK;
          pended.push(data);
          return FLT_PREOP_PENDING;
        },
        post: (data, _objects, _context, flags) => {
          log.push(flags & FLTFL_POST_OPERATION_DRAINING ? 'post:draining' : `post:${data.ioStatus.status}`);
          return FLT_POSTOP_FINISHED_PROCESSING;
        },
      },
    },
    instanceTeardownStart: (_objects, reason) => log.push(`start:${reason}`),
    instanceTeardownComplete: (_objects, reason) => log.push(`complete:${reason}`),
    ...extra,
  };
}

describe('dismount with an operation pended in an instance', () => {
  it('the dismount succeeds; TeardownComplete and the deletion of the filter manager\'s device wait until the operation ends', async () => {
    rig = makeRig();
    await writeFile(rig, 'pended.txt', 'x');
    const log: string[] = [];
    const pended: FltCallbackData[] = [];
    rig.manager.registerFilter(pendingCreates(log, pended)).startFiltering();
    const volume = volumeOf(rig);
    const instance = volume.instances[0]!;
    const opening = rig.api.createFile(`${VOLUME}\\pended.txt`, { disposition: FILE_OPEN_IF });
    await settle();
    assert.equal(pended.length, 1);

    // The file system saw no open: it accepts the dismount (the verifier used to throw delete-with-outstanding-irps here).
    assert.equal(await dismountVolume(rig.io, lookupDevice(rig.io, VOLUME)), STATUS_SUCCESS);
    assert.deepEqual(log, [`start:${DISMOUNT}`]);
    assert.equal(instance.state, InstanceState.TearingDown);
    assert.equal(volume.device.deleted, false, 'the device an IRP is still outstanding on is not deleted yet');
    assert.equal(volume.device.lowerDevice, null, 'but it has left the stack');
    assert.equal(rig.manager.getVolume(VOLUME), undefined);

    // The filter finishes what it pended (after TeardownStart): the volume below is gone.
    rig.manager.completePendedPreOperation(pended[0]!, FLT_PREOP_SUCCESS_WITH_CALLBACK);
    assert.equal((await opening).status, STATUS_VOLUME_DISMOUNTED);
    await settle();
    assert.deepEqual(log, [`start:${DISMOUNT}`, `post:${STATUS_VOLUME_DISMOUNTED}`, `complete:${DISMOUNT}`], 'no post-callback after TeardownComplete');
    assert.equal(instance.state, InstanceState.Detached);
    assert.equal(volume.device.deleted, true);

    // The next open mounts again and the filter attaches to the new volume.
    await writeFile(rig, 'b.txt', 'y');
    assert.equal(volumeOf(rig).instances.length, 1);
  });

  it('operations TeardownStart cancels end at once: the device is deleted within the dismount', async () => {
    rig = makeRig();
    await writeFile(rig, 'pended.txt', 'x');
    const log: string[] = [];
    const queue = new FltCancelSafeQueue(rig.manager);
    rig.manager.registerFilter({
      ...pendingCreates(log, []),
      operations: {
        [IRP_MJ_CREATE]: {
          pre: (data) => (queue.insert(data) ? FLT_PREOP_PENDING : FLT_PREOP_SUCCESS_NO_CALLBACK),
        },
      },
      instanceTeardownStart: (_objects, reason) => {
        log.push(`start:${reason}`);
        log.push(`cancelled:${queue.disableAndDrain(STATUS_CANCELLED)}`);
      },
    }).startFiltering();
    const volume = volumeOf(rig);
    const opening = rig.api.createFile(`${VOLUME}\\pended.txt`, { disposition: FILE_OPEN_IF });
    await settle();
    assert.equal(queue.length, 1);
    assert.equal(await dismountVolume(rig.io, lookupDevice(rig.io, VOLUME)), STATUS_SUCCESS);
    assert.deepEqual(log, [`start:${DISMOUNT}`, 'cancelled:1', `complete:${DISMOUNT}`]);
    assert.equal(volume.device.deleted, true);
    assert.equal((await opening).status, STATUS_CANCELLED);
  });
});

describe('manual detach and unload wait until the instance holds nothing', () => {
  /** Pends the first read; its post-callback holds the operation (MORE_PROCESSING_REQUIRED) unless draining. */
  function holder(log: string[], pended: FltCallbackData[], held: FltCallbackData[], manager: FilterManager): FltRegistration {
    return {
      name: 'Holder', altitude: '200000',
      operations: {
        [IRP_MJ_READ]: {
          pre: (data) => {
            pended.push(data);
            return FLT_PREOP_PENDING;
          },
          post: (data, _objects, _context, flags) => {
            if (flags & FLTFL_POST_OPERATION_DRAINING) {
              log.push('post:draining');
              return FLT_POSTOP_FINISHED_PROCESSING;
            }
            log.push('post:held');
            held.push(data);
            return FLT_POSTOP_MORE_PROCESSING_REQUIRED;
          },
        },
      },
      instanceTeardownStart: (_objects, reason) => {
        log.push(`start:${reason}`);
        // Completes what it pended, as TeardownStart must, on a later turn (e.g. after an asynchronous check).
        setImmediate(() => {
          for (const data of pended.splice(0)) manager.completePendedPreOperation(data, FLT_PREOP_SUCCESS_WITH_CALLBACK);
        });
      },
      instanceTeardownComplete: (_objects, reason) => log.push(`complete:${reason}`),
    };
  }

  for (const how of ['detach', 'unload'] as const) {
    it(`${how}: a post-callback that holds an operation resumed during teardown delays TeardownComplete until it is released`, async () => {
      rig = makeRig();
      await writeFile(rig, 'a.txt', 'held');
      const log: string[] = [];
      const pended: FltCallbackData[] = [];
      const held: FltCallbackData[] = [];
      const filter = rig.manager.registerFilter(holder(log, pended, held, rig.manager));
      filter.startFiltering();
      const handle = await open(rig, 'a.txt');
      const reading = rig.api.read(handle, 4, 0);
      await settle();
      assert.equal(pended.length, 1);
      const reason = how === 'detach' ? FLTFL_INSTANCE_TEARDOWN_MANUAL : FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD;
      let finished = false;
      const tearingDown = (how === 'detach' ? rig.manager.detachInstance(filter, volumeOf(rig)) : filter.unregister()).then(() => (finished = true));
      await settle();
      await settle();
      assert.deepEqual(log, [`start:${reason}`, 'post:held'], 'TeardownComplete waits while the post-callback holds the read');
      assert.equal(finished, false);
      rig.manager.completePendedPostOperation(held[0]!);
      await tearingDown;
      assert.deepEqual(log, [`start:${reason}`, 'post:held', `complete:${reason}`]);
      assert.equal(decode((await reading).data), 'held');
      await rig.api.close(handle);
    });
  }
});

describe('draining post-callbacks while the file system owns the IRP', () => {
  /** A local volume (its reads pend on the host file system) with one file, and one filter on it. */
  function localRig(registration: FltRegistration): { io: IoManager; manager: FilterManager; api: NtFileApi; root: string; name: string } {
    const root = mkdtempSync(join(tmpdir(), 'strata-fltmgr-drain-'));
    writeFileSync(join(root, 'a.txt'), 'hello');
    const io = new IoManager({ verifier: true });
    const manager = new FilterManager(io);
    registerVolumeFileSystems(io);
    const name = '\\Device\\FltDrainLocal';
    createStorageDevice(io, { name, source: { kind: 'local', root } });
    manager.registerFilter(registration).startFiltering();
    return { io, manager, api: new NtFileApi(io), root, name };
  }

  it('read the callback data as the operation entered (major, parameters, file object); the detach completes', async () => {
    const seen: string[] = [];
    const local = localRig({
      name: 'Reader', altitude: '300000',
      operations: {
        [IRP_MJ_READ]: {
          pre: () => FLT_PREOP_SUCCESS_WITH_CALLBACK,
          post: (data, _objects, _context, flags) => {
            seen.push(`${flags & FLTFL_POST_OPERATION_DRAINING ? 'draining' : 'post'} major=${data.majorFunction} length=${data.parameters.read?.length} file=${data.fileObject?.fileName}`);
            return FLT_POSTOP_FINISHED_PROCESSING;
          },
        },
      },
    });
    try {
      const { handle, status } = await local.api.createFile(`${local.name}\\a.txt`, { disposition: FILE_OPEN });
      assert.equal(status, STATUS_SUCCESS);
      const volume = local.manager.getVolume(local.name)!;
      const instance = volume.instances[0]!;
      const reading = local.api.read(handle!, 5, 0); // pended by the local volume
      assert.equal(await local.manager.detachInstance(instance.filter, volume), STATUS_SUCCESS);
      assert.deepEqual(seen, [`draining major=${IRP_MJ_READ} length=5 file=\\a.txt`]);
      assert.equal(instance.state, InstanceState.Detached);
      assert.equal(decode((await reading).data), 'hello');
      assert.deepEqual(seen.length, 1, 'the drained post-callback is not called again');
      await local.api.close(handle!);
      local.io.assertNoLeakedIrps();
    } finally {
      rmSync(local.root, { recursive: true, force: true });
    }
  });

  it('a draining post-callback that fails does not leave the instance half torn down', async () => {
    const log: string[] = [];
    const local = localRig({
      name: 'Breaker', altitude: '300000',
      operations: {
        [IRP_MJ_READ]: {
          pre: () => FLT_PREOP_SUCCESS_WITH_CALLBACK,
          post: (data) => {
            // Results do not exist yet while draining: reading them touches the IRP the file system owns.
            log.push(`status ${data.ioStatus.status}`);
            return FLT_POSTOP_FINISHED_PROCESSING;
          },
        },
      },
      instanceTeardownComplete: () => log.push('complete'),
    });
    try {
      const { handle } = await local.api.createFile(`${local.name}\\a.txt`, { disposition: FILE_OPEN });
      const volume = local.manager.getVolume(local.name)!;
      const instance = volume.instances[0]!;
      const reading = local.api.read(handle!, 5, 0);
      await assert.rejects(local.manager.detachInstance(instance.filter, volume), (error: unknown) => {
        assert.ok(error instanceof VerifierError);
        assert.equal(error.rule, 'minifilter-callback-failed');
        assert.match(error.message, /minifilter 'Breaker', draining post-operation callback for IRP_MJ_READ: threw VerifierError: .*touch-after-forward/);
        return true;
      });
      assert.deepEqual(log, ['complete'], 'the teardown completed despite the failure');
      assert.equal(instance.state, InstanceState.Detached);
      assert.equal(volume.instances.length, 0);
      assert.equal(await local.manager.detachInstance(instance.filter, volume), STATUS_FLT_INSTANCE_NOT_FOUND);
      assert.equal(decode((await reading).data), 'hello');
      await local.api.close(handle!);
      local.io.assertNoLeakedIrps();
    } finally {
      rmSync(local.root, { recursive: true, force: true });
    }
  });
});
