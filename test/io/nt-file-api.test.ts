// The upper edge (NtFileApi): malformed paths and other bad input get their NTSTATUS before any IRP is
// built, requests are routed with IoGetRelatedDeviceObject, and a deleted device answers STATUS_NO_SUCH_DEVICE.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FILE_OPENED, IoCompleteRequest, IoDeleteDevice, IoDetachDevice, IoGetCurrentIrpStackLocation, IRP_MJ_CLEANUP, IRP_MJ_CLOSE,
  IRP_MJ_CREATE, IRP_MJ_READ, IRP_MJ_WRITE, NtFileApi, STATUS_ACCESS_DENIED, STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER, STATUS_NO_SUCH_DEVICE, STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_PATH_NOT_FOUND,
  STATUS_OBJECT_PATH_SYNTAX_BAD, STATUS_SUCCESS, UserMode, majorFunctionName, type DeviceObject, type IoManager,
} from '../../main/io/index.js';
import {
  assertStatus, attachFilter, createDevice, createDriver, createStorageDevice, createTestFileSystem, newIo, skipForwarder,
} from './helpers.js';

/**
 * A device (no VPB: opened directly, like a raw device) that logs each request, answers creates of
 * '\\denied' with STATUS_ACCESS_DENIED and reads with bytes 7, 7, 7, ...
 */
function rawDevice(io: IoManager, name: string, log: string[]): DeviceObject {
  return createDevice(createDriver(io, 'raw', (_device, irp) => {
    const loc = IoGetCurrentIrpStackLocation(irp);
    log.push(`${majorFunctionName(loc.majorFunction)} '${loc.fileObject?.fileName}' mode ${irp.requestorMode}`);
    let status = STATUS_SUCCESS;
    let information = 0;
    if (loc.majorFunction === IRP_MJ_CREATE) {
      if (loc.fileObject!.fileName === '\\denied') status = STATUS_ACCESS_DENIED;
      else information = FILE_OPENED;
    } else if (loc.majorFunction === IRP_MJ_READ) {
      information = Math.min(loc.parameters.read!.length, 3);
      irp.userBuffer!.fill(7, 0, information);
    } else if (loc.majorFunction === IRP_MJ_WRITE) {
      information = loc.parameters.write!.length;
    }
    irp.ioStatus.status = status;
    irp.ioStatus.information = information;
    IoCompleteRequest(irp);
    return status;
  }), name);
}

describe('NtFileApi.createFile', () => {
  it('malformed paths get their NTSTATUS and a reason, and reach no driver', async () => {
    const io = newIo();
    const log: string[] = [];
    createTestFileSystem(io, 'testfs', log);
    const storage = createStorageDevice(io, '\\Device\\Disk1');
    const api = new NtFileApi(io);
    const cases: [string, number, RegExp][] = [
      ['Device\\Disk1\\a.txt', STATUS_OBJECT_PATH_SYNTAX_BAD, /'Device\\Disk1\\a\.txt' is not an absolute NT path/],
      ['a.txt', STATUS_OBJECT_PATH_SYNTAX_BAD, /must start with a backslash/],
      ['\\Device\\Disk1\\a\0b', STATUS_OBJECT_NAME_INVALID, /NUL/],
      ['', STATUS_OBJECT_NAME_INVALID, /empty/],
      [`\\Device\\Disk1\\${'x'.repeat(40000)}`, STATUS_OBJECT_NAME_INVALID, /longer than 32767/],
      ['\\Device\\NoSuchDisk\\a.txt', STATUS_OBJECT_PATH_NOT_FOUND, /no device in '\\Device\\NoSuchDisk\\a\.txt'/],
      ['\\Device\\Disk10\\a.txt', STATUS_OBJECT_PATH_NOT_FOUND, /no device/],
      ['\\', STATUS_OBJECT_PATH_NOT_FOUND, /no device/],
    ];
    for (const [path, status, reason] of cases) {
      const result = await api.createFile(path);
      assertStatus(result.status, status, JSON.stringify(path.slice(0, 40)));
      assert.equal(result.handle, null);
      assert.match(result.reason ?? '', reason);
    }
    assert.deepEqual(log, [], 'no mount and no create was attempted');
    assert.equal(storage.vpb!.deviceObject, null);
    io.assertNoLeakedIrps();
  });

  it('opens a device without a VPB directly: the create goes to the top of its stack with the rest of the name', async () => {
    const io = newIo();
    const log: string[] = [];
    const device = rawDevice(io, '\\Device\\Raw', log);
    attachFilter(io, 'F', device, skipForwarder(log));
    const api = new NtFileApi(io);
    const opened = await api.createFile('\\DEVICE\\raw\\dir\\File.TXT');
    assertStatus(opened.status, STATUS_SUCCESS);
    assert.equal(opened.information, FILE_OPENED);
    assert.deepEqual(log, ['F: skip', `IRP_MJ_CREATE '\\dir\\File.TXT' mode ${UserMode}`]);
    assert.equal(opened.handle!.fileObject.deviceObject, device);
    io.assertNoLeakedIrps();
  });

  it('a create on a device being deleted (during its forced-detach cascade) answers STATUS_NO_SUCH_DEVICE', async () => {
    const io = newIo();
    const log: string[] = [];
    const device = rawDevice(io, '\\Device\\Raw', log);
    const filter = attachFilter(io, 'F', device, skipForwarder(log));
    const api = new NtFileApi(io);
    const during: ReturnType<NtFileApi['createFile']>[] = [];
    filter.driver.fastIoDispatch.fastIoDetachDevice = (source, target) => {
      during.push(api.createFile('\\Device\\Raw\\f'));
      IoDetachDevice(target);
      IoDeleteDevice(source);
    };
    IoDeleteDevice(device);
    assert.equal(during.length, 1);
    const result = await during[0]!;
    assertStatus(result.status, STATUS_NO_SUCH_DEVICE);
    assert.equal(result.handle, null);
    assert.deepEqual(log, []);
    io.assertNoLeakedIrps();
  });

  it('a create the driver refuses returns its status and no handle', async () => {
    const io = newIo();
    rawDevice(io, '\\Device\\Raw', []);
    const refused = await new NtFileApi(io).createFile('\\Device\\Raw\\denied');
    assertStatus(refused.status, STATUS_ACCESS_DENIED);
    assert.equal(refused.handle, null);
    io.assertNoLeakedIrps();
  });
});

/** A raw device with one file opened on it; the open's own requests are cleared from the log. */
async function openRawFile() {
  const io = newIo();
  const log: string[] = [];
  rawDevice(io, '\\Device\\Raw', log);
  const api = new NtFileApi(io);
  const { handle } = await api.createFile('\\Device\\Raw\\f');
  log.length = 0;
  return { io, log, api, handle };
}

describe('NtFileApi requests', () => {
  it('read returns the bytes the driver reported, write the count it took', async () => {
    const io = newIo();
    rawDevice(io, '\\Device\\Raw', []);
    const api = new NtFileApi(io);
    const { handle } = await api.createFile('\\Device\\Raw\\f');
    const read = await api.read(handle!, 10, 0);
    assertStatus(read.status, STATUS_SUCCESS);
    assert.deepEqual([...read.data], [7, 7, 7]);
    const written = await api.write(handle!, new Uint8Array(5), -1);
    assert.deepEqual({ status: written.status, information: written.information }, { status: STATUS_SUCCESS, information: 5 });
    io.assertNoLeakedIrps();
  });

  it('bad lengths and offsets get STATUS_INVALID_PARAMETER without an IRP', async () => {
    const { io, log, api, handle } = await openRawFile();
    for (const [length, offset] of [[-1, 0], [1.5, 0], [0x80000000, 0], [1, -1], [1, 0.5]] as const) {
      const result = await api.read(handle!, length, offset);
      assertStatus(result.status, STATUS_INVALID_PARAMETER, `read(${length}, ${offset})`);
      assert.equal(result.data.length, 0);
    }
    assertStatus((await api.write(handle!, new Uint8Array(1), -2)).status, STATUS_INVALID_PARAMETER);
    assert.deepEqual(log, []);
    io.assertNoLeakedIrps();
  });

  it('a closed handle gets STATUS_INVALID_HANDLE; close sends cleanup then close, once', async () => {
    const { io, log, api, handle } = await openRawFile();
    assertStatus((await api.close(handle!)).status, STATUS_SUCCESS);
    assert.deepEqual(log, [`${majorFunctionName(IRP_MJ_CLEANUP)} '\\f' mode 1`, `${majorFunctionName(IRP_MJ_CLOSE)} '\\f' mode 1`]);
    assertStatus((await api.close(handle!)).status, STATUS_INVALID_HANDLE);
    assertStatus((await api.read(handle!, 1, 0)).status, STATUS_INVALID_HANDLE);
    assertStatus((await api.flush(handle!)).status, STATUS_INVALID_HANDLE);
    assert.equal(log.length, 2);
    io.assertNoLeakedIrps();
  });

  it('a request on a handle whose device has been deleted answers STATUS_NO_SUCH_DEVICE', async () => {
    const io = newIo();
    const log: string[] = [];
    const device = rawDevice(io, '\\Device\\Raw', log);
    const api = new NtFileApi(io);
    const { handle } = await api.createFile('\\Device\\Raw\\f');
    IoDeleteDevice(device);
    log.length = 0;
    assertStatus((await api.read(handle!, 1, 0)).status, STATUS_NO_SUCH_DEVICE);
    assertStatus((await api.write(handle!, new Uint8Array(1), 0)).status, STATUS_NO_SUCH_DEVICE);
    assert.deepEqual(log, []);
    const reopened = await api.createFile('\\Device\\Raw\\f');
    assertStatus(reopened.status, STATUS_OBJECT_PATH_NOT_FOUND, 'its name is gone from the namespace');
    io.assertNoLeakedIrps();
  });
});
