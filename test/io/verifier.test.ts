// The I/O verifier: each broken rule gives a VerifierError naming the rule; the legal patterns of the
// documents (synchronous forward, forward-and-forget, forward-and-post-process) pass without one.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IoAllocateIrp, IoCallDriver, IoCancelIrp, IoCompleteRequest, IoCopyCurrentIrpStackLocationToNext, IoDeleteDevice,
  IoDetachDevice, IoFreeIrp, IoMarkIrpPending, IoSetCancelRoutine, IoSetCompletionRoutine, IoSkipCurrentIrpStackLocation,
  IRP_MJ_READ, IRP_MJ_WRITE, KEvent, STATUS_CANCELLED, STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING, STATUS_SUCCESS,
  VerifierError, type CompletionRoutine, type Irp,
} from '../../main/io/index.js';
import {
  Holder, assertStatus, assertVerifier, attachFilter, completer, copyForwarder, createDevice, createDriver, lowerOf,
  newIo, onlyCompletion, send, skipForwarder,
} from './helpers.js';

/** A filter that skips to the driver below and then, wrongly, touches the IRP it no longer owns. */
function touchingAfterForward(io: ReturnType<typeof newIo>, lower: Parameters<typeof attachFilter>[2], touch: (irp: Irp) => void) {
  return attachFilter(io, 'A', lower, (device, irp) => {
    IoSkipCurrentIrpStackLocation(irp);
    const status = IoCallDriver(lowerOf(device), irp);
    touch(irp);
    return status;
  });
}

describe('verifier: rule breaks', () => {
  it('completing an IRP twice (the same driver) is double-completion', () => {
    const io = newIo();
    const twice = createDevice(createDriver(io, 'twice', (_device, irp) => {
      IoCompleteRequest(irp);
      IoCompleteRequest(irp);
      return STATUS_SUCCESS;
    }));
    assertVerifier(() => send(io, twice, IRP_MJ_READ), 'double-completion');
    io.assertNoLeakedIrps(); // the first completion reached the creator, which freed the IRP
  });

  it('completing an IRP twice (cancel routine and dispatch path both complete) is double-completion', () => {
    const io = newIo();
    let held: Irp | null = null;
    const sloppy = createDevice(createDriver(io, 'sloppy', (_device, irp) => {
      IoMarkIrpPending(irp);
      IoSetCancelRoutine(irp, (_d, cancelled) => {
        cancelled.ioStatus.status = STATUS_CANCELLED;
        IoCompleteRequest(cancelled);
      });
      held = irp;
      return STATUS_PENDING;
    }));
    const sent = send(io, sloppy, IRP_MJ_READ);
    assert.equal(IoCancelIrp(sent.irp), true);
    assertStatus(onlyCompletion(sent).status, STATUS_CANCELLED);
    // The driver forgot to clear its cancel routine and completes the IRP on its own path as well.
    assertVerifier(() => IoCompleteRequest(held!), 'double-completion');
    io.assertNoLeakedIrps();
  });

  it('completing a synchronous request twice is double-completion', () => {
    const io = newIo();
    let held: Irp | null = null;
    const keeper = createDevice(createDriver(io, 'keeper', (_device, irp) => {
      held = irp;
      IoCompleteRequest(irp);
      return STATUS_SUCCESS;
    }));
    const result = send(io, keeper, IRP_MJ_READ);
    onlyCompletion(result);
    assertVerifier(() => IoCompleteRequest(held!), 'double-completion');
    io.assertNoLeakedIrps();
  });

  it('returning STATUS_PENDING without IoMarkIrpPending is pending-without-mark (caught when the IRP completes)', () => {
    const io = newIo();
    let held: Irp | null = null;
    const forgetful = createDevice(createDriver(io, 'forgetful', (_device, irp) => {
      held = irp;
      return STATUS_PENDING;
    }));
    const sent = send(io, forgetful, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_PENDING);
    assertVerifier(() => IoCompleteRequest(held!), 'pending-without-mark');
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('returning STATUS_PENDING without IoMarkIrpPending is pending-without-mark (caught when the dispatch returns)', () => {
    const io = newIo();
    const liar = createDevice(createDriver(io, 'liar', (_device, irp) => {
      IoCompleteRequest(irp);
      return STATUS_PENDING;
    }));
    assertVerifier(() => send(io, liar, IRP_MJ_READ), 'pending-without-mark');
    io.assertNoLeakedIrps();
  });

  it('a completion routine that does not propagate PendingReturned leaves its driver with pending-without-mark', () => {
    const io = newIo();
    const holder = new Holder(io);
    const noPropagation: CompletionRoutine = () => STATUS_SUCCESS;
    const a = attachFilter(io, 'A', holder.device, copyForwarder(noPropagation));
    const sent = send(io, a, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_PENDING);
    assertVerifier(() => holder.complete(), 'pending-without-mark');
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('IoMarkIrpPending and then returning another status is mark-without-pending (completed at once)', () => {
    const io = newIo();
    const marker = createDevice(createDriver(io, 'marker', (_device, irp) => {
      IoMarkIrpPending(irp);
      IoCompleteRequest(irp);
      return STATUS_SUCCESS;
    }));
    assertVerifier(() => send(io, marker, IRP_MJ_READ), 'mark-without-pending');
    io.assertNoLeakedIrps();
  });

  it('IoMarkIrpPending and then returning another status is mark-without-pending (completed later)', () => {
    const io = newIo();
    let held: Irp | null = null;
    const marker = createDevice(createDriver(io, 'marker', (_device, irp) => {
      IoMarkIrpPending(irp);
      held = irp;
      return STATUS_SUCCESS;
    }));
    send(io, marker, IRP_MJ_READ);
    assertVerifier(() => IoCompleteRequest(held!), 'mark-without-pending');
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('a skipping filter must return what IoCallDriver returned: mark-without-pending otherwise', () => {
    const io = newIo();
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, (device, irp) => {
      IoSkipCurrentIrpStackLocation(irp);
      IoCallDriver(lowerOf(device), irp);
      return STATUS_SUCCESS; // the lower driver pended: the location A gave away is marked
    });
    const sent = send(io, a, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_SUCCESS);
    // Caught when the shared location is passed on completion: marked, yet A answered STATUS_SUCCESS.
    assertVerifier(() => holder.complete(), 'mark-without-pending');
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('touching an IRP after IoCallDriver (the lower driver still holds it) is touch-after-forward', () => {
    const io = newIo();
    const holder = new Holder(io);
    const a = touchingAfterForward(io, holder.device, (irp) => { irp.ioStatus.information = 1; });
    assertVerifier(() => send(io, a, IRP_MJ_READ), 'touch-after-forward');
    // The lower driver may still complete it; everything is released.
    holder.complete();
    io.assertNoLeakedIrps();
  });

  it('touching an IRP after IoCallDriver (the IRP already completed) is touch-after-forward', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const a = touchingAfterForward(io, bottom, (irp) => { void irp.ioStatus.status; });
    // The creator frees the IRP only after IoCallDriver returns, so A touches a completed, live IRP.
    const irp = IoAllocateIrp(io, a.stackSize);
    irp.stack[0]!.majorFunction = IRP_MJ_READ;
    const error = assertVerifier(() => IoCallDriver(a, irp), 'touch-after-forward');
    assert.match(error.message, /after it was completed: 'ioStatus'/);
    IoFreeIrp(irp);
    io.assertNoLeakedIrps();
  });

  it('touching an IRP its creator has freed is use-after-free', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const a = touchingAfterForward(io, bottom, (irp) => { void irp.ioStatus.status; });
    // send()'s creator frees the IRP in its completion routine, before A's IoCallDriver returns.
    assertVerifier(() => send(io, a, IRP_MJ_READ), 'use-after-free');
    io.assertNoLeakedIrps();
  });

  it('the creator touching its IRP while a driver holds it is touch-after-forward', () => {
    const io = newIo();
    const holder = new Holder(io);
    const sent = send(io, holder.device, IRP_MJ_READ);
    assertVerifier(() => sent.irp.ioStatus.status, 'touch-after-forward');
    assertVerifier(() => IoFreeIrp(sent.irp), 'touch-after-forward');
    holder.complete();
    io.assertNoLeakedIrps();
  });

  it('completing with STATUS_PENDING as the final status is complete-with-pending', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer(STATUS_PENDING)));
    assertVerifier(() => send(io, bottom, IRP_MJ_READ), 'complete-with-pending');
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('an IRP with too few stack locations is too-few-stack-locations', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const a = attachFilter(io, 'A', bottom, copyForwarder());
    assert.equal(a.stackSize, 2);
    assertVerifier(() => send(io, a, IRP_MJ_READ, { stackSize: 1 }), 'too-few-stack-locations');
    // The rule break abandoned the IRP mid-flight: the verifier reports it at shutdown as well.
    assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
  });

  it('detaching out of order is detach-out-of-order', () => {
    const io = newIo();
    const v = createDevice(createDriver(io, 'V', completer()));
    const a = attachFilter(io, 'A', v, skipForwarder());
    const b = attachFilter(io, 'B', a, skipForwarder());
    assertVerifier(() => IoDetachDevice(v), 'detach-out-of-order');
    assert.equal(v.attachedDevice, a, 'nothing was detached');
    assert.equal(a.attachedDevice, b);
    IoDetachDevice(a);
    IoDetachDevice(v);
    assert.equal(v.attachedDevice, null);
    io.assertNoLeakedIrps();
  });

  it('deleting a device with IRPs outstanding is delete-with-outstanding-irps', () => {
    const io = newIo();
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, skipForwarder());
    send(io, a, IRP_MJ_READ);
    assertVerifier(() => IoDeleteDevice(holder.device), 'delete-with-outstanding-irps');
    assert.equal(holder.device.deleted, false);
    assert.equal(holder.device.deletePending, false, 'the refused delete left the device as it was');
    holder.complete();
    IoDeleteDevice(holder.device);
    assert.equal(holder.device.deleted, true);
    io.assertNoLeakedIrps();
  });

  it('IRPs never freed are leaked-irp at shutdown (io.assertNoLeakedIrps)', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const irp = IoAllocateIrp(io, 1);
    irp.stack[0]!.majorFunction = IRP_MJ_READ;
    assertStatus(IoCallDriver(bottom, irp), STATUS_SUCCESS);
    const error = assertVerifier(() => io.assertNoLeakedIrps(), 'leaked-irp');
    assert.match(error.message, /1 IRP\(s\) never freed/);
    assert.match(error.message, /IRP_MJ_READ/);
    IoFreeIrp(irp); // the creator owns it again after completion
    io.assertNoLeakedIrps();
  });

  it('using an IRP after IoFreeIrp is use-after-free', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const irp = IoAllocateIrp(io, 1);
    IoFreeIrp(irp);
    assertVerifier(() => IoFreeIrp(irp), 'use-after-free');
    assertVerifier(() => IoCallDriver(bottom, irp), 'use-after-free');
    assertVerifier(() => irp.ioStatus.status, 'use-after-free');
    assertVerifier(() => { irp.userBuffer = new Uint8Array(1); }, 'use-after-free');
    io.assertNoLeakedIrps();
  });

  it('a completion routine that frees the IRP must return STATUS_MORE_PROCESSING_REQUIRED: free-without-more-processing', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const irp = IoAllocateIrp(io, 1);
    irp.stack[0]!.majorFunction = IRP_MJ_READ;
    IoSetCompletionRoutine(irp, (_device, view) => {
      IoFreeIrp(view);
      return STATUS_SUCCESS;
    }, null, true, true, true);
    assertVerifier(() => IoCallDriver(bottom, irp), 'free-without-more-processing');
    io.assertNoLeakedIrps();
  });

  it('every VerifierError names its rule in the message', () => {
    const error = new VerifierError('double-completion', 'IRP #1 completed twice');
    assert.equal(error.message, 'I/O verifier: double-completion: IRP #1 completed twice');
    assert.equal(error.name, 'VerifierError');
  });
});

/** The lower driver of a legal-pattern case: one that pends (finished later by `finish`) or one that completes at once. */
function lowerDriver(io: ReturnType<typeof newIo>, lowerPends: boolean, information: number) {
  const holder = new Holder(io);
  const device = lowerPends ? holder.device : createDevice(createDriver(io, 'C', completer(STATUS_SUCCESS, information)));
  return { device, finish: () => { if (lowerPends) holder.complete(STATUS_SUCCESS, information); } };
}

/** How every legal pattern ends: the creator saw one completion with these bytes and this PendingReturned, nothing leaked. */
function assertCompletedOnce(io: ReturnType<typeof newIo>, sent: ReturnType<typeof send>, information: number, pendingReturned: boolean): void {
  const done = onlyCompletion(sent);
  assertStatus(done.status, STATUS_SUCCESS);
  assert.equal(done.information, information);
  assert.equal(done.pendingReturned, pendingReturned);
  io.assertNoLeakedIrps();
}

describe('verifier: legal patterns pass', () => {
  it('synchronous forward: the routine signals a KEvent and returns STATUS_MORE_PROCESSING_REQUIRED, the dispatch resumes after the event and completes again', async () => {
    for (const lowerPends of [true, false]) {
      const io = newIo();
      const log: string[] = [];
      const lower = lowerDriver(io, lowerPends, 100);
      let resumed: Promise<void> | null = null;
      const a = attachFilter(io, 'A', lower.device, (device, irp) => {
        const event = new KEvent();
        IoCopyCurrentIrpStackLocationToNext(irp);
        IoSetCompletionRoutine(irp, (_d, _irp, context) => {
          log.push('routine: signal');
          (context as KEvent).set();
          return STATUS_MORE_PROCESSING_REQUIRED;
        }, event, true, true, true);
        // A dispatch routine cannot block in JS: it pends, and continues once the event is signalled.
        IoMarkIrpPending(irp);
        IoCallDriver(lowerOf(device), irp);
        resumed = (async () => {
          await event.wait();
          log.push(`resumed: ${irp.ioStatus.information} bytes`);
          irp.ioStatus.information += 1; // post-processing, on an IRP A owns again
          IoCompleteRequest(irp);
        })();
        return STATUS_PENDING;
      });
      const sent = send(io, a, IRP_MJ_READ, { log });
      assertStatus(sent.returned, STATUS_PENDING);
      lower.finish();
      await resumed;
      await sent.done.wait();
      assert.deepEqual(log, ['routine: signal', 'resumed: 100 bytes', 'creator@null']);
      assertCompletedOnce(io, sent, 101, true);
    }
  });

  it('marking pending before forwarding and returning STATUS_PENDING whatever the lower driver returned', () => {
    for (const lowerPends of [true, false]) {
      const io = newIo();
      const lower = lowerDriver(io, lowerPends, 4);
      const a = attachFilter(io, 'A', lower.device, (device, irp) => {
        IoMarkIrpPending(irp);
        IoCopyCurrentIrpStackLocationToNext(irp);
        IoCallDriver(lowerOf(device), irp);
        return STATUS_PENDING;
      });
      const sent = send(io, a, IRP_MJ_READ);
      assertStatus(sent.returned, STATUS_PENDING);
      lower.finish();
      assertCompletedOnce(io, sent, 4, true);
    }
  });

  it('forward-and-forget with IoSkipCurrentIrpStackLocation', () => {
    for (const lowerPends of [true, false]) {
      const io = newIo();
      const lower = lowerDriver(io, lowerPends, 5);
      const a = attachFilter(io, 'A', lower.device, skipForwarder());
      const b = attachFilter(io, 'B', a, skipForwarder());
      const sent = send(io, b, IRP_MJ_WRITE);
      assertStatus(sent.returned, lowerPends ? STATUS_PENDING : STATUS_SUCCESS);
      lower.finish();
      assertCompletedOnce(io, sent, 5, lowerPends);
    }
  });

  it('forward-and-post-process with copy and a routine that propagates pending', () => {
    for (const lowerPends of [true, false]) {
      const io = newIo();
      const lower = lowerDriver(io, lowerPends, 8);
      const postProcess: CompletionRoutine = (_device, irp) => {
        if (irp.pendingReturned) IoMarkIrpPending(irp);
        irp.ioStatus.information *= 2;
        return STATUS_SUCCESS;
      };
      const a = attachFilter(io, 'A', lower.device, copyForwarder(postProcess));
      const b = attachFilter(io, 'B', a, copyForwarder(postProcess));
      const sent = send(io, b, IRP_MJ_READ);
      assertStatus(sent.returned, lowerPends ? STATUS_PENDING : STATUS_SUCCESS);
      lower.finish();
      assertCompletedOnce(io, sent, 32, lowerPends);
    }
  });
});
