// Volume-relative file names ("\dir\file.txt"): validation and splitting into components. Everything a
// volume touches goes through here first, so a name can never climb out of the volume ('..'), name a
// drive ('C:'), smuggle a host separator ('/') or carry characters Windows refuses.

import { STATUS_OBJECT_NAME_INVALID } from '../io/index.js';
import { VolumeError } from './volume-error.js';

export interface VolumePath {
  /** The components below the volume root; empty for the root directory. */
  readonly components: string[];
  /** The name ended with a backslash: it may only name a directory. */
  readonly mustBeDirectory: boolean;
}

const MAX_COMPONENT_LENGTH = 255;
// Control characters, the characters Windows forbids in names, the host separator and (for names that
// come from a host listing rather than a split path) the NT separator.
const FORBIDDEN = /[\u0000-\u001f<>:"/\\|?*]/;

/**
 * Parses `name` as the file object's name: absolute (leading backslash, '' = root) when `base` is null,
 * relative to `base` (the related directory's components) otherwise. Throws STATUS_OBJECT_NAME_INVALID.
 */
export function parseVolumePath(name: string, base: readonly string[] | null = null): VolumePath {
  let rest = name;
  if (base === null) {
    if (rest === '') return { components: [], mustBeDirectory: false };
    if (!rest.startsWith('\\')) throw invalid(name, 'a volume-relative name must start with a backslash');
    rest = rest.slice(1);
  } else if (rest.startsWith('\\')) {
    throw invalid(name, 'a name relative to an open directory must not start with a backslash');
  }
  let mustBeDirectory = false;
  if (rest.endsWith('\\')) {
    mustBeDirectory = true;
    rest = rest.slice(0, -1);
  }
  const components = base === null ? [] : base.slice();
  if (rest === '') return { components, mustBeDirectory };
  for (const component of rest.split('\\')) {
    checkComponent(name, component);
    components.push(component);
  }
  return { components, mustBeDirectory };
}

function checkComponent(name: string, component: string): void {
  if (component === '') throw invalid(name, 'empty path component (doubled backslash)');
  if (component === '.' || component === '..') throw invalid(name, `'${component}' components are not allowed`);
  if (component.length > MAX_COMPONENT_LENGTH) throw invalid(name, `component longer than ${MAX_COMPONENT_LENGTH} characters`);
  const bad = FORBIDDEN.exec(component);
  if (bad !== null) throw invalid(name, `component '${component}' contains the forbidden character ${JSON.stringify(bad[0])}`);
  const last = component[component.length - 1];
  if (last === ' ' || last === '.') throw invalid(name, `component '${component}' ends with a space or a dot`);
}

function invalid(name: string, why: string): VolumeError {
  return new VolumeError(STATUS_OBJECT_NAME_INVALID, `file name '${name}': ${why}`);
}

/** The NT spelling of a volume path: '\a\b', or '\' for the root. */
export function volumePathName(components: readonly string[]): string {
  return '\\' + components.join('\\');
}

/** Whether `name` may be one component of a volume path (used to hide host names NT could not open). */
export function isValidComponent(name: string): boolean {
  try {
    checkComponent(name, name);
    return true;
  } catch {
    return false;
  }
}
