// Parsing NT object names ("\Device\StrataVolume1\dir\file.txt") into the device and the remaining
// file name, the way the object manager hands the rest of a path to the device's parse routine.

import type { DeviceObject } from './device.js';
import type { IoManager } from './io-manager.js';
import {
  STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_OBJECT_PATH_SYNTAX_BAD, type NTSTATUS,
} from './ntstatus.js';

export type ParsedName = { device: DeviceObject; remaining: string } | { status: NTSTATUS; reason: string };

const MAX_PATH_LENGTH = 32767;

/** Finds the longest device name that prefixes `path` at a component boundary. */
export function parseObjectName(io: IoManager, path: string): ParsedName {
  if (typeof path !== 'string' || path.length === 0) return { status: STATUS_OBJECT_NAME_INVALID, reason: 'empty path' };
  if (path.length > MAX_PATH_LENGTH) return { status: STATUS_OBJECT_NAME_INVALID, reason: `path longer than ${MAX_PATH_LENGTH} characters` };
  if (!path.startsWith('\\')) return { status: STATUS_OBJECT_PATH_SYNTAX_BAD, reason: `'${path}' is not an absolute NT path (it must start with a backslash)` };
  if (path.includes('\0')) return { status: STATUS_OBJECT_NAME_INVALID, reason: 'path contains a NUL character' };
  // Each candidate prefix is lower-cased on its own: toLowerCase can lengthen a string ('İ' becomes 'i' and
  // a combining dot), so indices into a lower-cased copy of the whole path do not match the path's.
  // Prefixes with more components than the deepest device name cannot name a device (lower-casing keeps
  // every backslash), which keeps a long path of many components from costing quadratic time.
  const deepest = deepestDeviceName(io);
  let cut = path.length;
  let components = componentsBefore(path, cut);
  while (cut > 0) {
    if (components <= deepest) {
      const device = io.namespace.get(path.slice(0, cut).toLowerCase());
      if (device !== undefined) return { device, remaining: path.slice(cut) };
    }
    cut = path.lastIndexOf('\\', cut - 1);
    components--;
  }
  return { status: STATUS_OBJECT_PATH_NOT_FOUND, reason: `no device in '${path}'` };
}

/** The number of backslashes in path[0, end): the components of that prefix. */
function componentsBefore(path: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (path.charCodeAt(i) === 0x5c) count++;
  return count;
}

/** The most components any device name has (its backslashes). */
function deepestDeviceName(io: IoManager): number {
  let deepest = 0;
  for (const key of io.namespace.keys()) deepest = Math.max(deepest, componentsBefore(key, key.length));
  return deepest;
}
