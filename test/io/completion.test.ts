// Completion: IoCallDriver, IoCompleteRequest, IoSetCompletionRoutine and the two ways of passing an IRP
// down (copy, skip), as FSI ch. 12 describes them.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  IoCallDriver, IoCompleteRequest, IoCopyCurrentIrpStackLocationToNext, IoGetCurrentIrpStackLocation,
  IoGetNextIrpStackLocation, IoMarkIrpPending, IoSetCompletionRoutine,
  IRP_MJ_READ, IRP_MJ_WRITE, IRP_MN_QUERY_DIRECTORY, FileObject, SL_INVOKE_ON_CANCEL, SL_INVOKE_ON_ERROR,
  SL_INVOKE_ON_SUCCESS, STATUS_ACCESS_DENIED, STATUS_BUFFER_OVERFLOW, STATUS_CANCELLED, STATUS_END_OF_FILE,
  STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING, STATUS_SUCCESS, IoCancelIrp,
  type CompletionRoutine, type Irp, type IoStackLocation,
} from '../../main/io/index.js';
import {
  Holder, assertStatus, attachFilter, completer, copyForwarder, createDevice, createDriver, lowerOf, nameOf, newIo,
  onlyCompletion, recordingRoutine, send, skipForwarder,
} from './helpers.js';

describe('IoCallDriver', () => {
  it('gives the target the next stack location, records the target in it and returns what the dispatch routine returns', () => {
    const io = newIo();
    const seen: { index: number; locDevice: unknown }[] = [];
    const driver = createDriver(io, 'bottom', (device, irp) => {
      seen.push({ index: irp.currentIndex, locDevice: IoGetCurrentIrpStackLocation(irp).deviceObject === device });
      irp.ioStatus.status = STATUS_END_OF_FILE;
      IoCompleteRequest(irp);
      return STATUS_END_OF_FILE;
    });
    const bottom = createDevice(driver);
    const sent = send(io, bottom, IRP_MJ_READ);
    assert.deepEqual(seen, [{ index: 0, locDevice: true }]);
    assertStatus(sent.returned, STATUS_END_OF_FILE);
    assertStatus(onlyCompletion(sent).status, STATUS_END_OF_FILE);
    io.assertNoLeakedIrps();
  });
});

describe('IoCompleteRequest', () => {
  it('runs completion routines in LIFO order of stack locations', () => {
    const io = newIo();
    const log: string[] = [];
    const bottom = createDevice(createDriver(io, 'C', completer(STATUS_SUCCESS, 7, log)));
    const a = attachFilter(io, 'A', bottom, copyForwarder(recordingRoutine(log, 'routine of A'), undefined, log));
    const h = attachFilter(io, 'H', a, copyForwarder(recordingRoutine(log, 'routine of H'), undefined, log));
    const sent = send(io, h, IRP_MJ_READ, { log });
    assert.deepEqual(log, [
      'H: copy', 'A: copy', 'C: IRP_MJ_READ',
      'routine of A@A', 'routine of H@H', 'creator@null',
    ]);
    assert.equal(onlyCompletion(sent).information, 7);
    io.assertNoLeakedIrps();
  });

  it("passes the setter's device object, and null when the setter had no stack location", () => {
    const io = newIo();
    const devices: { label: string; device: unknown }[] = [];
    const capture = (label: string): CompletionRoutine => (device, irp) => {
      devices.push({ label, device });
      if (irp.pendingReturned) IoMarkIrpPending(irp);
      return STATUS_SUCCESS;
    };
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, copyForwarder(capture('A')));
    const sent = send(io, a, IRP_MJ_READ);
    holder.complete();
    assert.equal(devices.length, 1);
    assert.equal(devices[0]!.device, a, "A's routine gets A's device, not the device that completed the IRP");
    assert.notEqual(devices[0]!.device, holder.device);
    assert.equal(onlyCompletion(sent).device, null, "the creator had no stack location of its own: it gets null");
    io.assertNoLeakedIrps();
  });

  it('SL_INVOKE_ON_ERROR gates a routine on failure only', () => {
    const io = newIo();
    const log: string[] = [];
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, copyForwarder(recordingRoutine(log, 'error-only'), { success: false, error: true, cancel: false }));
    const ok = send(io, a, IRP_MJ_READ);
    holder.complete(STATUS_SUCCESS);
    assert.deepEqual(log, [], 'not invoked on success');
    const failed = send(io, a, IRP_MJ_READ);
    holder.complete(STATUS_ACCESS_DENIED);
    assert.deepEqual(log, ['error-only@A'], 'invoked on failure');
    assertStatus(onlyCompletion(ok).status, STATUS_SUCCESS);
    assertStatus(onlyCompletion(failed).status, STATUS_ACCESS_DENIED);
    io.assertNoLeakedIrps();
  });

  it('SL_INVOKE_ON_SUCCESS gates a routine on success only; a warning status is not success', () => {
    const io = newIo();
    const log: string[] = [];
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, copyForwarder(recordingRoutine(log, 'success-only'), { success: true, error: false, cancel: false }));
    send(io, a, IRP_MJ_READ);
    holder.complete(STATUS_ACCESS_DENIED);
    send(io, a, IRP_MJ_READ);
    holder.complete(STATUS_BUFFER_OVERFLOW);
    assert.deepEqual(log, [], 'not invoked on an error nor on a warning (NT_SUCCESS is false for both)');
    send(io, a, IRP_MJ_READ);
    holder.complete(STATUS_SUCCESS);
    assert.deepEqual(log, ['success-only@A']);
    io.assertNoLeakedIrps();
  });

  it('SL_INVOKE_ON_CANCEL runs a routine for a cancelled IRP whatever its status, and only then', () => {
    const io = newIo();
    const log: string[] = [];
    const holder = new Holder(io);
    const a = attachFilter(io, 'A', holder.device, copyForwarder(recordingRoutine(log, 'cancel-only'), { success: false, error: false, cancel: true }));
    send(io, a, IRP_MJ_READ);
    holder.complete(STATUS_CANCELLED);
    assert.deepEqual(log, [], 'a STATUS_CANCELLED completion without Irp->Cancel does not invoke it');
    const cancelled = send(io, a, IRP_MJ_READ);
    IoCancelIrp(holder.held[0]!);
    holder.complete(STATUS_SUCCESS);
    assert.deepEqual(log, ['cancel-only@A'], 'Cancel set: invoked even though the status is a success');
    assert.equal(onlyCompletion(cancelled).cancel, true);
    io.assertNoLeakedIrps();
  });

  it('STATUS_MORE_PROCESSING_REQUIRED stops completion; the next IoCompleteRequest resumes at the owner', () => {
    const io = newIo();
    const log: string[] = [];
    const holder = new Holder(io, 'C');
    let kept: Irp | null = null;
    const keep: CompletionRoutine = (device, irp) => {
      log.push(`routine of B@${nameOf(device)}`);
      if (irp.pendingReturned) IoMarkIrpPending(irp);
      kept = irp;
      return STATUS_MORE_PROCESSING_REQUIRED;
    };
    const b = attachFilter(io, 'B', holder.device, copyForwarder(keep));
    const a = attachFilter(io, 'A', b, copyForwarder(recordingRoutine(log, 'routine of A')));
    const sent = send(io, a, IRP_MJ_READ, { log });
    assertStatus(sent.returned, STATUS_PENDING);
    holder.complete(STATUS_SUCCESS, 10);
    assert.deepEqual(log, ['routine of B@B'], 'the walk stopped at B: A and the creator have not been called');
    assert.equal(sent.completions.length, 0);
    assert.ok(kept);
    const owned: Irp = kept;
    // B owns the IRP again: it may change the result before completing it a second time.
    assert.equal(IoGetCurrentIrpStackLocation(owned).deviceObject, b, "the IRP's current location is B's again");
    owned.ioStatus.information = 42;
    IoCompleteRequest(owned);
    assert.deepEqual(log, ['routine of B@B', 'routine of A@A', 'creator@null'], "resumed at B's location: A's routine, then the creator");
    const done = onlyCompletion(sent);
    assertStatus(done.status, STATUS_SUCCESS);
    assert.equal(done.information, 42);
    io.assertNoLeakedIrps();
  });
});

describe('IoSetCompletionRoutine', () => {
  it("stores the routine, its context and the SL_INVOKE_ON_* flags in the next driver's location, not the caller's", () => {
    const io = newIo();
    const routine: CompletionRoutine = () => STATUS_SUCCESS;
    let checked = false;
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const a = attachFilter(io, 'A', bottom, (device, irp) => {
      IoCopyCurrentIrpStackLocationToNext(irp);
      IoSetCompletionRoutine(irp, routine, 'ctx', true, false, true);
      const next = IoGetNextIrpStackLocation(irp);
      assert.equal(next.completionRoutine, routine);
      assert.equal(next.context, 'ctx');
      assert.equal(next.control, SL_INVOKE_ON_SUCCESS | SL_INVOKE_ON_CANCEL);
      assert.equal(next.control & SL_INVOKE_ON_ERROR, 0);
      // The caller's own location keeps what its caller (here the creator) put there.
      assert.notEqual(IoGetCurrentIrpStackLocation(irp).completionRoutine, routine);
      assert.notEqual(IoGetCurrentIrpStackLocation(irp).context, 'ctx');
      checked = true;
      return IoCallDriver(lowerOf(device), irp);
    });
    onlyCompletion(send(io, a, IRP_MJ_READ));
    assert.ok(checked);
    io.assertNoLeakedIrps();
  });
});

describe('IoCopyCurrentIrpStackLocationToNext', () => {
  it('does not copy the completion routine (no double completion)', () => {
    const io = newIo();
    const log: string[] = [];
    let nextAfterCopy: IoStackLocation | null = null;
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const a = attachFilter(io, 'A', bottom, (device, irp) => {
      IoCopyCurrentIrpStackLocationToNext(irp);
      nextAfterCopy = IoGetNextIrpStackLocation(irp);
      assert.equal(nextAfterCopy.completionRoutine, null);
      assert.equal(nextAfterCopy.context, null);
      assert.equal(nextAfterCopy.control, 0);
      return IoCallDriver(lowerOf(device), irp);
    });
    // H's routine lives in A's location; a copy that carried it down would run it twice.
    const h = attachFilter(io, 'H', a, copyForwarder(recordingRoutine(log, 'routine of H')));
    onlyCompletion(send(io, h, IRP_MJ_READ));
    assert.deepEqual(log, ['routine of H@H']);
    assert.ok(nextAfterCopy);
    io.assertNoLeakedIrps();
  });

  it('copies the function codes, the parameters (as a copy) and the file object', () => {
    const io = newIo();
    const fileObject = new FileObject(createDevice(io.createDriver('volume')), '\\dir');
    const seen: { major: number; minor: number; same: boolean; equal: boolean; file: boolean }[] = [];
    const bottom = createDevice(createDriver(io, 'C', completer()));
    const a = attachFilter(io, 'A', bottom, (device, irp) => {
      IoCopyCurrentIrpStackLocationToNext(irp);
      const current = IoGetCurrentIrpStackLocation(irp);
      const next = IoGetNextIrpStackLocation(irp);
      seen.push({
        major: next.majorFunction,
        minor: next.minorFunction,
        same: next.parameters.write === current.parameters.write,
        equal: JSON.stringify(next.parameters) === JSON.stringify(current.parameters),
        file: next.fileObject === fileObject,
      });
      next.parameters.write!.byteOffset = 999; // the lower driver's copy; the caller's stays as it was
      assert.equal(current.parameters.write!.byteOffset, 4096);
      return IoCallDriver(lowerOf(device), irp);
    });
    onlyCompletion(send(io, a, IRP_MJ_WRITE, {
      prepare: (loc) => {
        loc.minorFunction = IRP_MN_QUERY_DIRECTORY;
        loc.parameters.write = { length: 512, byteOffset: 4096 };
        loc.fileObject = fileObject;
      },
    }));
    assert.deepEqual(seen, [{ major: IRP_MJ_WRITE, minor: IRP_MN_QUERY_DIRECTORY, same: false, equal: true, file: true }]);
    io.assertNoLeakedIrps();
  });
});

describe('IoSkipCurrentIrpStackLocation', () => {
  it("gives the caller's location to the next driver", () => {
    const io = newIo();
    const log: string[] = [];
    const locations: { who: string; loc: IoStackLocation; index: number }[] = [];
    const bottom = createDevice(createDriver(io, 'C', (device, irp) => {
      locations.push({ who: 'C', loc: IoGetCurrentIrpStackLocation(irp), index: irp.currentIndex });
      return completer(STATUS_SUCCESS, 0, log)(device, irp);
    }));
    const a = attachFilter(io, 'A', bottom, (device, irp) => {
      locations.push({ who: 'A', loc: IoGetCurrentIrpStackLocation(irp), index: irp.currentIndex });
      return skipForwarder(log)(device, irp);
    });
    const h = attachFilter(io, 'H', a, copyForwarder(recordingRoutine(log, 'routine of H')));
    const sent = send(io, h, IRP_MJ_READ, { prepare: (loc) => (loc.parameters.read = { length: 16, byteOffset: 32 }), log });
    assert.equal(locations.length, 2);
    assert.equal(locations[1]!.loc, locations[0]!.loc, 'C works in the very location A was given');
    assert.equal(locations[1]!.index, locations[0]!.index);
    assert.deepEqual(locations[1]!.loc.parameters.read, { length: 16, byteOffset: 32 });
    assert.equal(locations[1]!.loc.deviceObject, bottom, 'IoCallDriver recorded C in the reused location');
    // H's routine, set in A's location, now belongs to C's: it runs once, with H's device.
    assert.deepEqual(log, ['A: skip', 'C: IRP_MJ_READ', 'routine of H@H', 'creator@null']);
    assertStatus(onlyCompletion(sent).status, STATUS_SUCCESS);
    io.assertNoLeakedIrps();
  });
});
