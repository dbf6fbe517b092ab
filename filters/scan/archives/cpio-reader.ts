// A cpio reader over a ByteSource, for the four header formats cpio writes: "newc" and "crc" (ASCII
// hex, 4-byte aligned), "odc" (ASCII octal) and the old binary one (16-bit words, either byte order).
// Members are returned as slices of the source; the archive ends at the TRAILER!!! entry.

import { readExactly, sliceSource, type ByteSource } from '../source/byte-source.js';

export class CpioFormatError extends Error {
  override readonly name = 'CpioFormatError';
}

export interface CpioEntry {
  readonly name: string;
  readonly regularFile: boolean;
  readonly content: ByteSource;
}

type Format = 'newc' | 'odc' | 'binary-le' | 'binary-be';

const TRAILER = 'TRAILER!!!';
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

export function cpioFormatOf(head: Uint8Array): Format | null {
  const magic = Buffer.from(head.subarray(0, 6)).toString('latin1');
  if (magic === '070701' || magic === '070702') return 'newc';
  if (magic === '070707') return 'odc';
  if (head.length >= 2 && head[0] === 0xc7 && head[1] === 0x71) return 'binary-le';
  if (head.length >= 2 && head[0] === 0x71 && head[1] === 0xc7) return 'binary-be';
  return null;
}

interface Header {
  readonly headerSize: number;
  readonly mode: number;
  readonly nameSize: number;
  readonly fileSize: number;
  /** Alignment of the name's end and of the data's end. */
  readonly align: number;
}

export async function* cpioEntries(source: ByteSource): AsyncGenerator<CpioEntry> {
  let offset = 0;
  for (;;) {
    const probe = await source.read(offset, 6);
    const format = cpioFormatOf(probe);
    if (format === null) throw new CpioFormatError(`no cpio header at offset ${offset}`);
    const header = await readHeader(source, offset, format);
    const nameBytes = await readExactly(source, offset + header.headerSize, header.nameSize, 'cpio member name');
    const name = Buffer.from(nameBytes.subarray(0, Math.max(0, header.nameSize - 1))).toString('utf8');
    const dataOffset = alignUp(offset + header.headerSize + header.nameSize, header.align);
    if (name === TRAILER) return;
    if (dataOffset + header.fileSize > source.size) throw new CpioFormatError(`cpio member '${name}' is truncated`);
    yield { name, regularFile: (header.mode & S_IFMT) === S_IFREG, content: sliceSource(source, dataOffset, header.fileSize) };
    offset = alignUp(dataOffset + header.fileSize, header.align);
  }
}

async function readHeader(source: ByteSource, offset: number, format: Format): Promise<Header> {
  if (format === 'newc') {
    const text = Buffer.from(await readExactly(source, offset, 110, 'cpio header')).toString('latin1');
    const field = (index: number): number => number(text.slice(6 + index * 8, 14 + index * 8), 16, offset);
    return { headerSize: 110, mode: field(1), fileSize: field(6), nameSize: field(11), align: 4 };
  }
  if (format === 'odc') {
    const text = Buffer.from(await readExactly(source, offset, 76, 'cpio header')).toString('latin1');
    return { headerSize: 76, mode: number(text.slice(18, 24), 8, offset), nameSize: number(text.slice(59, 65), 8, offset), fileSize: number(text.slice(65, 76), 8, offset), align: 1 };
  }
  const bytes = await readExactly(source, offset, 26, 'cpio header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, 26);
  const little = format === 'binary-le';
  const word = (index: number): number => view.getUint16(index * 2, little);
  return { headerSize: 26, mode: word(3), nameSize: word(10), fileSize: word(11) * 0x10000 + word(12), align: 2 };
}

function number(text: string, radix: 8 | 16, offset: number): number {
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/;
  if (!valid.test(text)) throw new CpioFormatError(`cpio header at offset ${offset} has a malformed field '${text}'`);
  return parseInt(text, radix);
}

function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}
