// A zip reader over a ByteSource: finds the end-of-central-directory record (and the zip64 one when the
// classic fields overflow), walks the central directory, and locates each member's data through its
// local header. Members stored or deflated can be extracted; others are listed as unsupported.

import { readExactly, sliceSource, type ByteSource } from '../source/byte-source.js';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

export interface ZipMember {
  readonly name: string;
  /** 0 stored, 8 deflate; anything else cannot be extracted here. */
  readonly method: number;
  readonly encrypted: boolean;
  readonly compressedSize: number;
  readonly size: number;
  /** The compressed bytes (resolved through the local header). */
  data(): Promise<ByteSource>;
}

export async function zipMembers(source: ByteSource): Promise<ZipMember[]> {
  const { count, offset, size } = await centralDirectory(source);
  if (offset + size > source.size) throw new ZipFormatError(`the central directory (offset ${offset}, ${size} bytes) lies beyond the end of the data (${source.size} bytes)`);
  const directory = await readExactly(source, offset, size, 'zip central directory');
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const members: ZipMember[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || view.getUint32(at, true) !== CENTRAL) throw new ZipFormatError(`central directory entry ${i} at offset ${offset + at} is damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localOffset = view.getUint32(at + 42, true);
    const nameBytes = directory.subarray(at + 46, at + 46 + nameLength);
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    ({ compressedSize, uncompressedSize, localOffset } = applyZip64Extra(extra, { compressedSize, uncompressedSize, localOffset }));
    const name = Buffer.from(nameBytes).toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1');
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    members.push({
      name,
      method,
      encrypted: (flags & 1) !== 0,
      compressedSize,
      size: uncompressedSize,
      data: () => memberData(source, localOffset, compressedSize, name),
    });
  }
  return members;
}

async function centralDirectory(source: ByteSource): Promise<{ count: number; offset: number; size: number }> {
  const tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT);
  const tail = await readExactly(source, source.size - tailLength, tailLength, 'zip end of central directory');
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (view.getUint32(at, true) !== EOCD) continue;
    const count = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 12, true);
    const offset = view.getUint32(at + 16, true);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return zip64Directory(source, source.size - tailLength + at);
    return { count, offset, size };
  }
  throw new ZipFormatError('no end-of-central-directory record: not a complete zip');
}

async function zip64Directory(source: ByteSource, eocdAt: number): Promise<{ count: number; offset: number; size: number }> {
  const locator = await readExactly(source, eocdAt - 20, 20, 'zip64 locator');
  const lv = new DataView(locator.buffer, locator.byteOffset, 20);
  if (lv.getUint32(0, true) !== ZIP64_LOCATOR) throw new ZipFormatError('the zip64 locator is missing');
  const recordAt = Number(lv.getBigUint64(8, true));
  const record = await readExactly(source, recordAt, 56, 'zip64 end of central directory');
  const rv = new DataView(record.buffer, record.byteOffset, 56);
  if (rv.getUint32(0, true) !== ZIP64_EOCD) throw new ZipFormatError('the zip64 end-of-central-directory record is damaged');
  return { count: Number(rv.getBigUint64(32, true)), size: Number(rv.getBigUint64(40, true)), offset: Number(rv.getBigUint64(48, true)) };
}

interface Sizes {
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

/** The zip64 extra field (0x0001) carries, in order, whichever of the three fields overflowed. */
function applyZip64Extra(extra: Uint8Array, sizes: Sizes): Sizes {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 1) {
      const result = { ...sizes };
      let p = at + 4;
      const take = (): number => {
        const value = p + 8 <= at + 4 + length ? Number(view.getBigUint64(p, true)) : -1;
        p += 8;
        return value;
      };
      if (sizes.uncompressedSize === 0xffffffff) result.uncompressedSize = take();
      if (sizes.compressedSize === 0xffffffff) result.compressedSize = take();
      if (sizes.localOffset === 0xffffffff) result.localOffset = take();
      return result;
    }
    at += 4 + length;
  }
  return sizes;
}

async function memberData(source: ByteSource, localOffset: number, compressedSize: number, name: string): Promise<ByteSource> {
  const header = await readExactly(source, localOffset, 30, `local header of '${name}'`);
  const view = new DataView(header.buffer, header.byteOffset, 30);
  if (view.getUint32(0, true) !== LOCAL) throw new ZipFormatError(`the local header of '${name}' at offset ${localOffset} is damaged`);
  const dataOffset = localOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  if (dataOffset + compressedSize > source.size) throw new ZipFormatError(`member '${name}' is truncated`);
  return sliceSource(source, dataOffset, compressedSize);
}
