// Device objects and their stacks: create, delete (with the forced-detach cascade), attach, detach,
// and the lookups that route a request to the top of the right stack.

import { DeviceObject, DriverObject, FileObject, type DeviceCreateOptions, Vpb } from './device.js';
import { DO_DEVICE_INITIALIZING, VPB_MOUNTED } from './irp-codes.js';
import type { IoManager } from './io-manager.js';
import {
  NtStatusError, STATUS_INVALID_DEVICE_STATE, STATUS_INVALID_PARAMETER, STATUS_NO_SUCH_DEVICE,
  STATUS_OBJECT_NAME_COLLISION, STATUS_OBJECT_NAME_NOT_FOUND,
} from './ntstatus.js';

function namespaceKey(name: string): string {
  return name.toLowerCase();
}

export function IoCreateDevice<Ext>(driver: DriverObject, options: DeviceCreateOptions<Ext>): DeviceObject<Ext> {
  const io = driver.io;
  if (options.name !== undefined) {
    if (!options.name.startsWith('\\') || options.name.endsWith('\\')) {
      throw new NtStatusError(STATUS_INVALID_PARAMETER, `device name '${options.name}' must start with a backslash and not end with one`);
    }
    if (io.namespace.has(namespaceKey(options.name))) {
      throw new NtStatusError(STATUS_OBJECT_NAME_COLLISION, `a device named '${options.name}' already exists`);
    }
  }
  const device = new DeviceObject<Ext>(driver, options.name, options);
  device.flags = DO_DEVICE_INITIALIZING;
  if (options.withVpb) device.vpb = new Vpb(device);
  if (options.name !== undefined) io.namespace.set(namespaceKey(options.name), device);
  driver.devices.add(device);
  return device;
}

/**
 * Deletes `device`. Devices attached above it are torn down first, recursively upward: each attached
 * driver's fast-I/O detach callback runs and must detach and delete its own device (NT's forced detach).
 */
export function IoDeleteDevice(device: DeviceObject): void {
  const io = device.driver.io;
  if (device.deleted) {
    if (io.verifier) io.fail('double-delete', `${device} deleted twice`);
    return;
  }
  if (io.verifier && device.outstandingIrps > 0) {
    io.fail('delete-with-outstanding-irps', `${device} deleted with ${device.outstandingIrps} IRP(s) outstanding`);
  }
  device.deletePending = true;
  detachEverythingAbove(io, device);
  if (device.lowerDevice !== null) {
    if (io.verifier && io.cascadeDepth === 0) {
      io.fail('delete-while-attached', `${device} deleted while still attached to ${device.lowerDevice}; IoDetachDevice first`);
    }
    detach(device.lowerDevice);
  }
  if (device.name !== undefined) io.namespace.delete(namespaceKey(device.name));
  device.driver.devices.delete(device);
  device.deleted = true;
}

function detachEverythingAbove(io: IoManager, device: DeviceObject): void {
  io.cascadeDepth++;
  try {
    while (device.attachedDevice !== null) {
      const above = device.attachedDevice;
      const callback = above.driver.fastIoDispatch.fastIoDetachDevice;
      if (callback) callback(above, device);
      // A driver without a callback, or one that did not let go, is detached and deleted for it.
      if (device.attachedDevice === above) {
        detach(device);
        if (!above.deleted) IoDeleteDevice(above);
      }
    }
  } finally {
    io.cascadeDepth--;
  }
}

function detach(target: DeviceObject): void {
  const source = target.attachedDevice;
  if (source === null) return;
  target.attachedDevice = null;
  source.lowerDevice = null;
}

/** The top of `device`'s stack. */
export function IoGetAttachedDevice(device: DeviceObject): DeviceObject {
  let top = device;
  while (top.attachedDevice !== null) top = top.attachedDevice;
  return top;
}

/**
 * Attaches `source` above the top of `target`'s stack and returns that previous top (the device to pass
 * requests to). The source's stack size becomes the previous top's plus one. A target being deleted
 * is refused with STATUS_NO_SUCH_DEVICE.
 */
export function IoAttachDeviceToDeviceStack(source: DeviceObject, target: DeviceObject): DeviceObject {
  const io = source.driver.io;
  const top = IoGetAttachedDevice(target);
  for (let d: DeviceObject | null = top; d !== null; d = d.lowerDevice) {
    if (d.deletePending || d.deleted) {
      throw new NtStatusError(STATUS_NO_SUCH_DEVICE, `cannot attach ${source} to ${target}: ${d} is being deleted`);
    }
  }
  if (source.deleted || source.lowerDevice !== null) {
    throw new NtStatusError(STATUS_INVALID_PARAMETER, `${source} is deleted or already attached to ${source.lowerDevice}`);
  }
  if (io.verifier && source === top) io.fail('attach-to-self', `${source} attached to itself`);
  top.attachedDevice = source;
  source.lowerDevice = top;
  source.stackSize = top.stackSize + 1;
  return top;
}

/** Attaches `source` to the stack of the device named `targetName`; returns the device attached to. */
export function IoAttachDevice(source: DeviceObject, targetName: string): DeviceObject {
  const target = lookupDevice(source.driver.io, targetName);
  return IoAttachDeviceToDeviceStack(source, target);
}

/**
 * Detaches whatever is attached directly above `target`. Refused while yet another device is attached
 * above that one (detach is LIFO), except inside the forced-detach cascade of a device deletion.
 */
export function IoDetachDevice(target: DeviceObject): void {
  const io = target.driver.io;
  const source = target.attachedDevice;
  if (source === null) {
    const message = `IoDetachDevice: nothing is attached to ${target}`;
    if (io.verifier) io.fail('detach-nothing-attached', message);
    throw new NtStatusError(STATUS_INVALID_PARAMETER, message);
  }
  if (source.attachedDevice !== null && io.cascadeDepth === 0) {
    const message = `cannot detach ${source} from ${target}: ${source.attachedDevice} is attached above it (detach is last-in, first-out)`;
    if (io.verifier) io.fail('detach-out-of-order', message);
    throw new NtStatusError(STATUS_INVALID_DEVICE_STATE, message);
  }
  detach(target);
}

export function lookupDevice(io: IoManager, name: string): DeviceObject {
  const device = io.namespace.get(namespaceKey(name));
  if (device === undefined) throw new NtStatusError(STATUS_OBJECT_NAME_NOT_FOUND, `no device named '${name}'`);
  return device;
}

/** The top of the named device's stack and a file object opened on the device. */
export function IoGetDeviceObjectPointer(io: IoManager, name: string): { fileObject: FileObject; deviceObject: DeviceObject } {
  const device = lookupDevice(io, name);
  if (device.deletePending) throw new NtStatusError(STATUS_NO_SUCH_DEVICE, `device '${name}' is being deleted`);
  return { fileObject: new FileObject(device, ''), deviceObject: IoGetAttachedDevice(device) };
}

/**
 * Where requests on `fileObject` go: the top of the stack of the volume mounted for its device
 * (through the file object's VPB, else the device's), otherwise the top of the device's own stack.
 */
export function IoGetRelatedDeviceObject(fileObject: FileObject): DeviceObject {
  const vpb = fileObject.vpb ?? fileObject.deviceObject.vpb;
  if (vpb !== null && vpb.deviceObject !== null && (vpb.flags & VPB_MOUNTED) !== 0) {
    return IoGetAttachedDevice(vpb.deviceObject);
  }
  return IoGetAttachedDevice(fileObject.deviceObject);
}
