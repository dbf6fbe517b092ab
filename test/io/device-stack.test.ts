// Devices and their stacks: IoCreateDevice, IoAttachDeviceToDeviceStack, IoAttachDevice,
// IoGetAttachedDevice, IoDetachDevice, IoDeleteDevice with the forced-detach cascade,
// IoGetDeviceObjectPointer and IoGetRelatedDeviceObject.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DO_DEVICE_INITIALIZING, FileObject, IoAttachDevice, IoAttachDeviceToDeviceStack, IoCreateDevice, IoDeleteDevice,
  IoDetachDevice, IoGetAttachedDevice, IoGetDeviceObjectPointer, IoGetRelatedDeviceObject, IoManager, IRP_MJ_READ,
  NtStatusError, STATUS_INVALID_DEVICE_STATE, STATUS_INVALID_PARAMETER, STATUS_NO_SUCH_DEVICE,
  STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_NOT_FOUND, VPB_MOUNTED, type DeviceObject,
} from '../../main/io/index.js';
import {
  assertNtStatusError, assertVerifier, attachFilter, completer, createDevice, createDriver, detachOnTargetDeletion, nameOf, newIo,
  onlyCompletion, send, skipForwarder, type TestExtension,
} from './helpers.js';


/** V with filters A, B, C attached in that order, each with the standard forced-detach callback. */
function stackOfThree(io: IoManager, log: string[]): { v: DeviceObject; a: DeviceObject<TestExtension>; b: DeviceObject<TestExtension>; c: DeviceObject<TestExtension> } {
  const v = createDevice(createDriver(io, 'V', completer()), '\\Device\\V');
  const a = attachFilter(io, 'A', v, skipForwarder(log));
  const b = attachFilter(io, 'B', a, skipForwarder(log));
  const c = attachFilter(io, 'C', b, skipForwarder(log));
  for (const device of [a, b, c]) detachOnTargetDeletion(device.driver, log);
  return { v, a, b, c };
}

describe('IoCreateDevice', () => {
  it('creates a device with stack size 1, DO_DEVICE_INITIALIZING, its extension and, when asked, a VPB', () => {
    const io = newIo();
    const driver = io.createDriver('d');
    const device = IoCreateDevice(driver, { name: '\\Device\\Disk0', deviceType: 7, extension: { n: 1 }, withVpb: true });
    assert.equal(device.stackSize, 1);
    assert.equal(device.flags & DO_DEVICE_INITIALIZING, DO_DEVICE_INITIALIZING);
    assert.deepEqual(device.extension, { n: 1 });
    assert.equal(device.vpb?.realDevice, device);
    assert.ok(driver.devices.has(device));
    assert.equal(IoCreateDevice(driver, { deviceType: 7, extension: null }).vpb, null);
    io.assertNoLeakedIrps();
  });

  it('refuses a name already in use (names are case-insensitive) with STATUS_OBJECT_NAME_COLLISION', () => {
    const io = newIo();
    const driver = io.createDriver('d');
    const first = IoCreateDevice(driver, { name: '\\Device\\Vol', deviceType: 7, extension: null });
    assertNtStatusError(() => IoCreateDevice(driver, { name: '\\Device\\Vol', deviceType: 7, extension: null }), STATUS_OBJECT_NAME_COLLISION, /\\Device\\Vol/);
    assertNtStatusError(() => IoCreateDevice(driver, { name: '\\DEVICE\\vol', deviceType: 7, extension: null }), STATUS_OBJECT_NAME_COLLISION);
    assert.equal(driver.devices.size, 1, 'the refused devices were not created');
    IoDeleteDevice(first);
    const again = IoCreateDevice(driver, { name: '\\Device\\Vol', deviceType: 7, extension: null });
    assert.equal(IoGetDeviceObjectPointer(io, '\\Device\\Vol').deviceObject, again, 'a deleted device frees its name');
    io.assertNoLeakedIrps();
  });

  it('refuses a name that is not an absolute NT name with STATUS_INVALID_PARAMETER', () => {
    const io = newIo();
    const driver = io.createDriver('d');
    assertNtStatusError(() => IoCreateDevice(driver, { name: 'Device\\X', deviceType: 7, extension: null }), STATUS_INVALID_PARAMETER);
    assertNtStatusError(() => IoCreateDevice(driver, { name: '\\Device\\X\\', deviceType: 7, extension: null }), STATUS_INVALID_PARAMETER);
    assert.equal(driver.devices.size, 0);
    io.assertNoLeakedIrps();
  });
});

describe('IoAttachDeviceToDeviceStack', () => {
  it('returns the previous top of the stack and makes the stack size one more than it', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    const a = createDevice(createDriver(io, 'A', skipForwarder()));
    const b = createDevice(createDriver(io, 'B', skipForwarder()));
    assert.equal(IoAttachDeviceToDeviceStack(a, v), v);
    assert.equal(a.stackSize, 2);
    // Attaching to V again lands on top of A: the previous top is returned, not V.
    assert.equal(IoAttachDeviceToDeviceStack(b, v), a);
    assert.equal(b.stackSize, 3);
    assert.equal(v.attachedDevice, a);
    assert.equal(a.attachedDevice, b);
    assert.equal(b.lowerDevice, a);
    io.assertNoLeakedIrps();
  });

  it('the last attached device gets the first chance at a request', () => {
    const io = newIo();
    const log: string[] = [];
    const v = createDevice(createDriver(io, 'V', completer(0, 0, log)));
    const a = attachFilter(io, 'A', v, skipForwarder(log));
    const b = attachFilter(io, 'B', a, skipForwarder(log));
    onlyCompletion(send(io, IoGetAttachedDevice(v), IRP_MJ_READ));
    assert.equal(IoGetAttachedDevice(v), b);
    assert.deepEqual(log, ['B: skip', 'A: skip', 'V: IRP_MJ_READ']);
    io.assertNoLeakedIrps();
  });

  it('refuses a target that has been deleted with STATUS_NO_SUCH_DEVICE', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    IoDeleteDevice(v);
    const a = createDevice(createDriver(io, 'A', skipForwarder()));
    assertNtStatusError(() => IoAttachDeviceToDeviceStack(a, v), STATUS_NO_SUCH_DEVICE);
    assert.equal(a.lowerDevice, null);
    assert.equal(a.stackSize, 1);
    io.assertNoLeakedIrps();
  });

  it('refuses a target being deleted with STATUS_NO_SUCH_DEVICE (an attach attempted during the forced-detach cascade)', () => {
    const io = newIo();
    const log: string[] = [];
    const v = createDevice(createDriver(io, 'V', completer()));
    const a = attachFilter(io, 'A', v, skipForwarder());
    const latecomer = createDevice(createDriver(io, 'X', skipForwarder()));
    const refusals: unknown[] = [];
    a.driver.fastIoDispatch.fastIoDetachDevice = (source, target) => {
      for (const attempt of [target, source]) {
        try {
          IoAttachDeviceToDeviceStack(latecomer, attempt);
          log.push('attached');
        } catch (error) {
          refusals.push(error);
        }
      }
      IoDetachDevice(target);
      IoDeleteDevice(source);
    };
    IoDeleteDevice(v);
    assert.deepEqual(log, []);
    assert.equal(refusals.length, 2, 'neither the target being deleted nor a device above it accepts an attachment');
    for (const error of refusals) assert.ok(error instanceof NtStatusError && error.status === STATUS_NO_SUCH_DEVICE);
    assert.equal(latecomer.lowerDevice, null);
    io.assertNoLeakedIrps();
  });

  it('attaching a device to itself is attach-to-self', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    assertVerifier(() => IoAttachDeviceToDeviceStack(v, v), 'attach-to-self');
    assert.equal(v.attachedDevice, null);
    io.assertNoLeakedIrps();
  });

  it('refuses a source that is already attached with STATUS_INVALID_PARAMETER', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    const w = createDevice(createDriver(io, 'W', completer()));
    const a = attachFilter(io, 'A', v, skipForwarder());
    assertNtStatusError(() => IoAttachDeviceToDeviceStack(a, w), STATUS_INVALID_PARAMETER);
    assert.equal(w.attachedDevice, null);
    io.assertNoLeakedIrps();
  });
});

describe('IoAttachDevice', () => {
  it('attaches by name to the top of the named device’s stack and returns the device attached to', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()), '\\Device\\Volume7');
    const a = attachFilter(io, 'A', v, skipForwarder());
    const b = createDevice(createDriver(io, 'B', skipForwarder()));
    assert.equal(IoAttachDevice(b, '\\device\\VOLUME7'), a);
    assert.equal(b.stackSize, 3);
    assert.equal(IoGetAttachedDevice(v), b);
    io.assertNoLeakedIrps();
  });

  it('refuses an unknown name with STATUS_OBJECT_NAME_NOT_FOUND', () => {
    const io = newIo();
    const b = createDevice(createDriver(io, 'B', skipForwarder()));
    assertNtStatusError(() => IoAttachDevice(b, '\\Device\\Nowhere'), STATUS_OBJECT_NAME_NOT_FOUND, /Nowhere/);
    assert.equal(b.lowerDevice, null);
    io.assertNoLeakedIrps();
  });
});

describe('IoGetAttachedDevice', () => {
  it('returns the top of the stack from any device in it, and the device itself when nothing is attached', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    assert.equal(IoGetAttachedDevice(v), v);
    const a = attachFilter(io, 'A', v, skipForwarder());
    const b = attachFilter(io, 'B', a, skipForwarder());
    assert.equal(IoGetAttachedDevice(v), b);
    assert.equal(IoGetAttachedDevice(a), b);
    assert.equal(IoGetAttachedDevice(b), b);
    io.assertNoLeakedIrps();
  });
});

describe('IoDetachDevice', () => {
  it('detaches the device attached to the target, last in first out', () => {
    const io = newIo();
    const log: string[] = [];
    const { v, a, b, c } = stackOfThree(io, log);
    IoDetachDevice(b);
    assert.equal(b.attachedDevice, null);
    assert.equal(c.lowerDevice, null);
    IoDetachDevice(a);
    IoDetachDevice(v);
    assert.equal(IoGetAttachedDevice(v), v);
    assert.equal(a.lowerDevice, null);
    onlyCompletion(send(io, v, IRP_MJ_READ));
    assert.deepEqual(log, [], 'requests to V no longer pass the detached filters');
    io.assertNoLeakedIrps();
  });

  it('is refused out of order: a device with another attached above it stays (verifier off: STATUS_INVALID_DEVICE_STATE)', () => {
    const io = new IoManager({ verifier: false });
    const log: string[] = [];
    const { v, a, b } = stackOfThree(io, log);
    assertNtStatusError(() => IoDetachDevice(v), STATUS_INVALID_DEVICE_STATE, /last-in, first-out/);
    assertNtStatusError(() => IoDetachDevice(a), STATUS_INVALID_DEVICE_STATE);
    assert.equal(v.attachedDevice, a);
    assert.equal(a.attachedDevice, b);
  });

  it('is refused out of order with the verifier on (detach-out-of-order)', () => {
    const io = newIo();
    const { v, a } = stackOfThree(io, []);
    assertVerifier(() => IoDetachDevice(v), 'detach-out-of-order');
    assert.equal(v.attachedDevice, a);
    io.assertNoLeakedIrps();
  });

  it('with nothing attached is an error (detach-nothing-attached; verifier off: STATUS_INVALID_PARAMETER)', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    assertVerifier(() => IoDetachDevice(v), 'detach-nothing-attached');
    const off = new IoManager({ verifier: false });
    assertNtStatusError(() => IoDetachDevice(createDevice(createDriver(off, 'W', completer()))), STATUS_INVALID_PARAMETER);
  });
});

describe('IoDeleteDevice', () => {
  it("runs the forced-detach cascade: each attached driver's fastIoDetachDevice detaches and deletes its device, recursively upward", () => {
    const io = newIo();
    const log: string[] = [];
    const { v, a, b, c } = stackOfThree(io, log);
    IoDeleteDevice(v);
    // The first attached driver is asked first; its own delete asks the next one up, and so on.
    assert.deepEqual(log, [
      'A: detach from V',
      'B: detach from A',
      'C: detach from B',
      'C: deleted',
      'B: deleted',
      'A: deleted',
    ]);
    for (const device of [v, a, b, c]) {
      assert.equal(device.deleted, true, `${nameOf(device)} deleted`);
      assert.equal(device.attachedDevice, null);
      assert.equal(device.lowerDevice, null);
      assert.equal(device.driver.devices.has(device), false);
    }
    assertNtStatusError(() => IoGetDeviceObjectPointer(io, '\\Device\\V'), STATUS_OBJECT_NAME_NOT_FOUND);
    io.assertNoLeakedIrps();
  });

  it('inside the cascade a driver may detach while another device is still attached above it (the one exception to LIFO)', () => {
    const io = newIo();
    const log: string[] = [];
    const { v, a, b } = stackOfThree(io, log);
    const standard = a.driver.fastIoDispatch.fastIoDetachDevice!;
    const above: (DeviceObject | null)[] = [];
    a.driver.fastIoDispatch.fastIoDetachDevice = (source, target) => {
      above.push(source.attachedDevice);
      standard(source, target);
    };
    IoDeleteDevice(v);
    assert.deepEqual(above, [b], 'A detached from V with B still on top of A');
    assert.equal(log[0], 'A: detach from V');
    // Outside a cascade, the same detach is refused again.
    const again = stackOfThree(io, []);
    assertVerifier(() => IoDetachDevice(again.v), 'detach-out-of-order');
    io.assertNoLeakedIrps();
  });

  it('a driver without a fast-I/O detach callback is detached and deleted for it', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    const a = attachFilter(io, 'A', v, skipForwarder());
    IoDeleteDevice(v);
    assert.equal(a.deleted, true);
    assert.equal(a.lowerDevice, null);
    io.assertNoLeakedIrps();
  });

  it('refuses to delete a device still attached to another outside a cascade (delete-while-attached)', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    const a = attachFilter(io, 'A', v, skipForwarder());
    assertVerifier(() => IoDeleteDevice(a), 'delete-while-attached');
    io.assertNoLeakedIrps();
  });

  it('deleting twice is double-delete', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    IoDeleteDevice(v);
    assertVerifier(() => IoDeleteDevice(v), 'double-delete');
    io.assertNoLeakedIrps();
  });
});

describe('IoGetDeviceObjectPointer', () => {
  it('returns the top of the named device’s stack and a file object opened on the named device', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()), '\\Device\\Tape0');
    const a = attachFilter(io, 'A', v, skipForwarder());
    const { deviceObject, fileObject } = IoGetDeviceObjectPointer(io, '\\Device\\Tape0');
    assert.equal(deviceObject, a);
    assert.equal(fileObject.deviceObject, v);
    io.assertNoLeakedIrps();
  });

  it('refuses an unknown name with STATUS_OBJECT_NAME_NOT_FOUND', () => {
    const io = newIo();
    assertNtStatusError(() => IoGetDeviceObjectPointer(io, '\\Device\\Nothing'), STATUS_OBJECT_NAME_NOT_FOUND);
    io.assertNoLeakedIrps();
  });
});

describe('IoGetRelatedDeviceObject', () => {
  function mountedStorage(io: IoManager): { storage: DeviceObject; storageFilter: DeviceObject; volume: DeviceObject; volumeFilter: DeviceObject } {
    const storage = createDevice(createDriver(io, 'disk', completer()), '\\Device\\Harddisk9', true);
    const storageFilter = attachFilter(io, 'disk filter', storage, skipForwarder());
    const volume = createDevice(createDriver(io, 'fs', completer()));
    const volumeFilter = attachFilter(io, 'fs filter', volume, skipForwarder());
    storage.vpb!.deviceObject = volume;
    storage.vpb!.flags |= VPB_MOUNTED;
    return { storage, storageFilter, volume, volumeFilter };
  }

  it('file object → its mounted volume → the top of that volume’s stack', () => {
    const io = newIo();
    const { storage, volumeFilter } = mountedStorage(io);
    const viaFileVpb = new FileObject(storage, '\\a.txt');
    viaFileVpb.vpb = storage.vpb;
    assert.equal(IoGetRelatedDeviceObject(viaFileVpb), volumeFilter);
    const viaDeviceVpb = new FileObject(storage, '\\a.txt'); // no VPB of its own: the device's is used
    assert.equal(IoGetRelatedDeviceObject(viaDeviceVpb), volumeFilter);
    io.assertNoLeakedIrps();
  });

  it('otherwise the top of the device’s own stack (a device with no VPB, or a volume not mounted)', () => {
    const io = newIo();
    const { storage, storageFilter } = mountedStorage(io);
    storage.vpb!.flags &= ~VPB_MOUNTED;
    assert.equal(IoGetRelatedDeviceObject(new FileObject(storage, '')), storageFilter);
    const plain = createDevice(createDriver(io, 'plain', completer()));
    assert.equal(IoGetRelatedDeviceObject(new FileObject(plain, '')), plain);
    const plainFilter = attachFilter(io, 'plain filter', plain, skipForwarder());
    assert.equal(IoGetRelatedDeviceObject(new FileObject(plain, '')), plainFilter);
    io.assertNoLeakedIrps();
  });
});
