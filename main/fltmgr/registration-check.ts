// Checks a registration table at FltRegisterFilter and copies its callbacks into an array indexed by
// IRP_MJ_*: a malformed entry is refused there with an error naming it, instead of failing every
// matching operation later. An entry present but undefined counts as absent, as its type allows.

import { IRP_MJ_MAXIMUM_FUNCTION, NtStatusError, STATUS_INVALID_PARAMETER, majorFunctionName } from '../io/index.js';
import type { FltOperationRegistration, FltRegistration } from './registration.js';

export interface CheckedOperations {
  /** IRP_MJ_* -> the callbacks, undefined where the filter registered none. */
  readonly callbacks: readonly (FltOperationRegistration | undefined)[];
  /** The IRP_MJ_* codes the filter registered for, ascending. */
  readonly majors: readonly number[];
}

const INSTANCE_CALLBACKS = ['instanceSetup', 'instanceQueryTeardown', 'instanceTeardownStart', 'instanceTeardownComplete', 'contextCleanup'] as const;

export function checkRegistration(registration: FltRegistration): CheckedOperations {
  if (typeof registration !== 'object' || registration === null) throw refused('the registration', 'is not an object');
  const name = typeof registration.name === 'string' && registration.name !== '' ? registration.name : null;
  if (name === null) throw refused('the registration', `has no name (name: ${describe(registration.name)})`);
  const where = `minifilter '${name}'`;
  for (const key of INSTANCE_CALLBACKS) {
    const callback = registration[key];
    if (callback !== undefined && typeof callback !== 'function') throw refused(where, `${key} is ${describe(callback)}, not a function`);
  }
  const operations = registration.operations;
  if (typeof operations !== 'object' || operations === null) throw refused(where, `operations is ${describe(operations)}, not a table of IRP_MJ_* -> { pre, post }`);
  const callbacks: (FltOperationRegistration | undefined)[] = [];
  const majors: number[] = [];
  for (const key of Object.keys(operations)) {
    const major = Number(key);
    if (!Number.isInteger(major) || major < 0 || major > IRP_MJ_MAXIMUM_FUNCTION) {
      throw refused(where, `operations['${key}'] is not an IRP_MJ_* code (0 to ${IRP_MJ_MAXIMUM_FUNCTION})`);
    }
    const entry = (operations as Record<number, unknown>)[major];
    if (entry === undefined) continue;
    const label = `operations[${majorFunctionName(major)}]`;
    if (typeof entry !== 'object' || entry === null) throw refused(where, `${label} is ${describe(entry)}, not { pre?, post? }`);
    const { pre, post } = entry as FltOperationRegistration;
    if (pre !== undefined && typeof pre !== 'function') throw refused(where, `${label}.pre is ${describe(pre)}, not a function`);
    if (post !== undefined && typeof post !== 'function') throw refused(where, `${label}.post is ${describe(post)}, not a function`);
    callbacks[major] = { pre, post };
    majors.push(major);
  }
  majors.sort((a, b) => a - b);
  return { callbacks, majors };
}

function refused(where: string, problem: string): NtStatusError {
  return new NtStatusError(STATUS_INVALID_PARAMETER, `FltRegisterFilter: ${where}: ${problem}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
