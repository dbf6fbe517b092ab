// The on-disk form of an undo journal, so that a run started after a crash can put a file back: a header
// naming the file (volume key, volume-relative path) and its size before the stream changed it, then
// records appended as the stream goes — each a saved original byte range, or the file's new name after a
// rename — each with its CRC-32. A record that is cut short or fails its CRC ends the journal: records are
// synced before the change they protect goes down, so a bad tail protects no change that happened.
//
//   header: "STRATA-SCAN-UNDO/1\n", u32 length, JSON {volume, path, originalSize, created, sequence}, u32 crc32(JSON)
//   record: u8 kind ('R' range | 'N' name), u48 offset (0 for a name), u32 length, u32 crc32(payload), payload

import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

const MAGIC = Buffer.from('STRATA-SCAN-UNDO/1\n', 'latin1');
const RECORD_HEADER = 15;
export const RANGE = 0x52;
export const NAME = 0x4e;
/** The largest payload of one record (its length field is 32 bits). */
export const MAX_RECORD = 0x4000_0000;
/** How much of a payload is read at a time to check its CRC. */
const CHECK_CHUNK = 1 << 20;

/** The file a journal belongs to. */
export interface JournalTarget {
  /** The volume's key (stable across runs: the agent's folder id), see ScanFilterOptions.volumeKey. */
  readonly volume: string;
  /** Volume-relative ("\docs\a.txt"). */
  readonly path: string;
}

export interface JournalHeader extends JournalTarget {
  readonly originalSize: number;
  /** When the journal began (ms since the epoch), and a counter of the process that made it: orders the journals of one file. */
  readonly created: number;
  readonly sequence: number;
}

export interface JournalRecord {
  readonly kind: typeof RANGE | typeof NAME;
  readonly offset: number;
  readonly length: number;
  /** Where the payload starts in the journal file. */
  readonly at: number;
}

export class JournalFormatError extends Error {
  override readonly name = 'JournalFormatError';
}

export function encodeHeader(header: JournalHeader): Buffer {
  const { volume, path, originalSize, created, sequence } = header;
  const json = Buffer.from(JSON.stringify({ volume, path, originalSize, created, sequence }), 'utf8');
  const out = Buffer.alloc(MAGIC.length + 8 + json.length);
  MAGIC.copy(out);
  out.writeUInt32BE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  out.writeUInt32BE(crc32(json), MAGIC.length + 4 + json.length);
  return out;
}

export function encodeRecordHeader(kind: JournalRecord['kind'], offset: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(RECORD_HEADER);
  out[0] = kind;
  out.writeUIntBE(offset, 1, 6);
  out.writeUInt32BE(payload.length, 7);
  out.writeUInt32BE(crc32(payload), 11);
  return out;
}

/**
 * Reads the header of the journal `file` (named `where` in errors). Null when the file ends before a
 * whole header: it was cut while being created, before anything was saved in it.
 */
export async function readHeader(file: FileHandle, where: string): Promise<{ header: JournalHeader; end: number } | null> {
  const size = (await file.stat()).size;
  if (size < MAGIC.length + 4) return null;
  const start = await readExactly(file, 0, MAGIC.length + 4);
  if (!start.subarray(0, MAGIC.length).equals(MAGIC)) throw new JournalFormatError(`${where}: not an undo journal (bad magic)`);
  const length = start.readUInt32BE(MAGIC.length);
  const end = MAGIC.length + 8 + length;
  if (size < end) return null;
  const rest = await readExactly(file, MAGIC.length + 4, length + 4);
  const json = rest.subarray(0, length);
  if (crc32(json) !== rest.readUInt32BE(length)) throw new JournalFormatError(`${where}: the header fails its CRC`);
  let value: Partial<JournalHeader>;
  try {
    value = JSON.parse(json.toString('utf8')) as Partial<JournalHeader>;
  } catch {
    throw new JournalFormatError(`${where}: the header is not JSON`);
  }
  const counts = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  if (typeof value.volume !== 'string' || typeof value.path !== 'string' || !counts(value.originalSize) || !counts(value.created) || !counts(value.sequence)) {
    throw new JournalFormatError(`${where}: the header lacks volume, path, originalSize, created or sequence`);
  }
  return { header: { volume: value.volume, path: value.path, originalSize: value.originalSize, created: value.created, sequence: value.sequence }, end };
}

/** The complete, intact records from `from` on; reading stops at the first cut or damaged one. */
export async function readRecords(file: FileHandle, from: number): Promise<JournalRecord[]> {
  const size = (await file.stat()).size;
  const records: JournalRecord[] = [];
  let position = from;
  while (position + RECORD_HEADER <= size) {
    const head = await readExactly(file, position, RECORD_HEADER);
    const kind = head[0];
    const length = head.readUInt32BE(7);
    const at = position + RECORD_HEADER;
    if ((kind !== RANGE && kind !== NAME) || at + length > size) break;
    if ((await crcOf(file, at, length)) !== head.readUInt32BE(11)) break;
    records.push({ kind, offset: head.readUIntBE(1, 6), length, at });
    position = at + length;
  }
  return records;
}

export async function readExactly(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const out = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(out, done, length - done, position + done);
    if (bytesRead === 0) throw new JournalFormatError(`the undo journal ends at ${position + done}, ${length - done} bytes short`);
    done += bytesRead;
  }
  return out;
}

async function crcOf(file: FileHandle, at: number, length: number): Promise<number> {
  let crc = 0;
  for (let offset = 0; offset < length; offset += CHECK_CHUNK) {
    crc = crc32(await readExactly(file, at + offset, Math.min(CHECK_CHUNK, length - offset)), crc);
  }
  return crc;
}
