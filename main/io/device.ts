// Driver objects, device objects, volume parameter blocks and file objects: the nouns of the I/O model.
// They are plain records; the IoManager owns every rule about how they link together.

import type { Irp } from './irp.js';
import type { NTSTATUS } from './ntstatus.js';
import type { IoManager } from './io-manager.js';

/** A dispatch routine: returns the status of the request, or STATUS_PENDING after marking the IRP pending. */
export type DispatchRoutine = (device: DeviceObject, irp: Irp) => NTSTATUS;

/** The fast-I/O table; Strata uses only the detach notification of the forced-detach cascade. */
export interface FastIoDispatch {
  /** Called when `target` (the device `source` is attached to) is being deleted: detach and delete `source`. */
  fastIoDetachDevice?: (source: DeviceObject, target: DeviceObject) => void;
}

export class DriverObject {
  /** Indexed by IRP_MJ_*; a missing entry answers STATUS_INVALID_DEVICE_REQUEST. */
  readonly majorFunction: (DispatchRoutine | undefined)[] = [];
  fastIoDispatch: FastIoDispatch = {};
  driverUnload?: (driver: DriverObject) => void;
  readonly devices = new Set<DeviceObject>();

  constructor(readonly io: IoManager, readonly driverName: string) {}
}

/** Volume parameter block: links a storage device to the volume device of the file system that mounted it. */
export class Vpb {
  flags = 0;
  /** The volume device object of the mounted file system, when mounted. */
  deviceObject: DeviceObject | null = null;
  referenceCount = 0;
  volumeLabel = '';
  constructor(readonly realDevice: DeviceObject) {}
}

export interface DeviceCreateOptions<Ext> {
  name?: string;
  deviceType: number;
  characteristics?: number;
  extension: Ext;
  /** Storage devices get a VPB so that a file system can mount them. */
  withVpb?: boolean;
}

export class DeviceObject<Ext = unknown> {
  /** The device attached directly above this one (AttachedDevice). */
  attachedDevice: DeviceObject | null = null;
  /** The device this one is attached to (AttachedTo in the device-object extension). */
  lowerDevice: DeviceObject | null = null;
  stackSize = 1;
  flags = 0;
  characteristics: number;
  readonly deviceType: number;
  readonly extension: Ext;
  vpb: Vpb | null = null;
  /** Set while the device is being deleted: no new attachments, requests answer STATUS_NO_SUCH_DEVICE. */
  deletePending = false;
  deleted = false;
  /** IRPs dispatched to this device and not yet completed past it (tracked by the verifier). */
  outstandingIrps = 0;

  constructor(readonly driver: DriverObject, readonly name: string | undefined, options: DeviceCreateOptions<Ext>) {
    this.deviceType = options.deviceType;
    this.characteristics = options.characteristics ?? 0;
    this.extension = options.extension;
  }

  toString(): string {
    return this.name ?? `<${this.driver.driverName} device>`;
  }
}

/** An open instance of a file, directory or device. fsContext identifies the stream (shared by all opens). */
export class FileObject {
  fileName: string;
  vpb: Vpb | null = null;
  relatedFileObject: FileObject | null = null;
  /** Per-stream state of the file system (its FCB); filters key stream contexts on it. */
  fsContext: object | null = null;
  /** Per-open state of the file system (its CCB). */
  fsContext2: unknown = null;
  currentByteOffset = 0;
  deletePending = false;
  cleanupComplete = false;
  closed = false;
  /** The references requests hold on it: sent and not completed yet (file-object-references.ts). */
  requestsInFlight = 0;
  /** Opened by Strata itself (for example a filter re-reading a file): filters may skip their own I/O. */
  internal = false;
  /**
   * Reserved for the filter manager: requests on this file object enter the minifilter stack below
   * this point (a minifilter's own I/O, as FltCreateFile with an instance), never above it.
   */
  filterManagerTarget: unknown = null;

  constructor(readonly deviceObject: DeviceObject, fileName: string) {
    this.fileName = fileName;
  }
}
