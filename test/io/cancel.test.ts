// Cancellation: IoSetCancelRoutine, IoCancelIrp and the cancel-safe queue of the TDI article
// (queue-and-pend, complete exactly once, never twice, disable-and-drain on teardown).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CancelSafeQueue, IoCancelIrp, IoCompleteRequest, IoMarkIrpPending, IoSetCancelRoutine, IRP_MJ_READ, IRP_MJ_WRITE,
  STATUS_CANCELLED, STATUS_DEVICE_NOT_READY, STATUS_PENDING, STATUS_SUCCESS,
  statusName, type CancelRoutine, type DeviceObject, type IoManager, type Irp, type NTSTATUS,
} from '../../main/io/index.js';
import {
  Holder, assertStatus, createDevice, createDriver, nameOf, newIo, onlyCompletion, send, type Sent,
} from './helpers.js';

/** A driver that queues every request in a cancel-safe queue (queue-and-pend). */
class Queuer {
  readonly csq: CancelSafeQueue;
  readonly device: DeviceObject;
  /** Offsets of the IRPs the queue reported cancelled (read while the IRP is still alive). */
  readonly cancelled: number[] = [];

  constructor(io: IoManager) {
    this.csq = new CancelSafeQueue((irp) => this.cancelled.push(offsetOf(irp)));
    this.device = createDevice(createDriver(io, 'queuer', (_device, irp) => this.csq.insert(irp)));
  }

  /** Completes a removed IRP as the driver's own processing would. */
  static finish(irp: Irp, status: NTSTATUS = STATUS_SUCCESS, information = 0): void {
    irp.ioStatus.status = status;
    irp.ioStatus.information = information;
    IoCompleteRequest(irp);
  }
}

function sendMany(io: IoManager, device: DeviceObject, count: number): Sent[] {
  return Array.from({ length: count }, (_, i) => send(io, device, IRP_MJ_READ, {
    prepare: (loc) => (loc.parameters.read = { length: 1, byteOffset: i }),
  }));
}

function offsetOf(irp: Irp): number {
  return irp.stack[irp.currentIndex]!.parameters.read!.byteOffset;
}

describe('IoSetCancelRoutine', () => {
  it('sets the cancel routine of an IRP the caller holds and returns the previous one (null clears it)', () => {
    const io = newIo();
    const holder = new Holder(io);
    send(io, holder.device, IRP_MJ_READ);
    const irp = holder.held[0]!;
    const first: CancelRoutine = () => {};
    const second: CancelRoutine = () => {};
    assert.equal(IoSetCancelRoutine(irp, first), null);
    assert.equal(IoSetCancelRoutine(irp, second), first);
    assert.equal(IoSetCancelRoutine(irp, null), second);
    assert.equal(IoCancelIrp(irp), false, 'no routine left to call');
    holder.complete();
    io.assertNoLeakedIrps();
  });
});

describe('IoCancelIrp', () => {
  it('sets Cancel, clears the cancel routine and calls it once with the holding device; the routine completes with STATUS_CANCELLED', () => {
    const io = newIo();
    const calls: { device: string; routineLeft: CancelRoutine | null; cancel: boolean }[] = [];
    const device = createDevice(createDriver(io, 'D', (_device, irp) => {
      IoMarkIrpPending(irp);
      IoSetCancelRoutine(irp, (routineDevice, cancelled) => {
        calls.push({ device: nameOf(routineDevice), routineLeft: IoSetCancelRoutine(cancelled, null), cancel: cancelled.cancel });
        cancelled.ioStatus.status = STATUS_CANCELLED;
        IoCompleteRequest(cancelled);
      });
      return STATUS_PENDING;
    }));
    const sent = send(io, device, IRP_MJ_READ);
    assert.equal(IoCancelIrp(sent.irp), true);
    assert.deepEqual(calls, [{ device: 'D', routineLeft: null, cancel: true }]);
    const done = onlyCompletion(sent);
    assertStatus(done.status, STATUS_CANCELLED);
    assert.equal(done.cancel, true);
    assert.equal(IoCancelIrp(sent.irp), false, 'a completed (and freed) IRP cannot be cancelled again');
    assert.equal(calls.length, 1);
    io.assertNoLeakedIrps();
  });

  it('without a cancel routine only sets Cancel and returns false; the holder completes the IRP itself', () => {
    const io = newIo();
    const holder = new Holder(io);
    const sent = send(io, holder.device, IRP_MJ_READ);
    assert.equal(IoCancelIrp(sent.irp), false);
    assert.equal(sent.completions.length, 0, 'nothing completed it');
    assert.equal(holder.held[0]!.cancel, true);
    holder.complete(STATUS_CANCELLED);
    const done = onlyCompletion(sent);
    assert.equal(done.cancel, true);
    assertStatus(done.status, STATUS_CANCELLED);
    io.assertNoLeakedIrps();
  });
});

describe('CancelSafeQueue', () => {
  it('insert marks the IRP pending, queues it and returns STATUS_PENDING', () => {
    const io = newIo();
    const q = new Queuer(io);
    const sent = send(io, q.device, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_PENDING);
    assert.equal(q.csq.length, 1);
    assert.equal(sent.completions.length, 0);
    Queuer.finish(q.csq.removeNext()!);
    assert.equal(onlyCompletion(sent).pendingReturned, true, 'insert marked it pending');
    io.assertNoLeakedIrps();
  });

  it('removeNext takes the oldest IRP out and clears its cancel routine, so a later cancel does not complete it', () => {
    const io = newIo();
    const q = new Queuer(io);
    const sent = sendMany(io, q.device, 3);
    const first = q.csq.removeNext()!;
    const second = q.csq.removeNext()!;
    assert.deepEqual([offsetOf(first), offsetOf(second)], [0, 1], 'oldest first');
    assert.equal(q.csq.length, 1);
    // Cancel races with the driver's processing of a removed IRP: it finds no routine, the driver completes it once.
    assert.equal(IoCancelIrp(sent[0]!.irp), false);
    assert.equal(sent[0]!.completions.length, 0);
    Queuer.finish(first, STATUS_SUCCESS, 1);
    const done = onlyCompletion(sent[0]!);
    assertStatus(done.status, STATUS_SUCCESS);
    assert.equal(done.cancel, true);
    assert.deepEqual(q.cancelled, []);
    Queuer.finish(second);
    Queuer.finish(q.csq.removeNext()!);
    assert.equal(q.csq.removeNext(), null, 'empty');
    for (const s of sent) onlyCompletion(s);
    io.assertNoLeakedIrps();
  });

  it('remove takes a given IRP out wherever it is queued; removing it again gives null', () => {
    const io = newIo();
    const q = new Queuer(io);
    const sent = sendMany(io, q.device, 3);
    const middle = q.csq.removeFirst((irp) => offsetOf(irp) === 1)!;
    assert.equal(offsetOf(middle), 1);
    assert.equal(q.csq.remove(middle), null, 'no longer queued');
    assert.equal(q.csq.length, 2);
    Queuer.finish(middle, STATUS_SUCCESS, 11);
    assert.deepEqual(sent.map((x) => x.completions.length), [0, 1, 0]);
    assert.equal(onlyCompletion(sent[1]!).information, 11);
    assert.equal(q.csq.removeFirst(() => false), null);
    const rest = [q.csq.removeNext()!, q.csq.removeNext()!];
    assert.deepEqual(rest.map(offsetOf), [0, 2]);
    for (const irp of rest) Queuer.finish(irp);
    for (const s of sent) onlyCompletion(s);
    io.assertNoLeakedIrps();
  });

  it('cancelling a queued IRP takes it out of the queue and completes it with STATUS_CANCELLED', () => {
    const io = newIo();
    const q = new Queuer(io);
    const sent = sendMany(io, q.device, 2);
    assert.equal(IoCancelIrp(sent[0]!.irp), true);
    assert.equal(q.csq.length, 1);
    assert.deepEqual(q.cancelled, [0], 'the queue told its owner');
    const done = onlyCompletion(sent[0]!);
    assertStatus(done.status, STATUS_CANCELLED);
    assert.equal(done.information, 0);
    assert.equal(done.cancel, true);
    const other = q.csq.removeNext()!;
    assert.equal(offsetOf(other), 1, 'the other IRP stayed queued');
    Queuer.finish(other);
    assertStatus(onlyCompletion(sent[1]!).status, STATUS_SUCCESS);
    io.assertNoLeakedIrps();
  });

  it('an IRP already cancelled when it arrives is not queued: insert completes it with STATUS_CANCELLED', () => {
    const io = newIo();
    const q = new Queuer(io);
    const log: string[] = [];
    const sent = send(io, q.device, IRP_MJ_WRITE, {
      prepare: (_loc, irp) => {
        assert.equal(IoCancelIrp(irp), false, 'no cancel routine yet: only the Cancel flag is set');
      },
      log,
    });
    assertStatus(sent.returned, STATUS_CANCELLED);
    assert.equal(q.csq.length, 0);
    const done = onlyCompletion(sent);
    assertStatus(done.status, STATUS_CANCELLED);
    assert.equal(done.pendingReturned, false, 'completed in the dispatch routine, never pended');
    assert.deepEqual(log, ['creator@null']);
    io.assertNoLeakedIrps();
  });

  it('every IRP completes exactly once when cancel and remove race, in either order', () => {
    const io = newIo();
    const q = new Queuer(io);
    // Cancel first: the remove that follows finds nothing.
    const [a, b] = sendMany(io, q.device, 2);
    const aIrp = q.csq.removeFirst((irp) => offsetOf(irp) === 0);
    assert.ok(aIrp);
    assert.equal(IoCancelIrp(b!.irp), true);
    assert.equal(q.csq.remove(b!.irp), null, 'the cancelled IRP left the queue with the cancel routine');
    assert.equal(q.csq.removeNext(), null);
    // Remove first: the cancel that follows finds no routine; the driver completes.
    assert.equal(IoCancelIrp(a!.irp), false);
    Queuer.finish(aIrp);
    // Cancelling twice calls the routine once.
    const [c] = sendMany(io, q.device, 1);
    assert.equal(IoCancelIrp(c!.irp), true);
    assert.equal(IoCancelIrp(c!.irp), false);
    assert.deepEqual([a, b, c].map((x) => x!.completions.map((done) => statusName(done.status))), [
      ['STATUS_SUCCESS'], ['STATUS_CANCELLED'], ['STATUS_CANCELLED'],
    ]);
    assert.deepEqual(q.cancelled, [1, 0]);
    io.assertNoLeakedIrps();
  });

  it('cancelAll cancels every queued IRP through the cancel path', () => {
    const io = newIo();
    const q = new Queuer(io);
    const sent = sendMany(io, q.device, 3);
    assert.equal(q.csq.cancelAll(), 3);
    assert.equal(q.csq.length, 0);
    assert.deepEqual(sent.map((x) => statusName(onlyCompletion(x).status)), ['STATUS_CANCELLED', 'STATUS_CANCELLED', 'STATUS_CANCELLED']);
    assert.deepEqual(sent.map((x) => onlyCompletion(x).cancel), [true, true, true]);
    io.assertNoLeakedIrps();
  });

  it('disableAndDrain completes every queued IRP with the given status and refuses new ones; enable accepts again', () => {
    const io = newIo();
    const q = new Queuer(io);
    const sent = sendMany(io, q.device, 2);
    assert.equal(q.csq.disableAndDrain(STATUS_DEVICE_NOT_READY), 2);
    assert.equal(q.csq.disabled, true);
    assert.deepEqual(sent.map((x) => statusName(onlyCompletion(x).status)), ['STATUS_DEVICE_NOT_READY', 'STATUS_DEVICE_NOT_READY']);
    assert.deepEqual(q.cancelled, [], 'drained, not cancelled');
    const late = send(io, q.device, IRP_MJ_READ);
    assertStatus(late.returned, STATUS_DEVICE_NOT_READY);
    assertStatus(onlyCompletion(late).status, STATUS_DEVICE_NOT_READY);
    assert.equal(q.csq.length, 0);
    // Draining IRPs are no longer cancellable: their cancel routines were cleared.
    assert.equal(IoCancelIrp(sent[0]!.irp), false);
    q.csq.enable();
    const accepted = send(io, q.device, IRP_MJ_READ);
    assertStatus(accepted.returned, STATUS_PENDING);
    assert.equal(q.csq.disableAndDrain(), 1, 'the default drain status is STATUS_CANCELLED');
    assertStatus(onlyCompletion(accepted).status, STATUS_CANCELLED);
    io.assertNoLeakedIrps();
  });
});
