// Building and freeing IRPs: IoAllocateIrp, IoBuildSynchronousFsdRequest, IoBuildAsynchronousFsdRequest,
// IoBuildDeviceIoControlRequest, IoMakeAssociatedIrp and IoFreeIrp.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IoAllocateIrp, IoBuildAsynchronousFsdRequest, IoBuildDeviceIoControlRequest, IoBuildSynchronousFsdRequest,
  IoCallDriver, IoCompleteRequest, IoDeleteDevice, IoFreeIrp, IoGetCurrentIrpStackLocation, IoGetNextIrpStackLocation,
  IoMakeAssociatedIrp, IoManager, IoMarkIrpPending, IoSetCompletionRoutine, IRP_MJ_CREATE, IRP_MJ_DEVICE_CONTROL,
  IRP_MJ_FLUSH_BUFFERS, IRP_MJ_INTERNAL_DEVICE_CONTROL, IRP_MJ_READ, IRP_MJ_WRITE, KEvent,
  STATUS_BUFFER_OVERFLOW, STATUS_INVALID_PARAMETER, STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING, STATUS_SUCCESS,
  type DeviceObject, type IoStatusBlock, type Irp,
} from '../../main/io/index.js';
import {
  Holder, assertNtStatusError, assertStatus, assertVerifier, attachFilter, completer, copyForwarder, createDevice, createDriver, newIo,
  nameOf, onlyCompletion, send,
} from './helpers.js';


/** A bottom driver that answers reads with bytes 1, 2, 3, ... and records what it was asked. */
function reader(io: IoManager, asked: { length: number; byteOffset: number }[]): DeviceObject {
  return createDevice(createDriver(io, 'reader', (_device, irp) => {
    const read = IoGetCurrentIrpStackLocation(irp).parameters.read!;
    asked.push({ ...read });
    const buffer = irp.userBuffer!;
    for (let i = 0; i < read.length; i++) buffer[i] = i + 1;
    irp.ioStatus.status = STATUS_SUCCESS;
    irp.ioStatus.information = read.length;
    IoCompleteRequest(irp);
    return STATUS_SUCCESS;
  }));
}

describe('IoAllocateIrp', () => {
  it('allocates the requested number of stack locations, with no current location for the creator', () => {
    const io = newIo();
    const irp = IoAllocateIrp(io, 3);
    assert.equal(irp.stackCount, 3);
    assert.equal(irp.stack.length, 3);
    assert.equal(irp.currentIndex, -1);
    assert.equal(IoGetNextIrpStackLocation(irp), irp.stack[0], "the creator fills the first driver's location");
    assertVerifier(() => IoGetCurrentIrpStackLocation(irp), 'no-current-stack-location');
    IoFreeIrp(irp);
    io.assertNoLeakedIrps();
  });

  it('refuses a stack size that is not a positive integer with STATUS_INVALID_PARAMETER', () => {
    const io = newIo();
    for (const size of [0, -1, 1.5, Number.NaN]) assertNtStatusError(() => IoAllocateIrp(io, size), STATUS_INVALID_PARAMETER);
    io.assertNoLeakedIrps();
  });
});

describe('KEvent', () => {
  it('wakes every waiter when set, stays set until reset, and blocks again after a reset', async () => {
    const event = new KEvent();
    const woke: string[] = [];
    const waiters = [event.wait().then(() => woke.push('first')), event.wait().then(() => woke.push('second'))];
    await Promise.resolve();
    assert.deepEqual(woke, [], 'nobody wakes before set');
    event.set();
    await Promise.all(waiters);
    assert.deepEqual(woke, ['first', 'second']);
    assert.equal(event.isSet, true);
    await event.wait(); // already set: returns at once
    event.reset();
    let late = false;
    const pending = event.wait().then(() => (late = true));
    await Promise.resolve();
    assert.equal(late, false);
    event.set();
    await pending;
    assert.equal(late, true);
  });
});

describe('IoBuildSynchronousFsdRequest', () => {
  it('signals the event and fills the caller’s IO_STATUS_BLOCK when the IRP completes, then frees it', async () => {
    const io = newIo();
    const holder = new Holder(io);
    const event = new KEvent();
    const iosb: IoStatusBlock = { status: -1, information: -1 };
    const buffer = new Uint8Array(8);
    const irp = IoBuildSynchronousFsdRequest(IRP_MJ_WRITE, holder.device, buffer, 8, 512, event, iosb);
    assertStatus(IoCallDriver(holder.device, irp), STATUS_PENDING);
    assert.equal(event.isSet, false);
    assert.deepEqual(iosb, { status: -1, information: -1 }, 'nothing is reported before completion');
    const loc = holder.held[0]!.stack[0]!;
    assert.equal(loc.majorFunction, IRP_MJ_WRITE);
    assert.deepEqual(loc.parameters.write, { length: 8, byteOffset: 512 });
    assert.equal(holder.held[0]!.userBuffer, buffer);
    holder.complete(STATUS_BUFFER_OVERFLOW, 6);
    await event.wait();
    assert.deepEqual(iosb, { status: STATUS_BUFFER_OVERFLOW, information: 6 });
    io.assertNoLeakedIrps(); // freed by the I/O manager
    assertVerifier(() => IoFreeIrp(irp), 'use-after-free');
  });

  it('a request completed at once has its event already signalled when IoCallDriver returns', () => {
    const io = newIo();
    const asked: { length: number; byteOffset: number }[] = [];
    const device = reader(io, asked);
    const event = new KEvent();
    const iosb: IoStatusBlock = { status: -1, information: -1 };
    const buffer = new Uint8Array(4);
    const irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, device, buffer, 4, 100, event, iosb);
    assertStatus(IoCallDriver(device, irp), STATUS_SUCCESS);
    assert.equal(event.isSet, true);
    assert.deepEqual(iosb, { status: STATUS_SUCCESS, information: 4 });
    assert.deepEqual([...buffer], [1, 2, 3, 4]);
    assert.deepEqual(asked, [{ length: 4, byteOffset: 100 }]);
    io.assertNoLeakedIrps();
  });

  it('allocates as many stack locations as the target stack needs', () => {
    const io = newIo();
    const asked: { length: number; byteOffset: number }[] = [];
    const top = attachFilter(io, 'B', attachFilter(io, 'A', reader(io, asked), copyForwarder()), copyForwarder());
    const event = new KEvent();
    const iosb: IoStatusBlock = { status: -1, information: -1 };
    const irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, top, new Uint8Array(2), 2, 0, event, iosb);
    assert.equal(irp.stackCount, 3);
    IoCallDriver(top, irp);
    assert.deepEqual(iosb, { status: STATUS_SUCCESS, information: 2 });
    io.assertNoLeakedIrps();
  });

  it('builds only read, write, flush and shutdown requests (STATUS_INVALID_PARAMETER otherwise)', () => {
    const io = newIo();
    const device = createDevice(createDriver(io, 'C', completer()));
    assertNtStatusError(() => IoBuildSynchronousFsdRequest(IRP_MJ_CREATE, device, null, 0, 0, new KEvent(), { status: 0, information: 0 }), STATUS_INVALID_PARAMETER);
    const event = new KEvent();
    const iosb: IoStatusBlock = { status: -1, information: -1 };
    IoCallDriver(device, IoBuildSynchronousFsdRequest(IRP_MJ_FLUSH_BUFFERS, device, null, 0, 0, event, iosb));
    assert.deepEqual(iosb, { status: STATUS_SUCCESS, information: 0 });
    io.assertNoLeakedIrps();
  });
});

describe('IoBuildAsynchronousFsdRequest', () => {
  it("is freed by the caller's completion routine, which returns STATUS_MORE_PROCESSING_REQUIRED", () => {
    const io = newIo();
    const holder = new Holder(io);
    const irp = IoBuildAsynchronousFsdRequest(IRP_MJ_READ, holder.device, new Uint8Array(16), 16, 0);
    const seen: { device: DeviceObject | null; status: number; information: number }[] = [];
    IoSetCompletionRoutine(irp, (device, view) => {
      seen.push({ device, status: view.ioStatus.status, information: view.ioStatus.information });
      IoFreeIrp(view);
      return STATUS_MORE_PROCESSING_REQUIRED;
    }, null, true, true, true);
    assertStatus(IoCallDriver(holder.device, irp), STATUS_PENDING);
    holder.complete(STATUS_SUCCESS, 16);
    assert.deepEqual(seen, [{ device: null, status: STATUS_SUCCESS, information: 16 }]);
    io.assertNoLeakedIrps();
    // The device is no longer counted as holding the freed IRP: it can be deleted.
    IoDeleteDevice(holder.device);
    assert.equal(holder.device.deleted, true);
  });

  it('without a routine, the caller owns it again after completion and frees it', () => {
    const io = newIo();
    const asked: { length: number; byteOffset: number }[] = [];
    const device = reader(io, asked);
    const buffer = new Uint8Array(3);
    const irp = IoBuildAsynchronousFsdRequest(IRP_MJ_READ, device, buffer, 3, 7);
    assertStatus(IoCallDriver(device, irp), STATUS_SUCCESS);
    assert.equal(irp.ioStatus.information, 3);
    assert.deepEqual([...buffer], [1, 2, 3]);
    assert.deepEqual(asked, [{ length: 3, byteOffset: 7 }]);
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
    IoFreeIrp(irp);
    io.assertNoLeakedIrps();
  });
});

describe('IoBuildDeviceIoControlRequest', () => {
  /** A driver that answers IOCTL 0x222000 with the input bytes reversed, into the output buffer. */
  function reverser(io: IoManager, into: 'output' | 'input', information?: number): DeviceObject {
    return createDevice(createDriver(io, 'ioctl', (_device, irp) => {
      const loc = IoGetCurrentIrpStackLocation(irp);
      const { inputBufferLength, outputBufferLength, ioControlCode } = loc.parameters.deviceIoControl!;
      assert.equal(ioControlCode, 0x222000);
      const input = irp.inputBuffer!;
      const answer = [...input.subarray(0, inputBufferLength)].reverse();
      const target = into === 'output' ? irp.outputBuffer! : input;
      target.set(answer.slice(0, into === 'output' ? outputBufferLength : inputBufferLength));
      irp.ioStatus.status = STATUS_SUCCESS;
      irp.ioStatus.information = information ?? answer.length;
      IoCompleteRequest(irp);
      return STATUS_SUCCESS;
    }, [IRP_MJ_DEVICE_CONTROL, IRP_MJ_INTERNAL_DEVICE_CONTROL]));
  }

  it('gives the driver a private copy of the input and a distinct output buffer for the answer', () => {
    const io = newIo();
    const device = reverser(io, 'output');
    const input = new Uint8Array([1, 2, 3]);
    const output = new Uint8Array(3);
    const event = new KEvent();
    const iosb: IoStatusBlock = { status: -1, information: -1 };
    const irp = IoBuildDeviceIoControlRequest(0x222000, device, input, output, false, event, iosb);
    assert.notEqual(irp.inputBuffer, input, 'the driver reads a copy');
    assert.notEqual(irp.inputBuffer, irp.outputBuffer);
    assert.equal(irp.stack[0]!.majorFunction, IRP_MJ_DEVICE_CONTROL);
    assert.deepEqual(irp.stack[0]!.parameters.deviceIoControl, { ioControlCode: 0x222000, inputBufferLength: 3, outputBufferLength: 3 });
    IoCallDriver(device, irp);
    assert.equal(event.isSet, true);
    assert.deepEqual(iosb, { status: STATUS_SUCCESS, information: 3 });
    assert.deepEqual([...output], [3, 2, 1]);
    assert.deepEqual([...input], [1, 2, 3], "the caller's input is untouched");
    io.assertNoLeakedIrps();
  });

  it('builds IRP_MJ_INTERNAL_DEVICE_CONTROL when asked for an internal request', () => {
    const io = newIo();
    const device = reverser(io, 'output');
    const irp = IoBuildDeviceIoControlRequest(0x222000, device, new Uint8Array([9]), new Uint8Array(1), true, new KEvent(), { status: 0, information: 0 });
    assert.equal(irp.stack[0]!.majorFunction, IRP_MJ_INTERNAL_DEVICE_CONTROL);
    IoCallDriver(device, irp);
    io.assertNoLeakedIrps();
  });

  it('the verifier catches an answer written into the input buffer (answer-in-input-buffer)', () => {
    const io = newIo();
    const device = reverser(io, 'input');
    const irp = IoBuildDeviceIoControlRequest(0x222000, device, new Uint8Array([1, 2, 3]), new Uint8Array(3), false, new KEvent(), { status: 0, information: 0 });
    const error = assertVerifier(() => IoCallDriver(device, irp), 'answer-in-input-buffer');
    assert.match(error.message, /byte 0/);
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('the verifier catches an answer longer than the output buffer (information-exceeds-output)', () => {
    const io = newIo();
    const device = reverser(io, 'output', 10);
    const irp = IoBuildDeviceIoControlRequest(0x222000, device, new Uint8Array([1, 2]), new Uint8Array(2), false, new KEvent(), { status: 0, information: 0 });
    assertVerifier(() => IoCallDriver(device, irp), 'information-exceeds-output');
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });
});

describe('IoMakeAssociatedIrp', () => {
  /**
   * A driver that splits each read into `pieces` associated reads sent to `lower`, and lets the I/O
   * manager complete the master when the last of them completes.
   */
  function splitter(io: IoManager, lower: DeviceObject, pieces: number, log: string[]): DeviceObject {
    return createDevice(createDriver(io, 'splitter', (_device, master) => {
      const read = IoGetCurrentIrpStackLocation(master).parameters.read!;
      const size = read.length / pieces;
      const associated: Irp[] = [];
      for (let i = 0; i < pieces; i++) {
        const piece = IoMakeAssociatedIrp(master, lower.stackSize);
        const loc = IoGetNextIrpStackLocation(piece);
        loc.majorFunction = IRP_MJ_READ;
        loc.parameters.read = { length: size, byteOffset: read.byteOffset + i * size };
        // The creator of an associated IRP has no location of its own: its routine only records.
        IoSetCompletionRoutine(piece, (device) => {
          log.push(`piece ${i}@${nameOf(device)}`);
          return STATUS_SUCCESS;
        }, null, true, true, true);
        associated.push(piece);
      }
      master.ioStatus.status = STATUS_SUCCESS;
      master.ioStatus.information = read.length;
      assert.equal(master.irpCount, pieces);
      // The master may complete inside the last IoCallDriver: mark it pending before sending anything.
      IoMarkIrpPending(master);
      for (const piece of associated) IoCallDriver(lower, piece);
      return STATUS_PENDING;
    }, [IRP_MJ_READ]));
  }

  it('the master completes when its last associated IRP does', () => {
    const io = newIo();
    const log: string[] = [];
    const holder = new Holder(io);
    const master = send(io, splitter(io, holder.device, 3, log), IRP_MJ_READ, {
      prepare: (loc) => (loc.parameters.read = { length: 300, byteOffset: 1000 }),
      log,
    });
    assertStatus(master.returned, STATUS_PENDING);
    assert.deepEqual(holder.held.map((irp) => irp.stack[0]!.parameters.read), [
      { length: 100, byteOffset: 1000 }, { length: 100, byteOffset: 1100 }, { length: 100, byteOffset: 1200 },
    ]);
    holder.complete(STATUS_SUCCESS, 100);
    holder.complete(STATUS_SUCCESS, 100);
    assert.deepEqual(log, ['piece 0@null', 'piece 1@null']);
    assert.equal(master.completions.length, 0, 'two of three done: the master is still pending');
    holder.complete(STATUS_SUCCESS, 100);
    assert.deepEqual(log, ['piece 0@null', 'piece 1@null', 'piece 2@null', 'creator@null']);
    const done = onlyCompletion(master);
    assertStatus(done.status, STATUS_SUCCESS);
    assert.equal(done.information, 300);
    assert.equal(done.pendingReturned, true);
    io.assertNoLeakedIrps(); // associated IRPs are freed by the I/O manager
  });

  it('an associated IRP whose routine returns STATUS_MORE_PROCESSING_REQUIRED does not count down its master', () => {
    const io = newIo();
    const holder = new Holder(io);
    let held: Irp | null = null;
    const fsd = createDevice(createDriver(io, 'fsd', (_device, master) => {
      const piece = IoMakeAssociatedIrp(master, holder.device.stackSize);
      IoGetNextIrpStackLocation(piece).majorFunction = IRP_MJ_READ;
      IoSetCompletionRoutine(piece, (_d, view) => {
        held = view;
        return STATUS_MORE_PROCESSING_REQUIRED;
      }, null, true, true, true);
      IoMarkIrpPending(master);
      IoCallDriver(holder.device, piece);
      return STATUS_PENDING;
    }));
    const master = send(io, fsd, IRP_MJ_READ);
    holder.complete();
    assert.ok(held);
    assert.equal(master.completions.length, 0, 'the routine kept the associated IRP: the master waits');
    IoCompleteRequest(held);
    assertStatus(onlyCompletion(master).status, STATUS_SUCCESS);
    io.assertNoLeakedIrps();
  });

  it('an associated IRP cannot be a master', () => {
    const io = newIo();
    const holder = new Holder(io);
    let refused: unknown = null;
    const fsd = createDevice(createDriver(io, 'fsd', (_device, master) => {
      const piece = IoMakeAssociatedIrp(master, holder.device.stackSize);
      try {
        IoMakeAssociatedIrp(piece, 1);
      } catch (error) {
        refused = error;
      }
      IoGetNextIrpStackLocation(piece).majorFunction = IRP_MJ_READ;
      IoMarkIrpPending(master);
      IoCallDriver(holder.device, piece);
      return STATUS_PENDING;
    }));
    const master = send(io, fsd, IRP_MJ_READ);
    assert.ok(refused instanceof Error && 'rule' in refused);
    assert.equal((refused as { rule: string }).rule, 'associated-irp-as-master');
    holder.complete();
    assertStatus(onlyCompletion(master).status, STATUS_SUCCESS);
    io.assertNoLeakedIrps();
  });

  it('an associated IRP cannot be a master (verifier off: STATUS_INVALID_PARAMETER)', () => {
    const io = new IoManager({ verifier: false });
    const master = IoAllocateIrp(io, 1);
    const piece = IoMakeAssociatedIrp(master, 1);
    assertNtStatusError(() => IoMakeAssociatedIrp(piece, 1), STATUS_INVALID_PARAMETER);
    assert.equal(master.irpCount, 1, 'the refused call did not count another associated IRP');
  });
});

describe('IoFreeIrp', () => {
  it('releases an IRP its creator owns; any later use is use-after-free', () => {
    const io = newIo();
    const irp = IoAllocateIrp(io, 2);
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
    IoFreeIrp(irp);
    io.assertNoLeakedIrps();
    assertVerifier(() => IoFreeIrp(irp), 'use-after-free');
  });

  it('cannot free an IRP a driver still holds', () => {
    const io = newIo();
    const holder = new Holder(io);
    const irp = IoAllocateIrp(io, 1);
    irp.stack[0]!.majorFunction = IRP_MJ_READ;
    IoCallDriver(holder.device, irp);
    assertVerifier(() => IoFreeIrp(irp), 'touch-after-forward');
    holder.complete();
    IoFreeIrp(irp);
    io.assertNoLeakedIrps();
  });
});
