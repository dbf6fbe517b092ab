// The pending rules: return STATUS_PENDING exactly when the IRP is marked pending, and PendingReturned
// carried up the stack, by completion routines or by the I/O manager where there is no routine.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IoMarkIrpPending, IRP_MJ_READ, STATUS_ACCESS_DENIED, STATUS_PENDING, STATUS_SUCCESS, type CompletionRoutine,
} from '../../main/io/index.js';
import {
  Holder, assertStatus, attachFilter, completer, copyForwarder, createDevice, createDriver, newIo, onlyCompletion,
  send, skipForwarder,
} from './helpers.js';

describe('pending rules', () => {
  it('STATUS_PENDING ⇔ IoMarkIrpPending: a driver that pends marks the IRP, and its caller sees PendingReturned', () => {
    const io = newIo();
    const holder = new Holder(io);
    const sent = send(io, holder.device, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_PENDING);
    assert.equal(sent.completions.length, 0, 'not completed while pending');
    holder.complete(STATUS_SUCCESS, 3);
    const done = onlyCompletion(sent);
    assert.equal(done.pendingReturned, true);
    assert.equal(done.information, 3);
    io.assertNoLeakedIrps();
  });

  it('an IRP completed before its dispatch routine returns is not PendingReturned', () => {
    const io = newIo();
    const bottom = createDevice(createDriver(io, 'C', completer(STATUS_SUCCESS)));
    const sent = send(io, bottom, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_SUCCESS);
    assert.equal(onlyCompletion(sent).pendingReturned, false);
    io.assertNoLeakedIrps();
  });

  it('PendingReturned is propagated by the I/O manager when the forwarding driver set no completion routine', () => {
    const io = newIo();
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, copyForwarder());
    const sent = send(io, a, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_PENDING, 'A returns what IoCallDriver returned');
    holder.complete();
    // A's location was marked by the I/O manager: the verifier accepted A's STATUS_PENDING, and the
    // creator, whose routine reads A's location, sees PendingReturned.
    assert.equal(onlyCompletion(sent).pendingReturned, true);
    io.assertNoLeakedIrps();
  });

  it('PendingReturned is propagated by the I/O manager when the routine of the location is not invoked', () => {
    const io = newIo();
    const holder = new Holder(io);
    let calls = 0;
    const errorOnly: CompletionRoutine = (_device, irp) => {
      calls++;
      if (irp.pendingReturned) IoMarkIrpPending(irp);
      return STATUS_SUCCESS;
    };
    const a = attachFilter(io, 'A', holder.device, copyForwarder(errorOnly, { success: false, error: true, cancel: false }));
    const sent = send(io, a, IRP_MJ_READ);
    holder.complete(STATUS_SUCCESS);
    assert.equal(calls, 0);
    assert.equal(onlyCompletion(sent).pendingReturned, true);
    io.assertNoLeakedIrps();
  });

  it('a forward-and-forget driver (skip) leaves the lower driver’s mark in the location it gave away', () => {
    const io = newIo();
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, skipForwarder());
    const sent = send(io, a, IRP_MJ_READ);
    assertStatus(sent.returned, STATUS_PENDING);
    holder.complete(STATUS_ACCESS_DENIED);
    const done = onlyCompletion(sent);
    assert.equal(done.pendingReturned, true);
    assertStatus(done.status, STATUS_ACCESS_DENIED);
    io.assertNoLeakedIrps();
  });

  it('PendingReturned is propagated by completion routines: the routine sees it and marks its own location', () => {
    const io = newIo();
    const seen: boolean[] = [];
    const propagate: CompletionRoutine = (_device, irp) => {
      seen.push(irp.pendingReturned);
      if (irp.pendingReturned) IoMarkIrpPending(irp);
      return STATUS_SUCCESS;
    };
    const holder = new Holder(io);
    const pending = attachFilter(io, 'A', holder.device, copyForwarder(propagate));
    const pendingSent = send(io, pending, IRP_MJ_READ);
    holder.complete();
    const sync = attachFilter(io, 'B', createDevice(createDriver(io, 'C', completer())), copyForwarder(propagate));
    const syncSent = send(io, sync, IRP_MJ_READ);
    assert.deepEqual(seen, [true, false], 'true below a pending driver, false below one that completed at once');
    assert.equal(onlyCompletion(pendingSent).pendingReturned, true);
    assert.equal(onlyCompletion(syncSent).pendingReturned, false);
    assertStatus(syncSent.returned, STATUS_SUCCESS);
    io.assertNoLeakedIrps();
  });
});
