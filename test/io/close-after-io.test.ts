// IRP_MJ_CLOSE comes after the file object's last request: in NT every IRP holds a reference on its file
// object, so a read a driver (or a filter) still holds keeps the file object, and the close follows its
// completion. The cleanup is not held back (filters cancel queued I/O at cleanup), and close() resolves
// once the cleanup is done, as NtClose returns before the file object's last reference goes.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILE_OPENED, FileHandle, FileInformationClass, IRP_MJ_CLEANUP, IRP_MJ_CLOSE, IRP_MJ_CREATE, IRP_MJ_QUERY_INFORMATION, IRP_MJ_READ,
  IRP_MJ_WRITE, IoCompleteRequest, IoGetCurrentIrpStackLocation, IoManager, IoMarkIrpPending, NtFileApi, STATUS_PENDING, STATUS_SUCCESS,
  statusName, type Irp,
} from '../../main/io/index.js';
import { openHeld, settle } from './held-device.js';
import { assertStatus, createDevice, createDriver } from './helpers.js';

describe('IRP_MJ_CLOSE after the requests in flight', () => {
  it('a read held by the driver keeps the file object: cleanup goes now, the close after the read completes', async () => {
    const { io, disk, api, handle } = await openHeld();
    disk.hold.add(IRP_MJ_READ);
    const reading = api.read(handle, 3, 0);
    await settle();
    assertStatus((await api.close(handle)).status, STATUS_SUCCESS);
    assert.deepEqual(disk.log, ["IRP_MJ_READ '\\f'", "IRP_MJ_CLEANUP '\\f'"], 'no close while the read is in flight');
    disk.complete(STATUS_SUCCESS, 3);
    const read = await reading;
    assertStatus(read.status, STATUS_SUCCESS);
    assert.equal(read.data.length, 3);
    await settle();
    assert.deepEqual(disk.log, ["IRP_MJ_READ '\\f'", "IRP_MJ_CLEANUP '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    assert.equal(handle.fileObject.closed, true);
    io.assertNoLeakedIrps();
  });

  it('the close waits for the last of several requests', async () => {
    const { io, disk, api, handle } = await openHeld();
    disk.hold.add(IRP_MJ_READ).add(IRP_MJ_WRITE);
    const requests = [api.read(handle, 1, 0), api.write(handle, new Uint8Array(1), 0), api.read(handle, 1, 1)];
    await settle();
    assertStatus((await api.close(handle)).status, STATUS_SUCCESS);
    for (let left = 3; left > 0; left--) {
      await settle();
      assert.ok(!disk.log.includes("IRP_MJ_CLOSE '\\f'"), `no close while ${left} request(s) are in flight`);
      disk.complete();
    }
    const results = await Promise.all(requests);
    assert.deepEqual(results.map((r) => statusName(r.status)), ['STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_SUCCESS']);
    await settle();
    assert.equal(disk.log.at(-1), "IRP_MJ_CLOSE '\\f'");
    assert.equal(disk.log.filter((line) => line === "IRP_MJ_CLOSE '\\f'").length, 1);
    io.assertNoLeakedIrps();
  });

  it('a request sent on the file object during its cleanup (a filter finishing up) also holds the close back', async () => {
    const { io, disk, api, handle } = await openHeld();
    disk.hold.add(IRP_MJ_CLEANUP).add(IRP_MJ_QUERY_INFORMATION);
    const closing = api.close(handle);
    await settle();
    const query = api.queryInformation(new FileHandle(handle.fileObject), FileInformationClass.FileStandardInformation);
    await settle();
    disk.complete(); // the cleanup
    assertStatus((await closing).status, STATUS_SUCCESS);
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'", "IRP_MJ_QUERY_INFORMATION '\\f'"]);
    disk.complete(); // the query
    assertStatus((await query).status, STATUS_SUCCESS);
    await settle();
    assert.deepEqual(disk.log, ["IRP_MJ_CLEANUP '\\f'", "IRP_MJ_QUERY_INFORMATION '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    io.assertNoLeakedIrps();
  });

  it('with nothing in flight, close() resolves after the close has reached the driver', async () => {
    const { io, disk, api, handle } = await openHeld();
    assertStatus((await api.read(handle, 1, 0)).status, STATUS_SUCCESS);
    assertStatus((await api.close(handle)).status, STATUS_SUCCESS);
    assert.deepEqual(disk.log, ["IRP_MJ_READ '\\f'", "IRP_MJ_CLEANUP '\\f'", "IRP_MJ_CLOSE '\\f'"]);
    assert.equal(handle.fileObject.closed, true);
    io.assertNoLeakedIrps();
  });
});

describe('a close that follows the last request and fails', () => {
  it('with the verifier off, goes to onDriverFailure naming the file (not an unhandled rejection, which would end the agent)', async () => {
    const failures: Error[] = [];
    const io = new IoManager({ verifier: false, onDriverFailure: (error) => failures.push(error) });
    const held: Irp[] = [];
    createDevice(createDriver(io, 'breaks-on-close', (_device, irp) => {
      const major = IoGetCurrentIrpStackLocation(irp).majorFunction;
      if (major === IRP_MJ_CLOSE) throw new Error('the file system lost its CCB');
      if (major === IRP_MJ_READ) {
        IoMarkIrpPending(irp);
        held.push(irp);
        return STATUS_PENDING;
      }
      irp.ioStatus.status = STATUS_SUCCESS;
      irp.ioStatus.information = major === IRP_MJ_CREATE ? FILE_OPENED : 0;
      IoCompleteRequest(irp);
      return STATUS_SUCCESS;
    }), '\\Device\\Broken');
    const api = new NtFileApi(io);
    const { handle } = await api.createFile('\\Device\\Broken\\notes.txt');
    const reading = api.read(handle!, 1, 0);
    await settle();
    assertStatus((await api.close(handle!)).status, STATUS_SUCCESS);
    assert.equal(failures.length, 0, 'nothing failed yet: the close waits for the read');
    held[0]!.ioStatus.status = STATUS_SUCCESS;
    IoCompleteRequest(held[0]!);
    assertStatus((await reading).status, STATUS_SUCCESS);
    await settle();
    assert.equal(failures.length, 1);
    assert.match(failures[0]!.message, /IRP_MJ_CLOSE of '\\notes\.txt'.*the file system lost its CCB/);
  });
});
