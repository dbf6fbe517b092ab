// A minifilter callback that throws, or returns (or is resumed with) an illegal status, does not strand
// its operation: the IRP completes with STATUS_INTERNAL_ERROR (the posts above still run and see it; the
// instances below never see an operation failed in a pre-callback), and with the verifier on the call
// that drove the operation gets a VerifierError ('minifilter-callback-failed') naming the filter, the
// callback and the operation; with it off, the failure goes to the I/O manager's onDriverFailure. A failed
// post-create also undoes the open the file system had done.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import {
  FILE_OPEN, FILE_OPEN_IF, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_READ, IoManager, NtFileApi,
  STATUS_INTERNAL_ERROR, STATUS_SUCCESS, VerifierError, dismountVolume, lookupDevice,
} from '../../main/io/index.js';
import {
  FLT_POSTOP_FINISHED_PROCESSING, FLT_PREOP_PENDING, FLT_PREOP_SUCCESS_NO_CALLBACK, FLT_PREOP_SUCCESS_WITH_CALLBACK,
  FilterManager, type FltCallbackData, type FltPreopStatus, type FltRegistration,
} from '../../main/fltmgr/index.js';
import { createStorageDevice, registerVolumeFileSystems } from '../../main/volumes/index.js';
import { VOLUME, decode, makeRig, open, settle, volumeOf, writeFile, type Rig } from './rig.js';

let rig: Rig;
afterEach(() => rig?.io.assertNoLeakedIrps());

/** Logs the status each post-callback sees, and every pre-callback, for `majors`. */
function observer(name: string, altitude: string, log: string[], majors: number[]): FltRegistration {
  const operations: FltRegistration['operations'] = {};
  for (const major of majors) {
    operations[major] = {
      pre: (data) => {
        if (!data.isInternal) log.push(`${name}:pre:${major}`);
        return FLT_PREOP_SUCCESS_WITH_CALLBACK;
      },
      post: (data) => {
        if (!data.isInternal) log.push(`${name}:post:${major}:${data.ioStatus.status}`);
        return FLT_POSTOP_FINISHED_PROCESSING;
      },
    };
  }
  return { name, altitude, operations };
}

function callbackFailed(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof VerifierError, `a VerifierError, not ${String(error)}`);
    assert.equal(error.rule, 'minifilter-callback-failed');
    assert.match(error.message, pattern);
    return true;
  };
}

/** A filter at 200000 whose read callbacks misbehave once, between an observer above and one below. */
async function sandwich(read: FltRegistration['operations'][number]): Promise<{ log: string[]; handle: Awaited<ReturnType<typeof open>> }> {
  rig = makeRig();
  await writeFile(rig, 'a.txt', 'data');
  const log: string[] = [];
  rig.manager.registerFilter(observer('Upper', '300000', log, [IRP_MJ_READ])).startFiltering();
  rig.manager.registerFilter({ name: 'Faulty', altitude: '200000', operations: { [IRP_MJ_READ]: read } }).startFiltering();
  rig.manager.registerFilter(observer('Lower', '100000', log, [IRP_MJ_READ])).startFiltering();
  return { log, handle: await open(rig, 'a.txt') };
}

describe('operation callbacks that fail', () => {
  it('a pre-callback that throws: the operation completes with STATUS_INTERNAL_ERROR, lower instances never see it', async () => {
    let thrown = false;
    const { log, handle } = await sandwich({
      pre: () => {
        if (thrown) return FLT_PREOP_SUCCESS_NO_CALLBACK;
        thrown = true;
        throw new RangeError('bad offset');
      },
    });
    await assert.rejects(rig.api.read(handle, 4, 0), callbackFailed(/minifilter 'Faulty', pre-operation callback for IRP_MJ_READ: threw RangeError: bad offset/));
    assert.deepEqual(log, [`Upper:pre:${IRP_MJ_READ}`, `Upper:post:${IRP_MJ_READ}:${STATUS_INTERNAL_ERROR}`]);
    assert.deepEqual(volumeOf(rig).inflight(), []);
    assert.equal(decode((await rig.api.read(handle, 4, 0)).data), 'data', 'the next read goes through');
    await rig.api.close(handle);
  });

  it('a pre-callback that returns an illegal status fails the same way', async () => {
    const { log, handle } = await sandwich({ pre: () => 42 as FltPreopStatus });
    await assert.rejects(rig.api.read(handle, 4, 0), callbackFailed(/minifilter 'Faulty', pre-operation callback for IRP_MJ_READ: returned 42; legal results are FLT_PREOP_\*/));
    assert.deepEqual(log, [`Upper:pre:${IRP_MJ_READ}`, `Upper:post:${IRP_MJ_READ}:${STATUS_INTERNAL_ERROR}`]);
    await rig.api.close(handle);
  });

  it('a post-callback that throws: the posts above see STATUS_INTERNAL_ERROR and the IRP completes', async () => {
    const { log, handle } = await sandwich({
      pre: () => FLT_PREOP_SUCCESS_WITH_CALLBACK,
      post: () => {
        throw new Error('verdict store unavailable');
      },
    });
    await assert.rejects(rig.api.read(handle, 4, 0), callbackFailed(/minifilter 'Faulty', post-operation callback for IRP_MJ_READ: threw Error: verdict store unavailable/));
    assert.deepEqual(log, [
      `Upper:pre:${IRP_MJ_READ}`, `Lower:pre:${IRP_MJ_READ}`, `Lower:post:${IRP_MJ_READ}:${STATUS_SUCCESS}`, `Upper:post:${IRP_MJ_READ}:${STATUS_INTERNAL_ERROR}`,
    ]);
    assert.deepEqual(volumeOf(rig).inflight(), []);
    await rig.api.close(handle);
  });

  it('completePendedPreOperation with an illegal status: the caller gets the error, the operation STATUS_INTERNAL_ERROR', async () => {
    const pended: FltCallbackData[] = [];
    const { log, handle } = await sandwich({ pre: (data) => (pended.push(data), FLT_PREOP_PENDING) });
    const reading = rig.api.read(handle, 4, 0);
    await settle();
    assert.throws(
      () => rig.manager.completePendedPreOperation(pended[0]!, FLT_PREOP_PENDING),
      callbackFailed(/minifilter 'Faulty', completePendedPreOperation for IRP_MJ_READ: was given 2; legal results are FLT_PREOP_\*/),
    );
    assert.equal((await reading).status, STATUS_INTERNAL_ERROR);
    assert.deepEqual(log, [`Upper:pre:${IRP_MJ_READ}`, `Upper:post:${IRP_MJ_READ}:${STATUS_INTERNAL_ERROR}`]);
    assert.equal(volumeOf(rig).instances.find((instance) => instance.name === 'Faulty')!.pendedPreOperations, 0);
    await rig.api.close(handle);
  });

  it('a post-create that throws after the file system opened the file: the create fails and the open is undone below', async () => {
    rig = makeRig();
    await writeFile(rig, 'a.txt', 'data');
    const log: string[] = [];
    rig.manager.registerFilter(observer('Upper', '300000', log, [IRP_MJ_CREATE])).startFiltering();
    rig.manager.registerFilter({
      name: 'Faulty', altitude: '200000',
      operations: { [IRP_MJ_CREATE]: { post: (data) => {
        if (data.isInternal) return FLT_POSTOP_FINISHED_PROCESSING;
        throw new Error('no stream context');
      } } },
    }).startFiltering();
    rig.manager.registerFilter(observer('Lower', '100000', log, [IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE])).startFiltering();
    const faulty = volumeOf(rig).instances.find((instance) => instance.name === 'Faulty')!;
    await assert.rejects(
      rig.api.createFile(`${VOLUME}\\a.txt`, { disposition: FILE_OPEN_IF }),
      callbackFailed(/minifilter 'Faulty', post-operation callback for IRP_MJ_CREATE: threw Error: no stream context/),
    );
    await faulty.waitIdle();
    await settle();
    assert.deepEqual(log, [
      `Upper:pre:${IRP_MJ_CREATE}`, `Lower:pre:${IRP_MJ_CREATE}`, `Lower:post:${IRP_MJ_CREATE}:${STATUS_SUCCESS}`,
      // FltCancelFileOpen: cleanup and close reach the instances below the failing one and the file system.
      `Lower:pre:${IRP_MJ_CLEANUP}`, `Lower:post:${IRP_MJ_CLEANUP}:${STATUS_SUCCESS}`, `Lower:pre:${IRP_MJ_CLOSE}`, `Lower:post:${IRP_MJ_CLOSE}:${STATUS_SUCCESS}`,
      `Upper:post:${IRP_MJ_CREATE}:${STATUS_INTERNAL_ERROR}`,
    ]);
    // No open is left on the volume: it dismounts (an open left behind would answer STATUS_FILES_OPEN).
    assert.equal(await dismountVolume(rig.io, lookupDevice(rig.io, VOLUME)), STATUS_SUCCESS);
  });
});

describe('with the verifier off (production)', () => {
  it('a post-callback that throws while a local volume completes the read later: STATUS_INTERNAL_ERROR, nothing stranded, the failure reported to onDriverFailure', async () => {
    // With the verifier on, no call is driving the operation here: the failure would be raised on its own.
    const root = mkdtempSync(join(tmpdir(), 'strata-fltmgr-failure-'));
    try {
      writeFileSync(join(root, 'a.txt'), 'hello');
      const reported: Error[] = [];
      const io = new IoManager({ verifier: false, onDriverFailure: (error) => reported.push(error) });
      const manager = new FilterManager(io);
      registerVolumeFileSystems(io);
      createStorageDevice(io, { name: '\\Device\\FltFailureLocal', source: { kind: 'local', root } });
      manager.registerFilter({
        name: 'Faulty', altitude: '200000',
        operations: { [IRP_MJ_READ]: { post: () => {
          throw new Error('late failure');
        } } },
      }).startFiltering();
      const api = new NtFileApi(io);
      const { handle } = await api.createFile('\\Device\\FltFailureLocal\\a.txt', { disposition: FILE_OPEN });
      const read = await api.read(handle!, 5, 0);
      assert.equal(read.status, STATUS_INTERNAL_ERROR);
      assert.equal(reported.length, 1, 'the verifier is off: the failure goes to onDriverFailure, once');
      assert.match(reported[0]!.message, /minifilter 'Faulty', post-operation callback for IRP_MJ_READ: threw Error: late failure/);
      assert.deepEqual(manager.getVolume('\\Device\\FltFailureLocal')!.inflight(), []);
      assert.equal((await api.close(handle!)).status, STATUS_SUCCESS);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
