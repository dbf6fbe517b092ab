// Creating and freeing IRPs: IoAllocateIrp, the IoBuild* helpers, associated IRPs and IoFreeIrp.

import type { DeviceObject, FileObject } from './device.js';
import { Irp, IrpDisposal, type IoStatusBlock } from './irp.js';
import {
  IRP_MJ_DEVICE_CONTROL, IRP_MJ_FLUSH_BUFFERS, IRP_MJ_INTERNAL_DEVICE_CONTROL, IRP_MJ_READ, IRP_MJ_SHUTDOWN,
  IRP_MJ_WRITE, KernelMode, majorFunctionName,
} from './irp-codes.js';
import type { IoManager } from './io-manager.js';
import type { KEvent } from './kevent.js';
import { NtStatusError, STATUS_INVALID_PARAMETER } from './ntstatus.js';
import { describeIrp, makeView, rawIrp } from './verifier.js';
import { releaseIrp } from './irp-release.js';

/** A new IRP with `stackSize` locations, owned by the caller, who frees it with IoFreeIrp. */
export function IoAllocateIrp(io: IoManager, stackSize: number): Irp {
  if (!Number.isInteger(stackSize) || stackSize < 1) {
    throw new NtStatusError(STATUS_INVALID_PARAMETER, `IoAllocateIrp: stack size must be a positive integer, got ${stackSize}`);
  }
  const irp = io.newIrp(stackSize);
  irp.requestorMode = KernelMode;
  if (!io.verifier) return irp;
  const creator = {};
  irp.owner = creator;
  irp.vCreator = creator;
  return makeView(irp, creator);
}

/** Frees an IRP the caller owns: after completion, or from a completion routine that keeps it. */
export function IoFreeIrp(view: Irp): void {
  // Fix (test/io): read `io` from the raw IRP; going through the view tripped its ownership check first,
  // so a double completion or a use after free was reported as touch-after-forward.
  const io = rawIrp(view).io;
  const irp = io.claim(view, 'IoFreeIrp');
  if (io.verifier && irp.currentIndex >= 0 && !irp.completed && irp.owner === irp.vCreator) {
    io.fail('free-in-flight', `IoFreeIrp on ${describeIrp(irp)} while a driver still holds it`);
  }
  releaseIrp(io, irp);
}

function buildFsdRequest(
  major: number,
  device: DeviceObject,
  buffer: Uint8Array | null,
  length: number,
  byteOffset: number,
  fileObject: FileObject | null,
): Irp {
  if (major !== IRP_MJ_READ && major !== IRP_MJ_WRITE && major !== IRP_MJ_FLUSH_BUFFERS && major !== IRP_MJ_SHUTDOWN) {
    throw new NtStatusError(STATUS_INVALID_PARAMETER, `FSD requests are read, write, flush or shutdown, not ${majorFunctionName(major)}`);
  }
  const irp = IoAllocateIrp(device.driver.io, device.stackSize);
  const loc = irp.stack[0]!;
  loc.majorFunction = major;
  loc.fileObject = fileObject;
  irp.originalFileObject = fileObject;
  if (major === IRP_MJ_READ || major === IRP_MJ_WRITE) {
    const parameters = { length, byteOffset };
    if (major === IRP_MJ_READ) loc.parameters.read = parameters;
    else loc.parameters.write = parameters;
    irp.userBuffer = buffer;
  }
  return irp;
}

/**
 * An asynchronous read/write/flush/shutdown IRP for `device`. The caller sets a completion routine
 * that frees it (IoFreeIrp) and returns STATUS_MORE_PROCESSING_REQUIRED, or frees it after completion.
 */
export function IoBuildAsynchronousFsdRequest(
  major: number,
  device: DeviceObject,
  buffer: Uint8Array | null,
  length: number,
  byteOffset: number,
  fileObject: FileObject | null = null,
): Irp {
  return buildFsdRequest(major, device, buffer, length, byteOffset, fileObject);
}

/**
 * A synchronous FSD request: when it completes, the I/O manager copies the status into `iosb`,
 * signals `event` and frees the IRP. The caller awaits `event.wait()`.
 */
export function IoBuildSynchronousFsdRequest(
  major: number,
  device: DeviceObject,
  buffer: Uint8Array | null,
  length: number,
  byteOffset: number,
  event: KEvent,
  iosb: IoStatusBlock,
  fileObject: FileObject | null = null,
): Irp {
  const irp = buildFsdRequest(major, device, buffer, length, byteOffset, fileObject);
  irp.userEvent = event;
  irp.userIosb = iosb;
  irp.disposal = IrpDisposal.ManagerFrees;
  return irp;
}

/**
 * A device-control IRP. The driver reads a private copy of `input` and answers in `output`, which is a
 * distinct buffer: never in the input. Completed like a synchronous request (event, iosb, freed).
 */
export function IoBuildDeviceIoControlRequest(
  ioControlCode: number,
  device: DeviceObject,
  input: Uint8Array | null,
  output: Uint8Array | null,
  internal: boolean,
  event: KEvent,
  iosb: IoStatusBlock,
): Irp {
  const io = device.driver.io;
  const irp = IoAllocateIrp(io, device.stackSize);
  const loc = irp.stack[0]!;
  loc.majorFunction = internal ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
  loc.parameters.deviceIoControl = {
    ioControlCode,
    inputBufferLength: input?.length ?? 0,
    outputBufferLength: output?.length ?? 0,
  };
  irp.inputBuffer = input === null ? null : input.slice();
  irp.outputBuffer = output;
  if (io.verifier && irp.inputBuffer !== null) {
    const raw = io.claim(irp, 'IoBuildDeviceIoControlRequest');
    raw.vInputSnapshot = input!.slice();
  }
  irp.userEvent = event;
  irp.userIosb = iosb;
  irp.disposal = IrpDisposal.ManagerFrees;
  return irp;
}

/**
 * An IRP associated with `master`: the master completes when its last associated IRP does. The I/O
 * manager counts the association and frees associated IRPs itself. An associated IRP cannot be a master.
 */
export function IoMakeAssociatedIrp(masterView: Irp, stackSize: number): Irp {
  // Fix (test/io): read `io` from the raw IRP; going through the view tripped its ownership check first,
  // so a double completion or a use after free was reported as touch-after-forward.
  const io = rawIrp(masterView).io;
  const master = io.claim(masterView, 'IoMakeAssociatedIrp');
  if (master.masterIrp !== null) {
    const message = `${describeIrp(master)} is itself an associated IRP and cannot be a master`;
    if (io.verifier) io.fail('associated-irp-as-master', message);
    throw new NtStatusError(STATUS_INVALID_PARAMETER, message);
  }
  const irp = IoAllocateIrp(io, stackSize);
  const raw = io.claim(irp, 'IoMakeAssociatedIrp');
  raw.masterIrp = master;
  raw.disposal = IrpDisposal.ManagerFrees;
  raw.requestorMode = master.requestorMode;
  raw.originalFileObject = master.originalFileObject;
  master.irpCount++;
  return irp;
}
