// Double completion the verifier must name (NT's MULTIPLE_IRP_COMPLETE_REQUESTS), and that never finishes
// an IRP twice even with the verifier off: a completion routine that completes the IRP again and returns
// something other than STATUS_MORE_PROCESSING_REQUIRED, and a driver that completes a master IRP while
// one of its associated IRPs is still outstanding.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IRP_MJ_READ, IoAllocateIrp, IoCallDriver, IoCompleteRequest, IoFreeIrp, IoGetNextIrpStackLocation, IoMakeAssociatedIrp,
  IoManager, IoMarkIrpPending, STATUS_PENDING, STATUS_SUCCESS, VerifierError, rawIrp, type DeviceObject,
} from '../../main/io/index.js';
import {
  Holder, assertStatus, assertVerifier, attachFilter, completer, copyForwarder, createDevice, createDriver, newIo,
  onlyCompletion, send,
} from './helpers.js';

/** A bottom driver that completes at once, under a filter whose routine completes the IRP again and returns STATUS_SUCCESS. */
function recompletingStack(io: IoManager, log: string[]): DeviceObject {
  const bottom = createDevice(createDriver(io, 'bottom', completer()));
  return attachFilter(io, 'filter', bottom, copyForwarder((_device, irp) => {
    log.push('filter routine');
    IoCompleteRequest(irp);
    return STATUS_SUCCESS;
  }));
}

/**
 * Sends a read to `top` as a creator with no completion routine that frees the IRP itself afterwards
 * (IoAllocateIrp's contract), and counts how often the I/O manager finishes it: finishing copies the final
 * status into the user IOSB, once per finish.
 */
function sendCounted(io: IoManager, top: DeviceObject): { finishes: () => number; call: () => void; free: () => void } {
  const irp = IoAllocateIrp(io, top.stackSize);
  irp.stack[0]!.majorFunction = IRP_MJ_READ;
  let finishes = 0;
  let status = STATUS_PENDING;
  rawIrp(irp).userIosb = {
    get status() { return status; },
    set status(value) { finishes++; status = value; },
    information: 0,
  };
  return { finishes: () => finishes, call: () => IoCallDriver(top, irp), free: () => IoFreeIrp(irp) };
}

describe('a completion routine that completes the IRP again', () => {
  it('and returns STATUS_SUCCESS is a double completion (verifier)', () => {
    const io = newIo();
    const log: string[] = [];
    const sent = sendCounted(io, recompletingStack(io, log));
    const error = assertVerifier(sent.call, 'double-completion');
    assert.match(error.message, /returned STATUS_SUCCESS instead of STATUS_MORE_PROCESSING_REQUIRED/);
    assert.deepEqual(log, ['filter routine']);
    assert.equal(sent.finishes(), 1, 'the nested completion finished it; the walk that called the routine did not go on');
    sent.free();
    io.assertNoLeakedIrps();
  });

  it('is finished once with the verifier off: the walk stops where the routine completed it', () => {
    const io = new IoManager({ verifier: false });
    const log: string[] = [];
    const sent = sendCounted(io, recompletingStack(io, log));
    sent.call();
    assert.deepEqual(log, ['filter routine']);
    assert.equal(sent.finishes(), 1);
  });
});

describe('a master IRP completed by a driver while an associated IRP is outstanding', () => {
  /** An FSD that sends one associated read to `holder`, then completes the master itself (the bug). */
  function prematureMasterCompleter(io: IoManager, holder: Holder, errors: unknown[]): DeviceObject {
    return createDevice(createDriver(io, 'fsd', (_device, master) => {
      const piece = IoMakeAssociatedIrp(master, holder.device.stackSize);
      IoGetNextIrpStackLocation(piece).majorFunction = IRP_MJ_READ;
      IoMarkIrpPending(master);
      IoCallDriver(holder.device, piece);
      master.ioStatus.status = STATUS_SUCCESS;
      try {
        IoCompleteRequest(master);
      } catch (error) {
        errors.push(error);
      }
      return STATUS_PENDING;
    }, [IRP_MJ_READ]));
  }

  it('is refused by the verifier at that IoCompleteRequest; the master then completes once, with its last associated IRP', () => {
    const io = newIo();
    const holder = new Holder(io);
    const errors: unknown[] = [];
    const master = send(io, prematureMasterCompleter(io, holder, errors), IRP_MJ_READ);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof VerifierError);
    assert.equal(errors[0].rule, 'complete-master-with-associated-irps', errors[0].message);
    assert.match(errors[0].message, /1 associated IRP\(s\) are still outstanding/);
    assert.equal(master.completions.length, 0);
    holder.complete();
    assertStatus(onlyCompletion(master).status, STATUS_SUCCESS);
    io.assertNoLeakedIrps();
  });

  it('is never finished a second time when the associated IRP completes (verifier off)', () => {
    const io = new IoManager({ verifier: false });
    const holder = new Holder(io);
    const errors: unknown[] = [];
    const master = sendCounted(io, prematureMasterCompleter(io, holder, errors));
    master.call();
    assert.deepEqual(errors, []);
    assert.equal(master.finishes(), 1, 'the driver completed the master');
    holder.complete();
    assert.equal(master.finishes(), 1, 'the associated IRP did not finish the completed master again');
  });
});
