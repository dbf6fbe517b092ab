// The I/O request packet and its stack locations. Fields mirror the NT IRP; the rules that govern them
// (who may touch what, and when) live in io-manager.ts and are checked by the verifier.

import type { DeviceObject, FileObject, Vpb } from './device.js';
import type { FileInformationClass } from './irp-codes.js';
import type { NTSTATUS } from './ntstatus.js';
import type { KEvent } from './kevent.js';
import type { IoManager } from './io-manager.js';

export type CompletionRoutine = (device: DeviceObject | null, irp: Irp, context: unknown) => NTSTATUS;
export type CancelRoutine = (device: DeviceObject | null, irp: Irp) => void;

export interface IoStatusBlock {
  status: NTSTATUS;
  /** Bytes transferred, the create disposition taken, or an operation-specific count. */
  information: number;
}

export interface CreateParameters {
  desiredAccess: number;
  disposition: number;
  options: number;
  fileAttributes: number;
  shareAccess: number;
}
export interface ReadWriteParameters {
  length: number;
  /** Byte offset; FILE_WRITE_TO_END_OF_FILE (-1) appends. */
  byteOffset: number;
}
export interface QueryFileParameters {
  fileInformationClass: FileInformationClass;
}
export interface SetFileParameters {
  fileInformationClass: FileInformationClass;
  /** The information to set (FileRenameInformation, FileDispositionInformation, ...). */
  information: unknown;
}
export interface QueryDirectoryParameters {
  fileInformationClass: FileInformationClass;
  /** Optional wildcard pattern (NT style: * and ?). */
  fileName: string | null;
  restartScan: boolean;
  returnSingleEntry: boolean;
}
export interface FileSystemControlParameters {
  fsControlCode: number;
  inputBufferLength: number;
  outputBufferLength: number;
}
export interface MountVolumeParameters {
  vpb: Vpb;
  /** The storage device to mount. */
  deviceObject: DeviceObject;
}
export interface DeviceIoControlParameters {
  ioControlCode: number;
  inputBufferLength: number;
  outputBufferLength: number;
}

/** The per-major-function parameter union of an IO_STACK_LOCATION, by NT member name. */
export interface IoParameters {
  create?: CreateParameters;
  read?: ReadWriteParameters;
  write?: ReadWriteParameters;
  queryFile?: QueryFileParameters;
  setFile?: SetFileParameters;
  queryDirectory?: QueryDirectoryParameters;
  fileSystemControl?: FileSystemControlParameters;
  mountVolume?: MountVolumeParameters;
  deviceIoControl?: DeviceIoControlParameters;
}

export class IoStackLocation {
  majorFunction = 0;
  minorFunction = 0;
  flags = 0;
  control = 0;
  parameters: IoParameters = {};
  deviceObject: DeviceObject | null = null;
  fileObject: FileObject | null = null;
  completionRoutine: CompletionRoutine | null = null;
  context: unknown = null;
  /** Verifier bookkeeping: the owner token of whoever set the completion routine stored here. */
  completionOwner: object | null = null;
}

/** How the I/O manager finishes an IRP once no completion routine holds it. */
export const enum IrpDisposal {
  /** The creator frees it with IoFreeIrp (IoAllocateIrp, IoBuildAsynchronousFsdRequest). */
  CallerFrees = 0,
  /** The I/O manager copies the status out, signals the event and frees it (synchronous and upper-edge IRPs). */
  ManagerFrees = 1,
}

export class Irp {
  readonly id: number;
  readonly stackCount: number;
  /** Index into `stack` of the current location; -1 before the first IoCallDriver (the creator has none). */
  currentIndex = -1;
  readonly stack: IoStackLocation[];
  readonly ioStatus: IoStatusBlock = { status: 0, information: 0 };
  pendingReturned = false;
  cancel = false;
  cancelRoutine: CancelRoutine | null = null;
  requestorMode = 0;
  flags = 0;
  /** Data for reads (filled by the driver) and writes (supplied by the caller). */
  userBuffer: Uint8Array | null = null;
  /** Device-control input: a private copy, so the caller's data cannot be overwritten. */
  inputBuffer: Uint8Array | null = null;
  /** Device-control and file-system-control output: distinct from the input. */
  outputBuffer: Uint8Array | null = null;
  /** Structured results of information and directory queries (the SystemBuffer of NT). */
  infoBuffer: unknown = null;
  /** For an associated IRP, its master. */
  masterIrp: Irp | null = null;
  /** For a master IRP, the number of associated IRPs not yet completed. */
  irpCount = 0;
  /** The file object of the original request (Tail.Overlay.OriginalFileObject). */
  originalFileObject: FileObject | null = null;
  userIosb: IoStatusBlock | null = null;
  userEvent: KEvent | null = null;
  disposal: IrpDisposal = IrpDisposal.CallerFrees;
  /** Called once the IRP is completed and no completion routine holds it (the NT completion APC). */
  onFinal: ((irp: Irp) => void) | null = null;
  completed = false;
  freed = false;
  /** Verifier: the token of whoever owns the IRP now (see verifier.ts). */
  owner: object | null = null;
  /** Verifier: per location, the status a dispatch routine returned and the final pending mark. */
  vReturned: (number | undefined)[] | null = null;
  vMarked: (boolean | undefined)[] | null = null;
  /** Verifier: devices the IRP was dispatched to and not yet completed past. */
  vDevices: DeviceObject[] | null = null;
  /** Verifier: the creator's token; the creator owns the IRP again once completion finishes. */
  vCreator: object | null = null;
  /** Verifier: owner tokens that have called IoCompleteRequest on this IRP. */
  vCompleters: object[] | null = null;
  /** Verifier: a copy of the device-control input, to catch answers written into it. */
  vInputSnapshot: Uint8Array | null = null;

  constructor(readonly io: IoManager, id: number, stackCount: number) {
    this.id = id;
    this.stackCount = stackCount;
    this.stack = new Array(stackCount);
    for (let i = 0; i < stackCount; i++) this.stack[i] = new IoStackLocation();
  }
}
