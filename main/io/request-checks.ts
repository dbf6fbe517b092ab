// The upper edge's checks of what a caller hands NtFileApi, made before anything is allocated and before an
// IRP is built. A value of the wrong kind or out of range is STATUS_INVALID_PARAMETER (as NtReadFile refuses
// a misaligned unbuffered length); a buffer too short for the length asked for is STATUS_INVALID_USER_BUFFER
// (what NT file systems return when the caller's buffer cannot be locked for the whole transfer, as
// FastFAT's FatLockUserBuffer does). Each refusal carries a reason naming the call, the file and the value.

import { STATUS_INVALID_PARAMETER, STATUS_INVALID_USER_BUFFER, type NTSTATUS } from './ntstatus.js';

/** The largest length any request may carry, as NT's MAXLONG: the count of bytes a request moved stays an int32. */
export const MAXIMUM_REQUEST_LENGTH = 0x7fffffff;

/**
 * The largest buffer the I/O manager allocates for one request: a read given no buffer of the caller's, a
 * control request's output. 64 MiB (1024 chunks of 64 KiB), eight times the largest read Strata makes (the
 * HSM's 8 MiB hashing chunk; the CLI reads 1 MiB, the crypt benchmark 4 MiB, the scan filter 1 MiB): a
 * length from an untrusted caller cannot make it allocate gigabytes for a ten-byte file. A read into a
 * buffer of the caller's is bounded by that buffer instead; nothing is allocated for it.
 */
export const MAXIMUM_ALLOCATED_BUFFER = 64 << 20;

/** Why a request is refused before an IRP is built, and with which status. */
export interface Refusal {
  status: NTSTATUS;
  reason: string;
}

/**
 * Checks a read of `length` bytes at `byteOffset`, into `into` when given; `where` names the call and file
 * ("read of '\dir\file'"). Null when the read may go ahead.
 */
export function checkRead(where: string, length: unknown, byteOffset: unknown, into: unknown): Refusal | null {
  const problem = lengthProblem(where, 'length', length) ?? offsetProblem(where, byteOffset, 0);
  if (problem !== null) return problem;
  const wanted = length as number;
  if (into === undefined) {
    if (wanted <= MAXIMUM_ALLOCATED_BUFFER) return null;
    return refuse(STATUS_INVALID_PARAMETER, `${where}: length ${wanted} is more than the ${MAXIMUM_ALLOCATED_BUFFER} bytes `
      + '(MAXIMUM_ALLOCATED_BUFFER) the I/O manager allocates for one request; read in parts, or into a buffer of your own');
  }
  if (!(into instanceof Uint8Array)) return refuse(STATUS_INVALID_PARAMETER, `${where}: the buffer is ${kindOf(into)}, not a Uint8Array`);
  if (into.length < wanted) {
    return refuse(STATUS_INVALID_USER_BUFFER, `${where}: the buffer holds ${into.length} bytes, fewer than the ${wanted} asked for`);
  }
  return null;
}

/** Checks a write of `data` at `byteOffset` (FILE_WRITE_TO_END_OF_FILE, -1, appends). */
export function checkWrite(where: string, data: unknown, byteOffset: unknown): Refusal | null {
  if (!(data instanceof Uint8Array)) return refuse(STATUS_INVALID_PARAMETER, `${where}: the data is ${kindOf(data)}, not a Uint8Array`);
  return lengthProblem(where, 'length of the data', data.length) ?? offsetProblem(where, byteOffset, -1);
}

/** Checks a control request: a 32-bit code (CTL_CODE with a device type >= 0x8000 is negative in JS), bytes or null in, an output length. */
export function checkControl(where: string, code: unknown, input: unknown, outputLength: unknown): Refusal | null {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < -0x80000000 || code > 0xffffffff) {
    return refuse(STATUS_INVALID_PARAMETER, `${where}: control code ${describe(code)} is not a 32-bit value`);
  }
  if (input !== null && !(input instanceof Uint8Array)) return refuse(STATUS_INVALID_PARAMETER, `${where}: the input is ${kindOf(input)}, not a Uint8Array or null`);
  const problem = lengthProblem(where, 'output length', outputLength);
  if (problem !== null) return problem;
  if ((outputLength as number) <= MAXIMUM_ALLOCATED_BUFFER) return null;
  return refuse(STATUS_INVALID_PARAMETER, `${where}: output length ${outputLength as number} is more than the ${MAXIMUM_ALLOCATED_BUFFER} bytes `
    + '(MAXIMUM_ALLOCATED_BUFFER) the I/O manager allocates for one request');
}

function lengthProblem(where: string, name: string, value: unknown): Refusal | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAXIMUM_REQUEST_LENGTH) return null;
  return refuse(STATUS_INVALID_PARAMETER, `${where}: ${name} ${describe(value)} is not a byte count from 0 to ${MAXIMUM_REQUEST_LENGTH}`);
}

function offsetProblem(where: string, value: unknown, lowest: number): Refusal | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= lowest) return null;
  return refuse(STATUS_INVALID_PARAMETER, `${where}: byte offset ${describe(value)} is not a whole number from ${lowest} to ${Number.MAX_SAFE_INTEGER}`);
}

function refuse(status: NTSTATUS, reason: string): Refusal {
  return { status, reason };
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : kindOf(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object') return `a ${typeof value}`;
  return `an object (${(value as object).constructor?.name ?? 'no class'})`;
}
