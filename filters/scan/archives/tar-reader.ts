// A tar reader (ustar, GNU long names, pax path records) over a ByteSource: headers are read one at a
// time and members are returned as slices, so nothing is copied. Used for .tar members when scanning
// and for the tar inside ClamAV .cvd/.cld containers.

import { readExactly, sliceSource, type ByteSource } from '../source/byte-source.js';

const BLOCK = 512;

export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
}

export interface TarEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory' | 'other';
  readonly content: ByteSource;
}

/** True when `header` (512 bytes) has a valid tar checksum: how a tar without "ustar" is recognised. */
export function isTarHeader(header: Uint8Array): boolean {
  if (header.length < BLOCK || header.every((b) => b === 0)) return false;
  const stored = parseOctal(header.subarray(148, 156));
  return stored !== null && stored === headerChecksum(header);
}

export async function* tarEntries(source: ByteSource): AsyncGenerator<TarEntry> {
  let offset = 0;
  let longName: string | null = null;
  while (offset + BLOCK <= source.size) {
    const header = await readExactly(source, offset, BLOCK, 'tar header');
    if (header.every((b) => b === 0)) return;
    if (!isTarHeader(header)) throw new TarFormatError(`tar header at offset ${offset} has a bad checksum`);
    const size = parseSize(header.subarray(124, 136));
    if (size === null) throw new TarFormatError(`tar header at offset ${offset} has an unreadable size`);
    const dataOffset = offset + BLOCK;
    if (dataOffset + size > source.size) throw new TarFormatError(`tar member at offset ${offset} is truncated: ${size} bytes declared, ${source.size - dataOffset} present`);
    const type = String.fromCharCode(header[156]!);
    const content = sliceSource(source, dataOffset, size);
    offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = cString(await readExactly(content, 0, size, 'GNU long name'));
      continue;
    }
    if (type === 'x') {
      longName = paxPath(await readExactly(content, 0, size, 'pax header')) ?? longName;
      continue;
    }
    if (type === 'g') continue;
    const name = longName ?? headerName(header);
    longName = null;
    const kind = type === '0' || type === '\0' || type === '7' ? 'file' : type === '5' ? 'directory' : 'other';
    yield { name, kind, content };
  }
}

function headerName(header: Uint8Array): string {
  const name = cString(header.subarray(0, 100));
  const isUstar = cString(header.subarray(257, 263)) === 'ustar';
  const prefix = isUstar ? cString(header.subarray(345, 500)) : '';
  return prefix === '' ? name : `${prefix}/${name}`;
}

function paxPath(records: Uint8Array): string | null {
  const text = Buffer.from(records).toString('utf8');
  let path: string | null = null;
  for (const line of text.split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match !== null) path = match[1]!;
  }
  return path;
}

function headerChecksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

/** Octal (NUL/space terminated), or GNU base-256 when the top bit of the first byte is set. */
function parseSize(field: Uint8Array): number | null {
  if ((field[0]! & 0x80) !== 0) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return Number.isSafeInteger(value) ? value : null;
  }
  return parseOctal(field);
}

function parseOctal(field: Uint8Array): number | null {
  const text = cString(field).trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : null;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
}
