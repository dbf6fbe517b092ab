// Small real drivers for the I/O manager's tests: a completer, a holder that pends, forwarding filters,
// a creator that sends its own IRP, and a tiny file system with a mount-intercepting filter.
// Everything here goes through the real IoManager; nothing is mocked.

import assert from 'node:assert/strict';
import {
  DeviceObject, DriverObject, FILE_DEVICE_DISK, FILE_DEVICE_DISK_FILE_SYSTEM, FILE_OPENED, FSCTL_DISMOUNT_VOLUME,
  IoAllocateIrp, IoAttachDeviceToDeviceStack, IoCallDriver, IoCompleteRequest, IoCopyCurrentIrpStackLocationToNext,
  IoCreateDevice, IoDeleteDevice, IoDetachDevice, IoFreeIrp, IoGetCurrentIrpStackLocation, IoManager, IoMarkIrpPending,
  IoRegisterFileSystem, IoRegisterFsRegistrationChange, IoSetCompletionRoutine, IoSkipCurrentIrpStackLocation,
  IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_MAXIMUM_FUNCTION, IRP_MN_MOUNT_VOLUME, IRP_MN_USER_FS_REQUEST, KEvent, NtStatusError,
  STATUS_INVALID_DEVICE_REQUEST, STATUS_MORE_PROCESSING_REQUIRED, STATUS_PENDING, STATUS_SUCCESS,
  STATUS_UNRECOGNIZED_VOLUME, VerifierError, VPB_MOUNTED, majorFunctionName, statusName,
  type CompletionRoutine, type Vpb, type DispatchRoutine, type Irp, type IoStackLocation, type NTSTATUS,
} from '../../main/io/index.js';

export const ALL_MAJORS: readonly number[] = Array.from({ length: IRP_MJ_MAXIMUM_FUNCTION + 1 }, (_, i) => i);

/** The I/O manager every test uses: verifier on. */
export function newIo(): IoManager {
  return new IoManager({ verifier: true });
}

/** A driver whose dispatch table holds `dispatch` for each of `majors` (all of them by default). */
export function createDriver(io: IoManager, name: string, dispatch: DispatchRoutine, majors: readonly number[] = ALL_MAJORS): DriverObject {
  const driver = io.createDriver(name);
  for (const major of majors) driver.majorFunction[major] = dispatch;
  return driver;
}

/** Per-device state of the test drivers: the device requests are forwarded to, when there is one. */
export interface TestExtension {
  lower: DeviceObject | null;
}

export function createDevice(driver: DriverObject, name?: string, withVpb = false): DeviceObject<TestExtension> {
  return IoCreateDevice<TestExtension>(driver, {
    ...(name === undefined ? {} : { name }),
    deviceType: FILE_DEVICE_DISK,
    extension: { lower: null },
    withVpb,
  });
}

/** The driver name of a device, or 'null' (what completion routines are told when the setter had no location). */
export function nameOf(device: DeviceObject | null): string {
  return device === null ? 'null' : device.driver.driverName;
}

/** A dispatch routine that completes every request at once. */
export function completer(status: NTSTATUS = STATUS_SUCCESS, information = 0, log?: string[]): DispatchRoutine {
  return (device, irp) => {
    log?.push(`${nameOf(device)}: ${majorFunctionName(IoGetCurrentIrpStackLocation(irp).majorFunction)}`);
    irp.ioStatus.status = status;
    irp.ioStatus.information = information;
    IoCompleteRequest(irp);
    return status;
  };
}

/** A bottom driver that marks every request pending and holds it until the test completes it. */
export class Holder {
  readonly held: Irp[] = [];
  readonly driver: DriverObject;
  readonly device: DeviceObject<TestExtension>;

  constructor(io: IoManager, name = 'holder', deviceName?: string) {
    this.driver = createDriver(io, name, this.dispatch);
    this.device = createDevice(this.driver, deviceName);
  }

  readonly dispatch: DispatchRoutine = (_device, irp) => {
    IoMarkIrpPending(irp);
    this.held.push(irp);
    return STATUS_PENDING;
  };

  /** Completes the oldest held IRP. */
  complete(status: NTSTATUS = STATUS_SUCCESS, information = 0): void {
    const irp = this.held.shift();
    assert.ok(irp, 'the holder holds no IRP');
    irp.ioStatus.status = status;
    irp.ioStatus.information = information;
    IoCompleteRequest(irp);
  }
}

/** A dispatch routine for a filter: forward-and-forget, giving its own location to the lower driver. */
export function skipForwarder(log?: string[]): DispatchRoutine {
  return (device, irp) => {
    log?.push(`${nameOf(device)}: skip`);
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(lowerOf(device), irp);
  };
}

/**
 * A dispatch routine for a filter: forward-and-post-process. Copies its location to the next and,
 * when `routine` is given, sets it with the given SL_INVOKE_ON_* flags.
 */
export function copyForwarder(
  routine?: CompletionRoutine,
  flags: { success: boolean; error: boolean; cancel: boolean } = { success: true, error: true, cancel: true },
  log?: string[],
): DispatchRoutine {
  return (device, irp) => {
    log?.push(`${nameOf(device)}: copy`);
    IoCopyCurrentIrpStackLocationToNext(irp);
    if (routine) IoSetCompletionRoutine(irp, routine, device, flags.success, flags.error, flags.cancel);
    return IoCallDriver(lowerOf(device), irp);
  };
}

/** A completion routine that logs "<label>@<device it was given>" and propagates the pending flag. */
export function recordingRoutine(log: string[], label: string, result: NTSTATUS = STATUS_SUCCESS): CompletionRoutine {
  return (device, irp) => {
    log.push(`${label}@${nameOf(device)}`);
    if (irp.pendingReturned) IoMarkIrpPending(irp);
    return result;
  };
}

export function lowerOf(device: DeviceObject): DeviceObject {
  const lower = (device.extension as TestExtension).lower;
  assert.ok(lower, `${device} is not attached to anything`);
  return lower;
}

/** Creates a filter driver and device and attaches it above `target`'s stack; returns the filter device. */
export function attachFilter(io: IoManager, name: string, target: DeviceObject, dispatch: DispatchRoutine): DeviceObject<TestExtension> {
  const device = createDevice(createDriver(io, name, dispatch));
  device.extension.lower = IoAttachDeviceToDeviceStack(device, target);
  return device;
}

/**
 * Gives `driver` the fast-I/O detach callback of the forced-detach cascade: log, detach from the target
 * being deleted, then delete its own device (which cascades to whatever is attached above it).
 */
export function detachOnTargetDeletion(driver: DriverObject, log: string[]): void {
  driver.fastIoDispatch.fastIoDetachDevice = (source, target) => {
    log.push(`${nameOf(source)}: detach from ${nameOf(target)}`);
    IoDetachDevice(target);
    IoDeleteDevice(source);
    log.push(`${nameOf(source)}: deleted`);
  };
}

/** What the creator of an IRP learned when it completed. */
export interface Completion {
  status: NTSTATUS;
  information: number;
  pendingReturned: boolean;
  cancel: boolean;
  /** The device object the creator's completion routine was given (null: the creator has no location). */
  device: DeviceObject | null;
}

/** An IRP sent by a test acting as its creator, and what happened to it. */
export interface Sent {
  /** The creator's view: usable again once the IRP has completed, until the creator frees it. */
  irp: Irp;
  /** What IoCallDriver returned to the creator. */
  returned: NTSTATUS;
  /** Every time the creator's completion routine ran (more than once would be a double completion). */
  completions: Completion[];
  done: KEvent;
}

export interface SendOptions {
  /** Fills the first stack location (and buffers) before the IRP is sent. */
  prepare?: (loc: IoStackLocation, irp: Irp) => void;
  /** Locations to allocate; the device's stack size by default. */
  stackSize?: number;
  /** Where the creator's completion routine logs "creator@<device it was given>". */
  log?: string[];
}

/**
 * Sends a new IRP to `device` as a creator that frees it in its own completion routine and returns
 * STATUS_MORE_PROCESSING_REQUIRED (the asynchronous FSD pattern).
 */
export function send(io: IoManager, device: DeviceObject, major: number, options: SendOptions = {}): Sent {
  const irp = IoAllocateIrp(io, options.stackSize ?? device.stackSize);
  const loc = irp.stack[0]!;
  loc.majorFunction = major;
  options.prepare?.(loc, irp);
  const sent: Sent = { irp, returned: STATUS_PENDING, completions: [], done: new KEvent() };
  IoSetCompletionRoutine(irp, (routineDevice, view) => {
    options.log?.push(`creator@${nameOf(routineDevice)}`);
    sent.completions.push({
      status: view.ioStatus.status,
      information: view.ioStatus.information,
      pendingReturned: view.pendingReturned,
      cancel: view.cancel,
      device: routineDevice,
    });
    IoFreeIrp(view);
    sent.done.set();
    return STATUS_MORE_PROCESSING_REQUIRED;
  }, null, true, true, true);
  sent.returned = IoCallDriver(device, irp);
  return sent;
}

/** The single completion of a sent IRP, asserting that it completed exactly once. */
export function onlyCompletion(sent: Sent): Completion {
  assert.equal(sent.completions.length, 1, `expected exactly one completion, got ${sent.completions.length}`);
  return sent.completions[0]!;
}

/** Asserts that `fn` throws a VerifierError for `rule`. */
export function assertVerifier(fn: () => unknown, rule: string): VerifierError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof VerifierError, `expected VerifierError(${rule}), got ${caught === undefined ? 'no error' : String(caught)}`);
  assert.equal(caught.rule, rule, caught.message);
  return caught;
}

/** Asserts that `fn` throws an NtStatusError carrying `status` (and, if given, a message matching `pattern`). */
export function assertNtStatusError(fn: () => unknown, status: NTSTATUS, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof NtStatusError, `expected NtStatusError(${statusName(status)}), got ${String(error)}`);
    assert.equal(statusName(error.status), statusName(status), error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

/** Asserts a status by name, so that a failure prints STATUS_ names instead of numbers. */
export function assertStatus(actual: NTSTATUS, expected: NTSTATUS, message?: string): void {
  assert.equal(statusName(actual), statusName(expected), message);
}

// ---------------------------------------------------------------------------------------------------
// A tiny file system and a filter that intercepts its mounts (FSI ch. 12's mount interception).

export interface TestFileSystem {
  driver: DriverObject;
  controlDevice: DeviceObject;
  /** Volume devices mounted so far, in order. */
  volumes: DeviceObject[];
}

/**
 * A file system that mounts any storage device offered to it (or, when it `recognizes` nothing, answers
 * STATUS_UNRECOGNIZED_VOLUME), completes creates with FILE_OPENED and
 * other requests with STATUS_SUCCESS, and on FSCTL_DISMOUNT_VOLUME completes, then deletes its volume.
 */
export function createTestFileSystem(io: IoManager, name: string, log: string[], recognizes = true): TestFileSystem {
  const fs: TestFileSystem = { driver: io.createDriver(name), controlDevice: null!, volumes: [] };
  const dispatch: DispatchRoutine = (device, irp) => {
    const loc = IoGetCurrentIrpStackLocation(irp);
    const what = loc.majorFunction === IRP_MJ_FILE_SYSTEM_CONTROL && loc.minorFunction === IRP_MN_MOUNT_VOLUME
      ? 'MOUNT'
      : `${majorFunctionName(loc.majorFunction)}${loc.fileObject ? ` '${loc.fileObject.fileName}'` : ''}`;
    log.push(`${name}: ${what}`);
    if (device === fs.controlDevice) {
      if (what !== 'MOUNT') return finish(irp, STATUS_INVALID_DEVICE_REQUEST);
      if (!recognizes) return finish(irp, STATUS_UNRECOGNIZED_VOLUME);
      const { vpb } = loc.parameters.mountVolume!;
      const volume = IoCreateDevice<TestExtension>(fs.driver, { deviceType: FILE_DEVICE_DISK_FILE_SYSTEM, extension: { lower: null } });
      vpb.deviceObject = volume;
      vpb.flags |= VPB_MOUNTED;
      fs.volumes.push(volume);
      return finish(irp, STATUS_SUCCESS);
    }
    if (loc.majorFunction === IRP_MJ_FILE_SYSTEM_CONTROL && loc.minorFunction === IRP_MN_USER_FS_REQUEST
      && loc.parameters.fileSystemControl?.fsControlCode === FSCTL_DISMOUNT_VOLUME) {
      const vpb = loc.fileObject!.vpb!;
      vpb.flags &= ~VPB_MOUNTED;
      vpb.deviceObject = null;
      const status = finish(irp, STATUS_SUCCESS);
      IoDeleteDevice(device);
      return status;
    }
    return finish(irp, STATUS_SUCCESS, loc.majorFunction === 0 ? FILE_OPENED : 0);
  };
  for (const major of ALL_MAJORS) fs.driver.majorFunction[major] = dispatch;
  fs.controlDevice = IoCreateDevice(fs.driver, { name: `\\FileSystem\\${name}`, deviceType: FILE_DEVICE_DISK_FILE_SYSTEM, extension: null });
  IoRegisterFileSystem(fs.controlDevice);
  return fs;
}

function finish(irp: Irp, status: NTSTATUS, information = 0): NTSTATUS {
  irp.ioStatus.status = status;
  irp.ioStatus.information = information;
  IoCompleteRequest(irp);
  return status;
}

export interface MountFilter {
  driver: DriverObject;
  /** Filter devices attached to volumes, in order of attachment. */
  volumeFilters: DeviceObject<TestExtension>[];
}

/**
 * A legacy filter registered for file-system notifications: it attaches to each file system's control
 * device, intercepts mount requests and attaches to the new volume in the mount's completion routine.
 * On a volume it logs each request and forwards it with skip. Its fast-I/O detach callback detaches
 * and deletes its volume device when the volume goes away.
 */
export function createMountFilter(io: IoManager, name: string, log: string[]): MountFilter {
  const filter: MountFilter = { driver: io.createDriver(name), volumeFilters: [] };
  const controlFilters = new Set<DeviceObject>();
  const mountCompletion: CompletionRoutine = (device, irp, context) => {
    if (irp.pendingReturned) IoMarkIrpPending(irp);
    const { vpb } = context as { vpb: Vpb };
    log.push(`${name}: mount completed (${statusName(irp.ioStatus.status)}) in the routine given ${device === null ? 'null' : controlFilters.has(device) ? 'its control filter' : String(device)}`);
    if (irp.ioStatus.status === STATUS_SUCCESS && vpb.deviceObject !== null) {
      const volumeFilter = createDevice(filter.driver);
      volumeFilter.extension.lower = IoAttachDeviceToDeviceStack(volumeFilter, vpb.deviceObject);
      filter.volumeFilters.push(volumeFilter);
      log.push(`${name}: attached to the new volume`);
    }
    return STATUS_SUCCESS;
  };
  const dispatch: DispatchRoutine = (device, irp) => {
    const loc = IoGetCurrentIrpStackLocation(irp);
    if (controlFilters.has(device) && loc.majorFunction === IRP_MJ_FILE_SYSTEM_CONTROL && loc.minorFunction === IRP_MN_MOUNT_VOLUME) {
      log.push(`${name}: MOUNT`);
      IoCopyCurrentIrpStackLocationToNext(irp);
      IoSetCompletionRoutine(irp, mountCompletion, { vpb: loc.parameters.mountVolume!.vpb }, true, true, true);
      return IoCallDriver(lowerOf(device), irp);
    }
    if (!controlFilters.has(device)) {
      log.push(`${name}: ${majorFunctionName(loc.majorFunction)}${loc.fileObject ? ` '${loc.fileObject.fileName}'` : ''}`);
    }
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(lowerOf(device), irp);
  };
  for (const major of ALL_MAJORS) filter.driver.majorFunction[major] = dispatch;
  detachOnTargetDeletion(filter.driver, log);
  IoRegisterFsRegistrationChange(filter.driver, (fileSystemDevice, active) => {
    if (!active) return;
    const controlFilter = createDevice(filter.driver);
    controlFilter.extension.lower = IoAttachDeviceToDeviceStack(controlFilter, fileSystemDevice);
    controlFilters.add(controlFilter);
  });
  return filter;
}

/** A storage device (with a VPB) for file systems to mount; it answers nothing itself. */
export function createStorageDevice(io: IoManager, name: string): DeviceObject {
  return createDevice(io.createDriver(`disk ${name}`), name, true);
}
