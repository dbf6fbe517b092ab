// The optional ASCII armor: strict PEM-like framing with padded base64 in 64-column lines, LF or CRLF
// line ends, whitespace allowed only around the armor, no PEM headers and no checksum line.

import { decodeBase64, encodeBase64 } from './base64.js';
import { ArmorError } from './errors.js';
import { concat } from './header.js';

export const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
export const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const MAX_WHITESPACE = 1024;

export function armor(bytes: Uint8Array): string {
  const body = encodeBase64(bytes, true);
  const lines = [ARMOR_BEGIN];
  for (let i = 0; i < body.length; i += COLUMNS) lines.push(body.slice(i, i + COLUMNS));
  lines.push(ARMOR_END);
  return `${lines.join('\n')}\n`;
}

/** True when the input (after leading whitespace) starts like armor. */
export function isArmored(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && i < MAX_WHITESPACE && isSpace(bytes[i]!)) i++;
  return startsWith(bytes, i, '-----BEGIN');
}

export function dearmor(input: Uint8Array | string): Uint8Array {
  const text = typeof input === 'string' ? input : latin1(input);
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) {
    if (++start > MAX_WHITESPACE) throw new ArmorError('too much leading whitespace');
  }
  const lines = splitLines(text.slice(start));
  if (lines[0] !== ARMOR_BEGIN) throw new ArmorError(`the first line is not '${ARMOR_BEGIN}'`, 1);
  const parts: Uint8Array[] = [];
  for (let n = 1; ; n++) {
    const line = lines[n];
    if (line === undefined) throw new ArmorError(`the closing line '${ARMOR_END}' is missing`, n + 1);
    if (line === ARMOR_END) return finish(parts, lines, n);
    if (line.length === 0) throw new ArmorError('an empty line inside the armor', n + 1);
    if (line.length > COLUMNS) throw new ArmorError(`a line is longer than ${COLUMNS} columns`, n + 1);
    const decoded = decodeBase64(line, true);
    if (decoded === null) throw new ArmorError('a line is not canonical padded base64', n + 1);
    parts.push(decoded);
    if (line.length < COLUMNS || line.endsWith('=')) {
      if (lines[n + 1] !== ARMOR_END) throw new ArmorError(`a short or padded line must be the last before '${ARMOR_END}'`, n + 2);
    }
  }
}

function finish(parts: Uint8Array[], lines: string[], endIndex: number): Uint8Array {
  const rest = lines.slice(endIndex + 1).join('\n');
  if (rest.trim() !== '') throw new ArmorError('data follows the closing line', endIndex + 2);
  if (rest.length > MAX_WHITESPACE) throw new ArmorError('too much trailing whitespace', endIndex + 2);
  return concat(parts);
}

/** Lines split on LF, each stripped of one trailing CR. */
function splitLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function startsWith(bytes: Uint8Array, at: number, prefix: string): boolean {
  if (bytes.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
