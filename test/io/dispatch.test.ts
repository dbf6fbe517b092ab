// The dispatch table and the bad input of IoCallDriver: a missing entry, an unknown major function, a
// deleted device, too few stack locations. Each gets its NTSTATUS and never crashes the process.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IoAllocateIrp, IoCallDriver, IoDeleteDevice, IoDetachDevice, IoFreeIrp, IoManager, IRP_MJ_CREATE,
  IRP_MJ_MAXIMUM_FUNCTION, IRP_MJ_READ, IRP_MJ_WRITE, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_PARAMETER,
  STATUS_NO_SUCH_DEVICE, STATUS_SUCCESS, type DispatchRoutine,
} from '../../main/io/index.js';
import {
  assertStatus, assertVerifier, attachFilter, completer, copyForwarder, createDevice, createDriver, lowerOf, newIo,
  onlyCompletion, send, skipForwarder,
} from './helpers.js';

describe('dispatch table', () => {
  it('a missing entry answers STATUS_INVALID_DEVICE_REQUEST', () => {
    const io = newIo();
    const log: string[] = [];
    const device = createDevice(createDriver(io, 'reads only', completer(STATUS_SUCCESS, 0, log), [IRP_MJ_READ]));
    const sent = send(io, device, IRP_MJ_WRITE);
    assertStatus(sent.returned, STATUS_INVALID_DEVICE_REQUEST);
    assertStatus(onlyCompletion(sent).status, STATUS_INVALID_DEVICE_REQUEST);
    assert.deepEqual(log, []);
    assertStatus(onlyCompletion(send(io, device, IRP_MJ_READ)).status, STATUS_SUCCESS);
    assert.deepEqual(log, ['reads only: IRP_MJ_READ']);
    io.assertNoLeakedIrps();
  });

  it('an unknown major function answers STATUS_INVALID_DEVICE_REQUEST, even where the driver filled that slot', () => {
    const io = newIo();
    let called = 0;
    const routine: DispatchRoutine = completer();
    const driver = createDriver(io, 'greedy', (device, irp) => {
      called++;
      return routine(device, irp);
    });
    for (const major of [IRP_MJ_MAXIMUM_FUNCTION + 1, 0x40, -1]) driver.majorFunction[major] = driver.majorFunction[IRP_MJ_READ];
    const device = createDevice(driver);
    for (const major of [IRP_MJ_MAXIMUM_FUNCTION + 1, 0x40, -1, 1.5]) {
      const sent = send(io, device, major);
      assertStatus(sent.returned, STATUS_INVALID_DEVICE_REQUEST, `major ${major}`);
      assertStatus(onlyCompletion(sent).status, STATUS_INVALID_DEVICE_REQUEST);
    }
    assert.equal(called, 0);
    io.assertNoLeakedIrps();
  });
});

describe('requests to a deleted device', () => {
  it('a request to a deleted device answers STATUS_NO_SUCH_DEVICE without reaching its driver', () => {
    const io = newIo();
    const log: string[] = [];
    const device = createDevice(createDriver(io, 'gone', completer(STATUS_SUCCESS, 0, log)));
    IoDeleteDevice(device);
    const sent = send(io, device, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_NO_SUCH_DEVICE);
    assertStatus(onlyCompletion(sent).status, STATUS_NO_SUCH_DEVICE);
    assert.deepEqual(log, []);
    io.assertNoLeakedIrps();
  });

  it('a request to a device being deleted (during its forced-detach cascade) answers STATUS_NO_SUCH_DEVICE', () => {
    const io = newIo();
    const log: string[] = [];
    const v = createDevice(createDriver(io, 'V', completer(STATUS_SUCCESS, 0, log)));
    const a = attachFilter(io, 'A', v, skipForwarder(log));
    const statuses: number[] = [];
    a.driver.fastIoDispatch.fastIoDetachDevice = (source, target) => {
      const sent = send(io, target, IRP_MJ_READ);
      statuses.push(sent.returned, onlyCompletion(sent).status);
      IoDetachDevice(target);
      IoDeleteDevice(source);
    };
    IoDeleteDevice(v);
    assert.deepEqual(statuses, [STATUS_NO_SUCH_DEVICE, STATUS_NO_SUCH_DEVICE]);
    assert.deepEqual(log, []);
    io.assertNoLeakedIrps();
  });

  it('a filter forwarding to a lower device that has been deleted gets STATUS_NO_SUCH_DEVICE back', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    const a = createDevice(createDriver(io, 'A', skipForwarder()));
    a.extension.lower = v; // A forwards to V without being attached (as a driver holding a pointer would)
    IoDeleteDevice(v);
    assertStatus(onlyCompletion(send(io, a, IRP_MJ_READ, { stackSize: 1 })).status, STATUS_NO_SUCH_DEVICE);
    io.assertNoLeakedIrps();
  });
});

describe('too few stack locations', () => {
  it('with the verifier on, an IRP with fewer locations than the target stack is too-few-stack-locations', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const top = attachFilter(io, 'B', attachFilter(io, 'A', bottom, copyForwarder()), copyForwarder());
    for (const stackSize of [1, 2]) {
      const error = assertVerifier(() => send(io, top, IRP_MJ_READ, { stackSize }), 'too-few-stack-locations');
      assert.match(error.message, /stack location/);
    }
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('with the verifier off, the request fails with STATUS_INVALID_PARAMETER instead of crashing', () => {
    const io = new IoManager({ verifier: false });
    const log: string[] = [];
    const bottom = createDevice(createDriver(io, 'C', completer(STATUS_SUCCESS, 0, log)));
    const top = attachFilter(io, 'B', attachFilter(io, 'A', bottom, copyForwarder()), copyForwarder());
    for (const stackSize of [1, 2]) {
      let sent: ReturnType<typeof send> | null = null;
      assert.doesNotThrow(() => (sent = send(io, top, IRP_MJ_READ, { stackSize })));
      assertStatus(sent!.returned, STATUS_INVALID_PARAMETER, `stack size ${stackSize}`);
      assertStatus(onlyCompletion(sent!).status, STATUS_INVALID_PARAMETER);
    }
    assert.deepEqual(log, [], 'no request reached the bottom driver');
    // The same stack works with enough locations.
    assertStatus(onlyCompletion(send(io, top, IRP_MJ_READ)).status, STATUS_SUCCESS);
  });

  it('with the verifier off, IoCallDriver on an IRP with no location left fails it with STATUS_INVALID_PARAMETER', () => {
    const io = new IoManager({ verifier: false });
    const bottom = createDevice(createDriver(io, 'C', completer()));
    // A forwards without preparing a location for the next driver: the single location is its own.
    const a = createDevice(createDriver(io, 'A', (device, irp) => IoCallDriver(lowerOf(device), irp)));
    a.extension.lower = bottom;
    const irp = IoAllocateIrp(io, 1);
    irp.stack[0]!.majorFunction = IRP_MJ_CREATE;
    assertStatus(IoCallDriver(a, irp), STATUS_INVALID_PARAMETER);
    assertStatus(irp.ioStatus.status, STATUS_INVALID_PARAMETER);
    assert.equal(irp.completed, true);
    IoFreeIrp(irp);
  });
});
