// The stub left in place of a released file: three text lines, readable with `cat`, small and
// self-describing.
//
//   strata-hsm-stub/1
//   {"size":1048576,"mtime":1700000000000,"atime":1700000000000,"sha256":"<64 hex>","tier":"cold","object":"<64 hex>"}
//   hmac-sha256:<43 base64url characters>
//
// Line 1 is the magic and the format version; line 2 the file's logical size, modification and access
// times (ms since the epoch), the SHA-256 of its content, the tier and the object holding it; line 3 an
// HMAC-SHA256 over the bytes of lines 1 and 2 with the data dir's stub key, so a hand-edited stub (say,
// pointing at another object) is detected and never recalled. Parsing is strict: anything else is
// STATUS_FILE_CORRUPT_ERROR naming the line and field.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { NtStatusError, STATUS_FILE_CORRUPT_ERROR } from '../../../main/io/index.js';
import { isObjectId, isTierName } from '../tier/tier.js';

export const STUB_MAGIC = 'strata-hsm-stub';
export const STUB_VERSION = 1;
/** No stub is larger; a bigger file is never taken for one. */
export const STUB_MAX_SIZE = 1024;
const MAC_PREFIX = 'hmac-sha256:';
const HEX64 = /^[0-9a-f]{64}$/;

export interface StubFields {
  /** The file's size in bytes (what listings and queries report). */
  readonly size: number;
  readonly mtime: number;
  readonly atime: number;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
  readonly tier: string;
  readonly object: string;
}

const FIELD_NAMES = ['size', 'mtime', 'atime', 'sha256', 'tier', 'object'] as const;

/** A file that is not a well-formed, authentic stub. */
export class StubError extends NtStatusError {
  constructor(readonly where: string, reason: string) {
    super(STATUS_FILE_CORRUPT_ERROR, `stub ${where}: ${reason}`);
    this.name = 'StubError';
  }
}

export function encodeStub(fields: StubFields, key: Uint8Array): Uint8Array {
  checkFields(fields, 'being written');
  const body = `${STUB_MAGIC}/${STUB_VERSION}\n${JSON.stringify(pick(fields))}\n`;
  return new TextEncoder().encode(`${body}${MAC_PREFIX}${mac(body, key)}\n`);
}

/** True when `bytes` start like a stub (magic line), authentic or not. */
export function looksLikeStub(bytes: Uint8Array): boolean {
  const magic = `${STUB_MAGIC}/`;
  if (bytes.length < magic.length) return false;
  return new TextDecoder().decode(bytes.subarray(0, magic.length)) === magic;
}

/** Parses and authenticates a stub; `where` names it in errors (its path). */
export function decodeStub(bytes: Uint8Array, key: Uint8Array, where: string): StubFields {
  if (bytes.length > STUB_MAX_SIZE) throw new StubError(where, `is ${bytes.length} bytes, more than the ${STUB_MAX_SIZE} a stub can be`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new StubError(where, 'is not UTF-8 text');
  }
  const lines = text.split('\n');
  if (lines.length !== 4 || lines[3] !== '') throw new StubError(where, `has ${lines.length - 1} complete lines, expected 3 (magic, fields, MAC) each ending in a newline`);
  const [magicLine, fieldsLine, macLine] = lines as [string, string, string];
  const [magic, version] = magicLine.split('/');
  if (magic !== STUB_MAGIC) throw new StubError(where, `line 1: magic '${magicLine.slice(0, 40)}' is not '${STUB_MAGIC}/<version>'`);
  if (version !== String(STUB_VERSION)) throw new StubError(where, `line 1: format version '${version}' is not supported (this build reads version ${STUB_VERSION})`);
  if (!macLine.startsWith(MAC_PREFIX)) throw new StubError(where, `line 3: expected '${MAC_PREFIX}<mac>'`);
  const expected = Buffer.from(mac(`${magicLine}\n${fieldsLine}\n`, key), 'base64url');
  const given = Buffer.from(macLine.slice(MAC_PREFIX.length), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new StubError(where, 'line 3: the MAC does not match: the stub was edited, or made with another data dir\'s key');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fieldsLine);
  } catch {
    throw new StubError(where, 'line 2: not a JSON object');
  }
  return checkFields(parsed, where);
}

function checkFields(value: unknown, where: string): StubFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new StubError(where, 'line 2: not a JSON object');
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).filter((key) => !(FIELD_NAMES as readonly string[]).includes(key));
  if (extra.length > 0) throw new StubError(where, `line 2: unknown field '${extra[0]}'`);
  for (const field of ['size', 'mtime', 'atime'] as const) {
    const number = record[field];
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) throw new StubError(where, `line 2: field '${field}' must be a non-negative integer`);
  }
  if (typeof record.sha256 !== 'string' || !HEX64.test(record.sha256)) throw new StubError(where, "line 2: field 'sha256' must be 64 lowercase hex digits");
  if (!isTierName(record.tier)) throw new StubError(where, "line 2: field 'tier' is not a tier name");
  if (!isObjectId(record.object)) throw new StubError(where, "line 2: field 'object' must be 64 lowercase hex digits");
  return pick(record as unknown as StubFields);
}

/** The fields in their canonical order (the order is part of what the MAC covers). */
function pick(fields: StubFields): StubFields {
  const { size, mtime, atime, sha256, tier, object } = fields;
  return { size, mtime, atime, sha256, tier, object };
}

function mac(body: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
