// Passing IRPs down and completing them back up: IoCallDriver, IoCompleteRequest and the stack-location
// helpers. Completion runs routines in LIFO order of stack locations, gated by SL_INVOKE_ON_*, stops at
// STATUS_MORE_PROCESSING_REQUIRED and resumes at the owner's next IoCompleteRequest (FSI ch. 12).

import type { DeviceObject } from './device.js';
import { Irp, IrpDisposal, IoStackLocation, type CompletionRoutine, type IoParameters } from './irp.js';
import {
  IRP_MJ_MAXIMUM_FUNCTION, SL_INVOKE_ON_CANCEL, SL_INVOKE_ON_ERROR, SL_INVOKE_ON_SUCCESS, SL_PENDING_RETURNED,
} from './irp-codes.js';
import {
  NT_SUCCESS, STATUS_INVALID_DEVICE_REQUEST, STATUS_INVALID_PARAMETER, STATUS_MORE_PROCESSING_REQUIRED,
  STATUS_NO_SUCH_DEVICE, STATUS_PENDING, statusName, type NTSTATUS,
} from './ntstatus.js';
import { OWNER_IO_MANAGER, type IoManager } from './io-manager.js';
import { describeIrp, makeView, rawIrp, viewToken } from './verifier.js';
import { releaseIrp } from './irp-release.js';

export function IoGetCurrentIrpStackLocation(irp: Irp): IoStackLocation {
  const index = irp.currentIndex;
  if (index < 0) irp.io.fail('no-current-stack-location', `${describeIrp(irp)} has not been passed to a driver yet`);
  return irp.stack[index]!;
}

export function IoGetNextIrpStackLocation(irp: Irp): IoStackLocation {
  const index = irp.currentIndex + 1;
  if (index >= irp.stackCount) tooFewStackLocations(irp.io, irp, 'IoGetNextIrpStackLocation');
  return irp.stack[index]!;
}

function tooFewStackLocations(io: IoManager, irp: Irp, routine: string): never {
  const message = `${routine}: ${describeIrp(irp)} has ${irp.stackCount} stack location(s) and none is left for the next driver`;
  if (io.verifier) io.fail('too-few-stack-locations', message);
  throw new Error(message);
}

/** Sets SL_PENDING_RETURNED in the caller's stack location: it must then return STATUS_PENDING. */
export function IoMarkIrpPending(irp: Irp): void {
  const loc = IoGetCurrentIrpStackLocation(irp);
  loc.control |= SL_PENDING_RETURNED;
}

export function IoSetCompletionRoutine(
  irp: Irp,
  routine: CompletionRoutine,
  context: unknown,
  invokeOnSuccess: boolean,
  invokeOnError: boolean,
  invokeOnCancel: boolean,
): void {
  const next = IoGetNextIrpStackLocation(irp);
  next.completionRoutine = routine;
  next.context = context;
  next.control = (invokeOnSuccess ? SL_INVOKE_ON_SUCCESS : 0) | (invokeOnError ? SL_INVOKE_ON_ERROR : 0) | (invokeOnCancel ? SL_INVOKE_ON_CANCEL : 0);
  if (irp.io.verifier) next.completionOwner = viewToken(irp) ?? null;
}

/** A copy of a stack location's parameters: each member is copied, so a lower driver's changes stay its own. */
export function copyParameters(parameters: IoParameters): IoParameters {
  const copy: IoParameters = {};
  // One member is set per request; explicit tests keep this monomorphic and allocation-light.
  if (parameters.read !== undefined) copy.read = { ...parameters.read };
  if (parameters.write !== undefined) copy.write = { ...parameters.write };
  if (parameters.create !== undefined) copy.create = { ...parameters.create };
  if (parameters.queryFile !== undefined) copy.queryFile = { ...parameters.queryFile };
  if (parameters.setFile !== undefined) copy.setFile = { ...parameters.setFile };
  if (parameters.queryDirectory !== undefined) copy.queryDirectory = { ...parameters.queryDirectory };
  if (parameters.fileSystemControl !== undefined) copy.fileSystemControl = { ...parameters.fileSystemControl };
  if (parameters.mountVolume !== undefined) copy.mountVolume = { ...parameters.mountVolume };
  if (parameters.deviceIoControl !== undefined) copy.deviceIoControl = { ...parameters.deviceIoControl };
  return copy;
}

/**
 * Copies the caller's stack location to the next one, *except* the completion routine, its context
 * and the control flags: copying them would run the caller's routine twice (FSI ch. 12's warning).
 */
export function IoCopyCurrentIrpStackLocationToNext(irp: Irp): void {
  const current = IoGetCurrentIrpStackLocation(irp);
  const next = IoGetNextIrpStackLocation(irp);
  next.majorFunction = current.majorFunction;
  next.minorFunction = current.minorFunction;
  next.flags = current.flags;
  next.parameters = copyParameters(current.parameters);
  next.fileObject = current.fileObject;
  next.deviceObject = current.deviceObject;
  next.completionRoutine = null;
  next.context = null;
  next.control = 0;
  next.completionOwner = null;
}

/** Gives the caller's own stack location to the next driver: the caller sees no completion. */
export function IoSkipCurrentIrpStackLocation(irp: Irp): void {
  IoGetCurrentIrpStackLocation(irp);
  irp.currentIndex--;
}

/** Passes `irp` to `device`'s dispatch routine for the next stack location and returns what it returns. */
export function IoCallDriver(device: DeviceObject, view: Irp): NTSTATUS {
  const io = device.driver.io;
  const irp = io.claim(view, 'IoCallDriver');
  const index = irp.currentIndex + 1;
  if (index >= irp.stackCount) {
    if (io.verifier) {
      io.fail('too-few-stack-locations', `${describeIrp(irp)} has ${irp.stackCount} stack location(s); IoCallDriver to ${device} needs one more (its stack size is ${device.stackSize})`);
    }
    // No location is left for the target: fail the request as the caller's own completion.
    irp.ioStatus.status = STATUS_INVALID_PARAMETER;
    irp.ioStatus.information = 0;
    IoCompleteRequest(view);
    return STATUS_INVALID_PARAMETER;
  }
  // Fix (test/io): an IRP with fewer locations left than the target's stack needs (its stackSize) used to
  // reach the drivers and throw a plain Error from IoGetNextIrpStackLocation in a filter's copy: a crash
  // with the verifier off. It is bad input: the verifier names it here, otherwise the target's location
  // is completed with STATUS_INVALID_PARAMETER (so the caller's completion routine still runs).
  const tooShort = irp.stackCount - index < device.stackSize;
  if (tooShort && io.verifier) {
    io.fail('too-few-stack-locations', `${describeIrp(irp)} has ${irp.stackCount - index} stack location(s) left; ${device} needs ${device.stackSize} (its stack size)`);
  }
  irp.currentIndex = index;
  const loc = irp.stack[index]!;
  loc.deviceObject = device;
  let target = irp;
  if (io.verifier) {
    const token = {};
    irp.owner = token;
    irp.vReturned![index] = undefined;
    irp.vMarked![index] = undefined;
    irp.vDevices!.push(device);
    device.outstandingIrps++;
    target = makeView(irp, token);
  }
  let status: NTSTATUS;
  if (device.deleted || device.deletePending) {
    status = completeRequest(target, STATUS_NO_SUCH_DEVICE);
  } else if (tooShort) {
    status = completeRequest(target, STATUS_INVALID_PARAMETER);
  } else {
    const major = loc.majorFunction;
    const routine = major >= 0 && major <= IRP_MJ_MAXIMUM_FUNCTION ? device.driver.majorFunction[major] : undefined;
    status = routine ? routine(device, target) : completeRequest(target, STATUS_INVALID_DEVICE_REQUEST);
  }
  if (io.verifier) recordDispatchReturn(io, irp, index, status, device);
  return status;
}

/** Sets the final status and information and completes `irp`; returns the status for the dispatch routine. */
export function completeRequest(irp: Irp, status: NTSTATUS, information = 0): NTSTATUS {
  irp.ioStatus.status = status;
  irp.ioStatus.information = information;
  IoCompleteRequest(irp);
  return status;
}

function recordDispatchReturn(io: IoManager, irp: Irp, index: number, status: NTSTATUS, device: DeviceObject): void {
  irp.vReturned![index] = status;
  const marked = irp.vMarked![index];
  if (marked !== undefined) checkPendingRule(io, irp, status, marked, device);
}

function checkPendingRule(io: IoManager, irp: Irp, returned: NTSTATUS, marked: boolean, device: DeviceObject | null): void {
  const where = `${device ?? 'a driver'} for ${describeIrp(irp)}`;
  if (returned === STATUS_PENDING && !marked) {
    io.fail('pending-without-mark', `dispatch routine of ${where} returned STATUS_PENDING without IoMarkIrpPending`);
  }
  if (returned !== STATUS_PENDING && marked) {
    io.fail('mark-without-pending', `dispatch routine of ${where} marked the IRP pending but returned ${statusName(returned)}`);
  }
}

/**
 * Completes `irp` from the caller's stack location upward. Each location's completion routine runs
 * (with the setter's device, or null when the setter had no location) if its SL_INVOKE_ON_* flag
 * matches; a routine returning STATUS_MORE_PROCESSING_REQUIRED takes the IRP back and stops the walk.
 */
export function IoCompleteRequest(view: Irp, _priorityBoost = 0): void {
  // Fix (test/io): read `io` from the raw IRP; going through the view tripped its ownership check first,
  // so a double completion or a use after free was reported as touch-after-forward.
  const io = rawIrp(view).io;
  if (io.verifier) verifyCompletionCall(io, view);
  const irp = io.claim(view, 'IoCompleteRequest');
  if (!io.verifier && irp.completed) return;
  walkCompletion(io, irp);
}

function verifyCompletionCall(io: IoManager, view: Irp): void {
  const irp = rawIrp(view);
  const token = viewToken(view);
  if (irp.completed || (token !== undefined && irp.vCompleters!.includes(token))) {
    io.fail('double-completion', `${describeIrp(irp)} completed twice`);
  }
  if (irp.ioStatus.status === STATUS_PENDING) {
    io.fail('complete-with-pending', `${describeIrp(irp)} completed with STATUS_PENDING as its final status`);
  }
  if (irp.irpCount > 0) {
    // The I/O manager completes a master when its last associated IRP does; completing it before would
    // free it under the associated IRPs still out, and their completion would complete it a second time.
    io.fail('complete-master-with-associated-irps', `${describeIrp(irp)} completed by a driver while ${irp.irpCount} associated IRP(s) are still outstanding`);
  }
  if (token !== undefined) irp.vCompleters!.push(token);
}

/** Walks completion routines from the current location up; finishes the IRP when none holds it. */
export function walkCompletion(io: IoManager, irp: Irp): void {
  const verifier = io.verifier;
  if (verifier) irp.owner = OWNER_IO_MANAGER;
  for (let k = irp.currentIndex; k >= 0; k--) {
    const loc = irp.stack[k]!;
    const control = loc.control;
    irp.pendingReturned = (control & SL_PENDING_RETURNED) !== 0;
    if (verifier) passLocation(io, irp, k);
    irp.currentIndex = k - 1;
    const routine = loc.completionRoutine;
    const context = loc.context;
    const setter = loc.completionOwner;
    loc.completionRoutine = null;
    loc.context = null;
    loc.control = 0;
    loc.completionOwner = null;
    const status = irp.ioStatus.status;
    if (
      routine !== null &&
      ((NT_SUCCESS(status) && (control & SL_INVOKE_ON_SUCCESS) !== 0) ||
        (!NT_SUCCESS(status) && (control & SL_INVOKE_ON_ERROR) !== 0) ||
        (irp.cancel && (control & SL_INVOKE_ON_CANCEL) !== 0))
    ) {
      const device = k > 0 ? irp.stack[k - 1]!.deviceObject : null;
      let target = irp;
      if (verifier) {
        const owner = setter ?? {};
        irp.owner = owner;
        target = makeView(irp, owner);
      }
      const result = routine(device, target, context);
      if (result === STATUS_MORE_PROCESSING_REQUIRED) return;
      if (irp.completed || irp.currentIndex !== k - 1) {
        // The routine completed (or passed on) the IRP again and let this walk go on: the nested walk has
        // run the routines above and finished it, so going on would run them and finish it a second time.
        if (verifier) {
          io.fail('double-completion', `a completion routine ${irp.completed ? 'completed' : 'completed or passed on'} ${describeIrp(irp)} again inside the routine but returned ${statusName(result)} instead of STATUS_MORE_PROCESSING_REQUIRED`);
        }
        return;
      }
      if (verifier) {
        if (irp.freed) io.fail('free-without-more-processing', `a completion routine freed ${describeIrp(irp)} but did not return STATUS_MORE_PROCESSING_REQUIRED`);
        irp.owner = OWNER_IO_MANAGER;
      }
    } else if (irp.pendingReturned && k > 0) {
      // No routine to propagate the pending flag: the I/O manager marks the caller's location itself.
      irp.stack[k - 1]!.control |= SL_PENDING_RETURNED;
    }
  }
  finishIrp(io, irp);
}

function passLocation(io: IoManager, irp: Irp, k: number): void {
  const marked = (irp.stack[k]!.control & SL_PENDING_RETURNED) !== 0;
  irp.vMarked![k] = marked;
  const returned = irp.vReturned![k];
  if (returned !== undefined) checkPendingRule(io, irp, returned, marked, irp.stack[k]!.deviceObject);
}

/** The end of completion: associated IRPs count down their master; others report and may be freed. */
function finishIrp(io: IoManager, irp: Irp): void {
  irp.completed = true;
  if (io.verifier) {
    for (const device of irp.vDevices!) device.outstandingIrps--;
    irp.vDevices!.length = 0;
    checkDeviceControlBuffers(io, irp);
    irp.owner = irp.vCreator;
  }
  const master = irp.masterIrp;
  if (master !== null) {
    releaseIrp(io, irp);
    if (master.completed || master.freed) {
      // A driver completed the master although this associated IRP was still out (the verifier stops that
      // in IoCompleteRequest): the master is done, maybe freed, and is never walked a second time.
      if (io.verifier) io.fail('double-completion', `master ${describeIrp(master)} was already ${master.freed ? 'completed and freed' : 'completed'} when its associated ${describeIrp(irp)} completed`);
      return;
    }
    if (--master.irpCount === 0) {
      if (io.verifier && master.ioStatus.status === STATUS_PENDING) {
        io.fail('complete-with-pending', `master ${describeIrp(master)} completed by its last associated IRP with STATUS_PENDING as its status`);
      }
      walkCompletion(io, master);
    }
    return;
  }
  if (irp.userIosb !== null) {
    irp.userIosb.status = irp.ioStatus.status;
    irp.userIosb.information = irp.ioStatus.information;
  }
  const onFinal = irp.onFinal;
  irp.onFinal = null;
  if (onFinal !== null) onFinal(irp);
  if (irp.disposal === IrpDisposal.ManagerFrees) releaseIrp(io, irp);
  irp.userEvent?.set();
}

function checkDeviceControlBuffers(io: IoManager, irp: Irp): void {
  const snapshot = irp.vInputSnapshot;
  if (snapshot === null) return;
  const input = irp.inputBuffer!;
  for (let i = 0; i < snapshot.length; i++) {
    if (input[i] !== snapshot[i]) {
      io.fail('answer-in-input-buffer', `${describeIrp(irp)}: a driver wrote its answer into the input buffer (byte ${i}); answers go to the output buffer`);
    }
  }
  const outputLength = irp.outputBuffer?.length ?? 0;
  if (NT_SUCCESS(irp.ioStatus.status) && irp.ioStatus.information > outputLength) {
    io.fail('information-exceeds-output', `${describeIrp(irp)} reports ${irp.ioStatus.information} bytes but its output buffer holds ${outputLength}`);
  }
}

