// Writes a new file front to back in whole sectors through an unbuffered open (FILE_NO_INTERMEDIATE_BUFFERING):
// every write starts and ends on a sector boundary and comes from page-aligned memory, so the volume can
// hand it to the disk without the host's page cache (fresh page-cache pages cost more CPU than the
// encryption of the same bytes on this kind of machine). A run of bytes is laid out in its slab `lead`
// bytes in, `lead` being its file offset's distance past the sector boundary before it; the bytes of the
// run before that did not fill a sector (the carry) are copied in front, the whole sectors go out, and the
// rest is carried on. The last run is padded to a whole sector, then the end of file is set to the exact
// length.

import { UNBUFFERED_ALIGNMENT, alignedSharedBuffer, type FileHandle } from '../../main/io/index.js';
import type { Below } from './below.js';

const SECTOR = UNBUFFERED_ALIGNMENT;

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

export class SectorWriter {
  /** Bytes handed to the file so far (writes may still be under way): always whole sectors. */
  private written = 0;
  /** The bytes after `written` that do not fill a sector yet. */
  private carry = new Uint8Array(0);
  /** Where the next run starts in the file. */
  private end = 0;

  private constructor(private readonly below: Below, readonly handle: FileHandle) {}

  /** Where a run starting at file offset `offset` goes in its slab. */
  static leadOf(offset: number): number {
    return offset % SECTOR;
  }

  /** The slab length a run of `length` bytes at file offset `offset` needs (lead, run, padding to a sector). */
  static slabLengthOf(offset: number, length: number): number {
    return roundUp(SectorWriter.leadOf(offset) + length, SECTOR);
  }

  /** Starts the file with `prefix` (whole sectors of it written at once, the rest carried). */
  static async start(below: Below, handle: FileHandle, prefix: Uint8Array): Promise<SectorWriter> {
    const writer = new SectorWriter(below, handle);
    const length = prefix.length;
    const slab = new Uint8Array(alignedSharedBuffer(roundUp(Math.max(1, length), 1 << 16)), 0, SectorWriter.slabLengthOf(0, length));
    slab.set(prefix);
    await writer.write(slab, length, false);
    return writer;
  }

  /** The file offset the next run starts at. */
  get offset(): number {
    return this.end;
  }

  /**
   * Writes the run in `slab` (aligned memory of slabLengthOf(offset, length) bytes, the run `lead` bytes
   * in; the lead itself is overwritten with the carry). `last`: the run ends the file. The next run can be
   * written before this one's write is done (each is laid out when it is called); resolves to the end of
   * the whole sectors it wrote.
   */
  async write(slab: Uint8Array, length: number, last: boolean): Promise<number> {
    const lead = SectorWriter.leadOf(this.end);
    if (this.carry.length !== lead || slab.length < SectorWriter.slabLengthOf(this.end, length)) {
      throw new Error(`sector writer: a run at ${this.end} needs a ${lead}-byte lead in a ${SectorWriter.slabLengthOf(this.end, length)}-byte slab`);
    }
    slab.set(this.carry);
    const total = lead + length;
    const whole = last ? roundUp(total, SECTOR) : Math.floor(total / SECTOR) * SECTOR;
    if (last) slab.fill(0, total, whole);
    const at = this.written;
    this.carry = last ? new Uint8Array(0) : slab.slice(whole, total);
    this.written += whole;
    this.end += length;
    const end = this.end;
    if (whole > 0) await this.below.writeAt(this.handle, slab.subarray(0, whole), at);
    // The padding of the last sector is not part of the file.
    if (last && whole !== total) await this.below.setEndOfFile(this.handle, end);
    return at + whole;
  }
}
