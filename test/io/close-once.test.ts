// One IRP_MJ_CLEANUP and one IRP_MJ_CLOSE per file object, however many callers close it at once: the
// handle is closed from the moment close() is called (NtClose takes it out of the handle table first), a
// concurrent or later close waits for the first and gets STATUS_INVALID_HANDLE, and no new request on the
// handle reaches a driver once its close has begun.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FileHandle, IRP_MJ_CLEANUP, STATUS_INVALID_HANDLE, STATUS_SUCCESS, statusName,
} from '../../main/io/index.js';
import { openHeld, settle } from './held-device.js';
import { assertStatus } from './helpers.js';

describe('closing a file object once', () => {
  it('two concurrent close() calls send one cleanup and one close; the second waits for the first and gets STATUS_INVALID_HANDLE', async () => {
    const { io, disk, api, handle } = await openHeld();
    disk.hold.add(IRP_MJ_CLEANUP);
    const order: string[] = [];
    const first = api.close(handle).then((result) => (order.push('first'), result));
    const second = api.close(handle).then((result) => (order.push('second'), result));
    await settle();
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'"], 'one cleanup, held by the driver');
    assert.deepEqual(order, [], 'the second close waits for the first');
    disk.complete();
    const results = await Promise.all([first, second]);
    assert.deepEqual(results.map((r) => statusName(r.status)), ['STATUS_SUCCESS', 'STATUS_INVALID_HANDLE']);
    assert.deepEqual(order, ['first', 'second']);
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    assert.equal(handle.closed, true);
    assert.equal(handle.fileObject.closed, true);
    io.assertNoLeakedIrps();
  });

  it('two close() calls at once on a driver that completes at once still send one of each', async () => {
    const { io, disk, api, handle } = await openHeld();
    const results = await Promise.all([api.close(handle), api.close(handle), api.close(handle)]);
    assert.deepEqual(results.map((r) => statusName(r.status)), ['STATUS_SUCCESS', 'STATUS_INVALID_HANDLE', 'STATUS_INVALID_HANDLE']);
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    io.assertNoLeakedIrps();
  });

  it('two concurrent cleanup() calls send one cleanup; the close that follows sends only the close', async () => {
    const { io, disk, api, handle } = await openHeld();
    const results = await Promise.all([api.cleanup(handle), api.cleanup(handle)]);
    assert.deepEqual(results.map((r) => statusName(r.status)), ['STATUS_SUCCESS', 'STATUS_INVALID_HANDLE']);
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'"]);
    assertStatus((await api.close(handle)).status, STATUS_SUCCESS);
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    io.assertNoLeakedIrps();
  });

  it('a request on the handle once its close has begun gets STATUS_INVALID_HANDLE and reaches no driver', async () => {
    const { io, disk, api, handle } = await openHeld();
    disk.hold.add(IRP_MJ_CLEANUP);
    const closing = api.close(handle);
    await settle();
    const read = await api.read(handle, 4, 0);
    const written = await api.write(handle, new Uint8Array(4), 0);
    assertStatus(read.status, STATUS_INVALID_HANDLE);
    assertStatus(written.status, STATUS_INVALID_HANDLE);
    const lateCleanup = api.cleanup(handle);
    await settle();
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'"]);
    disk.complete();
    assertStatus((await closing).status, STATUS_SUCCESS);
    assertStatus((await lateCleanup).status, STATUS_INVALID_HANDLE);
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    io.assertNoLeakedIrps();
  });

  it('closing two handles on one file object (a filter wraps the file object in its own) sends one cleanup and one close', async () => {
    const { io, disk, api, handle } = await openHeld();
    const wrapper = new FileHandle(handle.fileObject);
    assertStatus((await api.close(handle)).status, STATUS_SUCCESS);
    assertStatus((await api.close(wrapper)).status, STATUS_INVALID_HANDLE);
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    io.assertNoLeakedIrps();
  });
});
