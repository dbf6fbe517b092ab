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
  const lower = path.toLowerCase();
  let cut = path.length;
  while (cut > 0) {
    const device = io.namespace.get(lower.slice(0, cut));
    if (device !== undefined) return { device, remaining: path.slice(cut) };
    cut = path.lastIndexOf('\\', cut - 1);
  }
  return { status: STATUS_OBJECT_PATH_NOT_FOUND, reason: `no device in '${path}'` };
}
