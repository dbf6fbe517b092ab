// The filter's state for one open stream (its stream context): what the file on disk is (the base), the
// logical plaintext size, the unsaved writes, the file key while unlocked, and the filter's own handle on
// the ciphertext. Shared by every open of the stream; saved when the last one is cleaned up.

import { DirtyRanges } from './dirty-ranges.js';
import type { Base } from './file-probe.js';
import { InFlight } from './in-flight.js';
import { InOrder } from './in-order.js';
import { LazyHandle } from './lazy-handle.js';
import type { ReadAhead } from './read-ahead.js';
import type { SpilledWrites } from './spilled-writes.js';
import type { WriteBehind } from './write-behind.js';

export class CryptStream {
  /** Opens of the stream through this filter not yet cleaned up. */
  userOpens = 0;
  /** The filter's own open of the ciphertext, closed when the last user open is cleaned up. */
  readonly handle = new LazyHandle();
  /** The filter's unbuffered open of the ciphertext for large reads (opened on first need, closed with `handle`). */
  readonly unbufferedHandle = new LazyHandle();
  /** The payload key of the base, derived on first need; wiped on lock. */
  payloadKey: Uint8Array | null = null;
  /** The check that the base's final chunk is authenticated as final (neither truncated nor extended), once started; null again if it failed. */
  finalChunkCheck: Promise<void> | null = null;
  /** The large reads of the ciphertext, in the order they were asked for. */
  readonly ciphertextReads = new InOrder();
  /** Reads of the stream under way (the last cleanup waits for them). */
  readonly reads = new InFlight();
  readonly dirty = new DirtyRanges();
  /** Something was written, truncated or created: the stream must be saved as a new age file. */
  modified = false;
  /** The logical (plaintext) size. */
  size: number;
  /** Base bytes below this offset are still part of the file (a truncation cuts it). */
  baseLimit: number;
  /** The next ranges of a sequential reader, being decrypted already. */
  readAhead: ReadAhead | null = null;
  /** Where the last read ended: a read starting there is sequential. */
  lastReadEnd = 0;
  /** The new version being encrypted while it is written (write-behind.ts), if any. */
  writeBehind: WriteBehind | null = null;
  /** No write-behind once one was abandoned, or a gap was written (until the file is overwritten). */
  writeBehindAllowed = true;
  /** Unsaved writes the write-behind dropped from memory, read back from its temporary file (beneath `dirty`). */
  spilled: SpilledWrites | null = null;

  constructor(public base: Base, public name: string) {
    this.size = base.kind === 'age' ? base.plaintextSize : base.kind === 'plain' ? base.size : 0;
    this.baseLimit = this.size;
  }

  /** Abandons the write-behind, if any, for good: the save will stream the whole file. */
  dropWriteBehind(): Promise<void> {
    const writeBehind = this.writeBehind;
    this.writeBehind = null;
    this.writeBehindAllowed = false;
    return writeBehind?.abandon() ?? Promise.resolve();
  }

  /**
   * Lets go of the writes the write-behind holds in its temporary file, once nothing uses them (after the
   * save, or when the unsaved writes are gone). `staged`: that file became the saved version (kept).
   */
  releaseSpilled(staged = false): Promise<void> {
    const spilled = this.spilled;
    this.spilled = null;
    return spilled?.release(!staged) ?? Promise.resolve();
  }

  /** Listed and reported as encrypted: an age file, or anything that will be saved as one. */
  get encrypted(): boolean {
    return this.base.kind === 'age' || this.modified;
  }

  /** Reads can go straight to the file system: a plain file nobody has written through Strata. */
  get passThrough(): boolean {
    return (this.base.kind === 'plain' || this.base.kind === 'empty') && !this.modified;
  }

  /** Reading (or saving) needs the vault key: bytes of an age base are still in use. */
  get needsKey(): boolean {
    return this.base.kind === 'age' && this.baseLimit > 0 && this.payloadKey === null;
  }

  write(offset: number, data: Uint8Array): void {
    this.readAhead = null;
    if (offset > this.size) this.writeBehindAllowed = false;
    if (this.writeBehind !== null && offset < this.writeBehind.frontier) void this.dropWriteBehind();
    this.dirty.write(offset, data);
    this.size = Math.max(this.size, offset + data.length);
    this.modified = true;
  }

  setSize(size: number): void {
    this.readAhead = null;
    if (size > this.size) this.writeBehindAllowed = false;
    // The frontier's last chunk was encrypted as not final: the file must go on past it.
    if (this.writeBehind !== null && size <= this.writeBehind.frontier) void this.dropWriteBehind();
    this.dirty.truncate(size);
    this.spilled?.truncate(size);
    this.baseLimit = Math.min(this.baseLimit, size);
    this.size = size;
    this.modified = true;
  }

  /** The file was overwritten (FILE_OVERWRITE/SUPERSEDE) or created: nothing of the base remains. */
  reset(): void {
    this.readAhead = null;
    void this.dropWriteBehind();
    void this.releaseSpilled();
    this.writeBehindAllowed = true;
    this.base = { kind: 'empty' };
    this.dirty.clear();
    this.size = 0;
    this.baseLimit = 0;
    this.finalChunkCheck = null;
    this.modified = true;
  }
}
