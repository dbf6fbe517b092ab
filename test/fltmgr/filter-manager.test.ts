// The filter manager's rules: altitude order, pre/post results, pending, holding, draining on detach,
// instance set-up and teardown, mount interception and the forced-detach cascade on dismount.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  IRP_MJ_CREATE, IRP_MJ_READ, IRP_MJ_WRITE, IoCancelIrp, NtStatusError, STATUS_ACCESS_DENIED, STATUS_CANCELLED,
  STATUS_FLT_DO_NOT_ATTACH, STATUS_FLT_DO_NOT_DETACH, STATUS_FLT_INSTANCE_ALTITUDE_COLLISION,
  STATUS_FLT_NAME_COLLISION, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, dismountVolume, lookupDevice,
} from '../../main/io/index.js';
import {
  FLTFL_INSTANCE_TEARDOWN_MANUAL, FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT, FLTFL_POST_OPERATION_DRAINING,
  FLT_POSTOP_FINISHED_PROCESSING, FLT_POSTOP_MORE_PROCESSING_REQUIRED, FLT_PREOP_COMPLETE, FLT_PREOP_PENDING,
  FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK, FltCancelSafeQueue, compareAltitudes,
  type FltCallbackData, type FltRegistration,
} from '../../main/fltmgr/index.js';
import { VOLUME, decode, makeRig, open, settle, volumeOf, writeFile, type Rig } from './rig.js';

let rig: Rig;
afterEach(() => rig?.io.assertNoLeakedIrps());

/** A filter that logs "<name>:pre" / "<name>:post" for the given operations. */
function tracer(name: string, altitude: string, log: string[], majors = [IRP_MJ_READ]): FltRegistration {
  const operations: FltRegistration['operations'] = {};
  for (const major of majors) {
    operations[major] = {
      pre: () => {
        log.push(`${name}:pre`);
        return FLT_PREOP_SUCCESS_WITH_CALLBACK;
      },
      post: (_data, _objects, _context, flags) => {
        log.push(flags & FLTFL_POST_OPERATION_DRAINING ? `${name}:post-draining` : `${name}:post`);
        return FLT_POSTOP_FINISHED_PROCESSING;
      },
    };
  }
  return { name, altitude, operations };
}

describe('altitudes', () => {
  it('compare numerically as decimal strings, never as text', () => {
    assert.ok(compareAltitudes('99999', '100000') < 0);
    assert.ok(compareAltitudes('185000.5', '185000') > 0);
    assert.ok(compareAltitudes('0320000', '320000') === 0);
    assert.ok(compareAltitudes('140000.10', '140000.9') < 0, '.10 is a tenth, below .9');
  });

  it('a malformed altitude is refused with STATUS_INVALID_PARAMETER', () => {
    rig = makeRig();
    assert.throws(() => rig.manager.registerFilter({ name: 'Bad', altitude: '32e4', operations: {} }),
      (error: unknown) => error instanceof NtStatusError && error.status === STATUS_INVALID_PARAMETER);
  });

  it('a second filter with the same name is refused with STATUS_FLT_NAME_COLLISION', () => {
    rig = makeRig();
    rig.manager.registerFilter({ name: 'Twin', altitude: '1', operations: {} });
    assert.throws(() => rig.manager.registerFilter({ name: 'twin', altitude: '2', operations: {} }),
      (error: unknown) => error instanceof NtStatusError && error.status === STATUS_FLT_NAME_COLLISION);
  });
});

describe('pre- and post-callbacks', () => {
  it('pre-callbacks run from the highest altitude down and post-callbacks back up', async () => {
    rig = makeRig();
    const log: string[] = [];
    // Registered out of order on purpose: the order comes from the altitudes alone.
    rig.manager.registerFilter(tracer('Middle', '320000', log)).startFiltering();
    rig.manager.registerFilter(tracer('Low', '140000', log)).startFiltering();
    rig.manager.registerFilter(tracer('High', '370000', log)).startFiltering();
    await writeFile(rig, 'a.txt', 'hello');
    const handle = await open(rig, 'a.txt');
    const read = await rig.api.read(handle, 5, 0);
    assert.equal(decode(read.data), 'hello');
    assert.deepEqual(log, ['High:pre', 'Middle:pre', 'Low:pre', 'Low:post', 'Middle:post', 'High:post']);
    await rig.api.close(handle);
  });

  it('FLT_PREOP_SUCCESS_NO_CALLBACK skips that instance\'s post-callback', async () => {
    rig = makeRig();
    const log: string[] = [];
    rig.manager.registerFilter({
      name: 'NoPost', altitude: '200000',
      operations: { [IRP_MJ_READ]: { pre: () => (log.push('pre'), FLT_PREOP_SUCCESS_NO_CALLBACK), post: () => (log.push('post'), FLT_POSTOP_FINISHED_PROCESSING) } },
    }).startFiltering();
    await writeFile(rig, 'a.txt', 'x');
    const handle = await open(rig, 'a.txt');
    await rig.api.read(handle, 1, 0);
    assert.deepEqual(log, ['pre']);
    await rig.api.close(handle);
  });

  it('FLT_PREOP_COMPLETE ends the operation: lower instances never see it, posts above still run', async () => {
    rig = makeRig();
    const log: string[] = [];
    rig.manager.registerFilter(tracer('Above', '300000', log, [IRP_MJ_WRITE])).startFiltering();
    rig.manager.registerFilter({
      name: 'Blocker', altitude: '200000',
      operations: {
        [IRP_MJ_WRITE]: {
          pre: (data) => {
            log.push('Blocker:pre');
            data.ioStatus.status = STATUS_ACCESS_DENIED;
            data.ioStatus.information = 0;
            return FLT_PREOP_COMPLETE;
          },
        },
      },
    }).startFiltering();
    rig.manager.registerFilter(tracer('Below', '100000', log, [IRP_MJ_WRITE])).startFiltering();
    const handle = await open(rig, 'blocked.txt');
    const written = await rig.api.write(handle, new Uint8Array([1, 2, 3]), 0);
    assert.equal(written.status, STATUS_ACCESS_DENIED);
    assert.deepEqual(log, ['Above:pre', 'Blocker:pre', 'Above:post']);
    const read = await rig.api.read(handle, 3, 0);
    assert.equal(read.data.length, 0, 'nothing of the blocked write reached the file system');
    await rig.api.close(handle);
  });

  it('a completion context returned by the pre-callback reaches the post-callback', async () => {
    rig = makeRig();
    let seen: unknown;
    rig.manager.registerFilter({
      name: 'Ctx', altitude: '200000',
      operations: { [IRP_MJ_READ]: { pre: () => ({ status: FLT_PREOP_SUCCESS_WITH_CALLBACK, context: { token: 42 } }), post: (_d, _o, context) => ((seen = context), FLT_POSTOP_FINISHED_PROCESSING) } },
    }).startFiltering();
    await writeFile(rig, 'a.txt', 'x');
    const handle = await open(rig, 'a.txt');
    await rig.api.read(handle, 1, 0);
    assert.deepEqual(seen, { token: 42 });
    await rig.api.close(handle);
  });

  it('post-callbacks see and may rewrite the file system\'s results (completion post-processing)', async () => {
    rig = makeRig();
    rig.manager.registerFilter({
      name: 'Upper', altitude: '200000',
      operations: { [IRP_MJ_READ]: { post: (data) => { data.userBuffer?.reverse(); return FLT_POSTOP_FINISHED_PROCESSING; } } },
    }).startFiltering();
    await writeFile(rig, 'a.txt', 'abc');
    const handle = await open(rig, 'a.txt');
    const read = await rig.api.read(handle, 3, 0);
    assert.equal(decode(read.data), 'cba');
    await rig.api.close(handle);
  });
});

describe('pending', () => {
  it('FLT_PREOP_PENDING holds the operation until completePendedPreOperation resumes it below the pending instance', async () => {
    rig = makeRig();
    const log: string[] = [];
    const pended: FltCallbackData[] = [];
    rig.manager.registerFilter({
      name: 'Pender', altitude: '300000',
      operations: { [IRP_MJ_READ]: { pre: (data) => (pended.push(data), log.push('Pender:pre'), FLT_PREOP_PENDING), post: () => (log.push('Pender:post'), FLT_POSTOP_FINISHED_PROCESSING) } },
    }).startFiltering();
    rig.manager.registerFilter(tracer('Below', '100000', log)).startFiltering();
    await writeFile(rig, 'a.txt', 'later');
    const handle = await open(rig, 'a.txt');
    let done = false;
    const reading = rig.api.read(handle, 5, 0).then((result) => ((done = true), result));
    await settle();
    assert.equal(done, false, 'the read waits while pended');
    assert.deepEqual(log, ['Pender:pre']);
    rig.manager.completePendedPreOperation(pended[0]!, FLT_PREOP_SUCCESS_WITH_CALLBACK);
    const result = await reading;
    assert.equal(decode(result.data), 'later');
    assert.deepEqual(log, ['Pender:pre', 'Below:pre', 'Below:post', 'Pender:post']);
    await rig.api.close(handle);
  });

  it('FLT_POSTOP_MORE_PROCESSING_REQUIRED holds completion until completePendedPostOperation', async () => {
    rig = makeRig();
    const log: string[] = [];
    let held: FltCallbackData | null = null;
    rig.manager.registerFilter(tracer('Top', '300000', log)).startFiltering();
    rig.manager.registerFilter({
      name: 'Holder', altitude: '200000',
      operations: { [IRP_MJ_READ]: { post: (data) => ((held = data), log.push('Holder:post'), FLT_POSTOP_MORE_PROCESSING_REQUIRED) } },
    }).startFiltering();
    await writeFile(rig, 'a.txt', 'held');
    const handle = await open(rig, 'a.txt');
    let done = false;
    const reading = rig.api.read(handle, 4, 0).then((result) => ((done = true), result));
    await settle();
    assert.equal(done, false);
    assert.deepEqual(log, ['Top:pre', 'Holder:post']);
    rig.manager.completePendedPostOperation(held!);
    assert.equal(decode((await reading).data), 'held');
    assert.deepEqual(log, ['Top:pre', 'Holder:post', 'Top:post']);
    await rig.api.close(handle);
  });
});

/** A filter that pends every read in a cancel-safe queue (completing it at once when refused). */
function registerQueuer(target: Rig): FltCancelSafeQueue {
  const queue = new FltCancelSafeQueue(target.manager);
  target.manager.registerFilter({
    name: 'Queuer', altitude: '200000',
    operations: { [IRP_MJ_READ]: { pre: (data) => (queue.insert(data) ? FLT_PREOP_PENDING : FLT_PREOP_COMPLETE) } },
  }).startFiltering();
  return queue;
}

describe('FltCancelSafeQueue', () => {
  it('cancelling a pended operation completes it once with STATUS_CANCELLED, and the posts above still run', async () => {
    rig = makeRig();
    const log: string[] = [];
    rig.manager.registerFilter(tracer('Above', '300000', log)).startFiltering();
    const queue = registerQueuer(rig);
    await writeFile(rig, 'a.txt', 'x');
    const handle = await open(rig, 'a.txt');
    const reading = rig.api.read(handle, 1, 0);
    await settle();
    assert.equal(queue.length, 1);
    const [pendedIrp] = [...rig.io.liveIrps].filter((irp) => irp.stack[0]?.majorFunction === IRP_MJ_READ);
    assert.ok(IoCancelIrp(pendedIrp!), 'the queue\'s cancel routine ran');
    const result = await reading;
    assert.equal(result.status, STATUS_CANCELLED);
    assert.equal(queue.length, 0);
    assert.deepEqual(log, ['Above:pre', 'Above:post']);
    assert.equal(queue.removeNext(), null, 'a cancelled operation cannot be removed again');
    await rig.api.close(handle);
  });

  it('disableAndDrain completes every queued operation and refuses new ones', async () => {
    rig = makeRig();
    const queue = registerQueuer(rig);
    await writeFile(rig, 'a.txt', 'x');
    const handle = await open(rig, 'a.txt');
    const reads = [rig.api.read(handle, 1, 0), rig.api.read(handle, 1, 0)];
    await settle();
    assert.equal(queue.disableAndDrain(), 2);
    for (const read of await Promise.all(reads)) assert.equal(read.status, STATUS_CANCELLED);
    assert.equal((await rig.api.read(handle, 1, 0)).status, STATUS_CANCELLED, 'refused once disabled');
    await rig.api.close(handle);
  });
});

describe('instances', () => {
  it('mount interception: instances are attached before the first create reaches the volume', async () => {
    rig = makeRig();
    const creates: string[] = [];
    rig.manager.registerFilter({
      name: 'Watcher', altitude: '200000',
      operations: { [IRP_MJ_CREATE]: { pre: (data) => (creates.push(data.fileObject!.fileName), FLT_PREOP_SUCCESS_NO_CALLBACK) } },
    }).startFiltering();
    assert.equal(rig.manager.getVolume(VOLUME), undefined, 'not mounted yet');
    const handle = await open(rig, 'first.txt');
    assert.deepEqual(creates, ['\\first.txt'], 'the very first create (which mounted the volume) was seen');
    await rig.api.close(handle);
  });

  it('instanceSetup returning STATUS_FLT_DO_NOT_ATTACH leaves the volume unfiltered', async () => {
    rig = makeRig();
    const log: string[] = [];
    rig.manager.registerFilter({ ...tracer('Shy', '200000', log), instanceSetup: () => STATUS_FLT_DO_NOT_ATTACH }).startFiltering();
    await writeFile(rig, 'a.txt', 'x');
    const handle = await open(rig, 'a.txt');
    await rig.api.read(handle, 1, 0);
    assert.deepEqual(log, []);
    assert.equal(volumeOf(rig).instances.length, 0);
    await rig.api.close(handle);
  });

  it('two instances at the same altitude collide', async () => {
    rig = makeRig();
    rig.manager.registerFilter({ name: 'One', altitude: '200000', operations: {} }).startFiltering();
    const two = rig.manager.registerFilter({ name: 'Two', altitude: '200000.0', operations: {} });
    await writeFile(rig, 'a.txt', 'x');
    assert.equal(rig.manager.attachInstance(two, volumeOf(rig)), STATUS_FLT_INSTANCE_ALTITUDE_COLLISION);
  });

  it('instanceQueryTeardown may refuse a manual detach', async () => {
    rig = makeRig();
    const filter = rig.manager.registerFilter({ name: 'Sticky', altitude: '200000', operations: {}, instanceQueryTeardown: () => STATUS_FLT_DO_NOT_DETACH });
    filter.startFiltering();
    await writeFile(rig, 'a.txt', 'x');
    assert.equal(await rig.manager.detachInstance(filter, volumeOf(rig)), STATUS_FLT_DO_NOT_DETACH);
    assert.equal(volumeOf(rig).instances.length, 1);
  });

  it('outstanding post-callbacks are drained with FLTFL_POST_OPERATION_DRAINING on detach, and not called again', async () => {
    rig = makeRig();
    const log: string[] = [];
    const pended: FltCallbackData[] = [];
    const upper = rig.manager.registerFilter({
      ...tracer('Upper', '300000', log),
      instanceTeardownStart: (_objects, reason) => log.push(`Upper:teardown-start:${reason}`),
      instanceTeardownComplete: (_objects, reason) => log.push(`Upper:teardown-complete:${reason}`),
    });
    upper.startFiltering();
    rig.manager.registerFilter({
      name: 'Slow', altitude: '100000',
      // Holds the first read only, so that the instance above has a post-callback outstanding.
      operations: { [IRP_MJ_READ]: { pre: (data) => (pended.length === 0 ? (pended.push(data), FLT_PREOP_PENDING) : FLT_PREOP_SUCCESS_NO_CALLBACK) } },
    }).startFiltering();
    await writeFile(rig, 'a.txt', 'drain');
    const handle = await open(rig, 'a.txt');
    const reading = rig.api.read(handle, 5, 0);
    await settle();
    assert.equal(await rig.manager.detachInstance(upper, volumeOf(rig)), STATUS_SUCCESS);
    assert.deepEqual(log, ['Upper:pre', `Upper:teardown-start:${FLTFL_INSTANCE_TEARDOWN_MANUAL}`, 'Upper:post-draining', `Upper:teardown-complete:${FLTFL_INSTANCE_TEARDOWN_MANUAL}`]);
    rig.manager.completePendedPreOperation(pended[0]!, FLT_PREOP_SUCCESS_NO_CALLBACK);
    assert.equal(decode((await reading).data), 'drain');
    assert.equal(log.filter((entry) => entry === 'Upper:post').length, 0, 'the drained post is not called again');
    const again = await rig.api.read(handle, 5, 0);
    assert.equal(again.status, STATUS_SUCCESS);
    assert.equal(log.includes('Upper:pre'), true);
    assert.equal(log.filter((entry) => entry === 'Upper:pre').length, 1, 'a detached instance sees no new operation');
    await rig.api.close(handle);
  });

  it('dismount runs the forced-detach cascade: instances torn down for VOLUME_DISMOUNT and the filter device deleted', async () => {
    rig = makeRig();
    const log: string[] = [];
    rig.manager.registerFilter({
      name: 'Mounted', altitude: '200000', operations: {},
      instanceTeardownStart: (_o, reason) => log.push(`start:${reason}`),
      instanceTeardownComplete: (_o, reason) => log.push(`complete:${reason}`),
    }).startFiltering();
    await writeFile(rig, 'a.txt', 'x');
    const volume = volumeOf(rig);
    assert.equal(await dismountVolume(rig.io, lookupDevice(rig.io, VOLUME)), STATUS_SUCCESS);
    assert.deepEqual(log, [`start:${FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT}`, `complete:${FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT}`]);
    assert.equal(volume.device.deleted, true);
    assert.equal(rig.manager.getVolume(VOLUME), undefined);
    // The next open mounts again and the filter attaches to the new volume.
    await writeFile(rig, 'b.txt', 'y');
    assert.equal(volumeOf(rig).instances.length, 1);
  });
});

describe('contexts', () => {
  it('an instance context lives until teardown; cleanup runs at the last release', async () => {
    rig = makeRig();
    const cleaned: unknown[] = [];
    const filter = rig.manager.registerFilter({
      name: 'Ctx', altitude: '200000', operations: {},
      instanceSetup: (objects) => {
        const context = filter.allocateContext('instance', { label: 'mine' });
        objects.instance.setInstanceContext(1, context);
        context.release();
        return STATUS_SUCCESS;
      },
      contextCleanup: (value) => cleaned.push(value),
    });
    filter.startFiltering();
    await writeFile(rig, 'a.txt', 'x');
    const instance = volumeOf(rig).instances[0]!;
    const context = instance.getInstanceContext<{ label: string }>()!;
    assert.equal(context.value.label, 'mine');
    await rig.manager.detachInstance(filter, volumeOf(rig));
    assert.deepEqual(cleaned, [], 'still referenced by the test');
    context.release();
    assert.deepEqual(cleaned, [{ label: 'mine' }]);
  });

  it('a stream context is shared by every open of the stream and released when its last open closes', async () => {
    rig = makeRig();
    const cleaned: unknown[] = [];
    const filter = rig.manager.registerFilter({
      name: 'Stream', altitude: '200000',
      operations: {
        [IRP_MJ_CREATE]: {
          post: (data, objects) => {
            const existing = objects.instance.getStreamContext(data.fileObject!);
            if (existing !== null) {
              existing.release();
              return FLT_POSTOP_FINISHED_PROCESSING;
            }
            const context = filter.allocateContext('stream', { file: data.fileObject!.fileName });
            const result = objects.instance.setStreamContext(data.fileObject!, 2, context);
            result.oldContext?.release();
            context.release();
            return FLT_POSTOP_FINISHED_PROCESSING;
          },
        },
      },
      contextCleanup: (value) => cleaned.push(value),
    });
    filter.startFiltering();
    const first = await open(rig, 's.txt');
    const second = await open(rig, 's.txt');
    const instance = volumeOf(rig).instances[0]!;
    const a = instance.getStreamContext(first.fileObject)!;
    const b = instance.getStreamContext(second.fileObject)!;
    assert.equal(a, b, 'one context per stream');
    a.release();
    b.release();
    await rig.api.close(first);
    assert.deepEqual(cleaned, []);
    await rig.api.close(second);
    assert.deepEqual(cleaned, [{ file: '\\s.txt' }]);
  });
});

describe('a minifilter\'s own I/O (FltCreateFile with an instance)', () => {
  it('enters the stack below the instance: neither it nor the instances above see it, those below do', async () => {
    rig = makeRig();
    const log: string[] = [];
    rig.manager.registerFilter(tracer('Above', '300000', log, [IRP_MJ_CREATE, IRP_MJ_READ])).startFiltering();
    rig.manager.registerFilter(tracer('Self', '200000', log, [IRP_MJ_CREATE, IRP_MJ_READ])).startFiltering();
    rig.manager.registerFilter(tracer('Below', '100000', log, [IRP_MJ_CREATE, IRP_MJ_READ])).startFiltering();
    await writeFile(rig, 'own.txt', 'mine');
    log.length = 0;
    const self = volumeOf(rig).instances.find((instance) => instance.name === 'Self')!;
    const opened = await rig.manager.createFileBelow(self, '\\own.txt');
    assert.equal(opened.status, STATUS_SUCCESS);
    assert.equal(opened.handle!.fileObject.internal, true);
    const read = await rig.manager.api.read(opened.handle!, 4, 0);
    assert.equal(decode(read.data), 'mine');
    assert.deepEqual(log, ['Below:pre', 'Below:post', 'Below:pre', 'Below:post']);
    await rig.manager.api.close(opened.handle!);
  });
});

