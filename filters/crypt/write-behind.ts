// Write-behind: a stream written front to back from nothing (a new or overwritten file) is encrypted while
// it is still being written. Once START_BYTES are there, a Stager starts the new age file, and whole
// batches of chunks that more data follows go to the workers and below as the writes arrive; the save at
// the last close then only encrypts the tail. What was handed out is a snapshot: a write or truncation
// that reaches back before the frontier abandons the stager (temporary file deleted, key wiped, nothing of
// it reused, so no nonce is used twice) and the save streams the whole file again, as it would without.
// Writes whose chunks are in the temporary file are dropped from memory (spilled-writes.ts): the memory
// goes back to the pool for the next writes, and the temporary file stays for reading them back until
// the stream is saved, even when the write-behind is abandoned.

import { CHUNK_SIZE } from '../../main/age/index.js';
import { BATCH_CHUNKS, Stager, stage, streamSource, type StagedFile } from './commit.js';
import type { FileHandle } from '../../main/io/index.js';
import type { CryptStream } from './crypt-stream.js';
import { parentOf } from './names.js';
import type { CryptIo } from './plaintext-reader.js';
import type { SpilledWrites } from './spilled-writes.js';

/** Smaller files are saved in one go at the last close. */
const START_BYTES = 2 * BATCH_CHUNKS * CHUNK_SIZE;
/** Written bytes not yet handed to the workers past which further writes wait (write-backlog.ts). */
export const BACKLOG_BYTES = 2 * BATCH_CHUNKS * CHUNK_SIZE;

export class WriteBehind {
  private readonly stager: Stager;
  private abandoned: Promise<void> | null = null;
  private finishing = false;
  private finished = false;
  /** The writes dropped from memory, readable from the temporary file (also the stream's `spilled`). */
  private spilled: SpilledWrites | null = null;

  /** @param onProgress called as the write-behind hands out more, fails or ends (waiting writes may go on). */
  constructor(private readonly io: CryptIo, private readonly stream: CryptStream, onProgress?: () => void) {
    this.stager = Stager.begin(io, stream.name, streamSource(io, stream), { onProgress, onWritten: (chunks, file) => this.spill(chunks, file) });
  }

  /** A write that makes the stream `size` bytes long waits: more than BACKLOG_BYTES would wait for the workers. */
  holdsWriteAt(size: number): boolean {
    return this.abandoned === null && this.stager.accepting && size - this.stager.frontier > BACKLOG_BYTES;
  }

  /** Source bytes already read for encryption: a change before this abandons the write-behind. */
  get frontier(): number {
    return this.stager.frontier;
  }

  /** Chunks before `chunks` may be encrypted (more data follows each of them). */
  advance(chunks: number): void {
    if (this.abandoned === null) this.stager.advance(chunks);
  }

  /** Stops it for good; settles once the temporary file is deleted. */
  abandon(): Promise<void> {
    // Once finished, the temporary file belongs to the save (publish() renames or deletes it).
    if (this.finished) return Promise.resolve();
    if (this.abandoned === null) {
      this.abandoned = this.stager.abandon();
      this.spilled?.waitFor(this.abandoned);
    }
    return this.abandoned;
  }

  /** The staged file, or null when the write-behind cannot be finished (then the caller stages anew). */
  async finish(target: string): Promise<StagedFile | null> {
    if (this.abandoned !== null) return null;
    // Renamed into another folder while open: the temporary file must sit beside the target.
    if (parentOf(target) !== parentOf(this.stager.target)) {
      await this.abandon();
      return null;
    }
    try {
      // The last chunks are final: they stay in memory until the save is done.
      this.finishing = true;
      const staged = this.stager.finish();
      this.spilled?.waitFor(staged);
      await staged;
      this.finished = true;
      return { ...(await staged), target };
    } catch {
      return null;
    }
  }

  /** Writes whose chunks are in the temporary file leave memory; their memory goes back to the pool. */
  private spill(chunks: number, file: FileHandle): void {
    if (this.abandoned !== null || this.finishing || chunks === 0) return;
    if (this.spilled === null) this.stream.spilled = this.spilled = this.stager.retain(file);
    this.spilled.grow(chunks);
    for (const buffer of this.stream.dirty.dropBefore(chunks * CHUNK_SIZE)) this.io.pool.slabs.release(new Uint8Array(buffer));
  }
}

/** After a write: starts or feeds the stream's write-behind when it qualifies. */
export function afterWrite(io: CryptIo, stream: CryptStream, onProgress?: () => void): void {
  if (stream.writeBehind === null) {
    // An empty base written without a gap: the unsaved writes hold every byte of the file.
    if (!stream.writeBehindAllowed || stream.base.kind !== 'empty' || stream.size < START_BYTES) return;
    stream.writeBehind = new WriteBehind(io, stream, onProgress);
  }
  // A chunk goes only once a byte after it exists: the file's last chunk is encrypted as final at the save.
  stream.writeBehind.advance(Math.floor((stream.size - 1) / CHUNK_SIZE));
}

/**
 * The save of a modified stream: the write-behind finished when there is one still valid, else a full
 * stage, reading the old file with `heldKey` (holdPayloadKey(), taken by the caller while it knew the vault
 * unlocked; wiped by the stage) or a copy taken now.
 */
export async function stageStream(io: CryptIo, stream: CryptStream, target: string, heldKey?: Uint8Array | null): Promise<StagedFile> {
  const writeBehind = stream.writeBehind;
  stream.writeBehindAllowed = false;
  // Kept on the stream while it finishes: a write that reaches back still abandons it.
  const staged = writeBehind === null ? null : await writeBehind.finish(target);
  stream.writeBehind = null;
  try {
    // A full stage reads what the write-behind spilled back from its temporary file.
    return staged ?? (await stage(io, target, streamSource(io, stream, heldKey)));
  } finally {
    await stream.releaseSpilled(staged !== null);
  }
}
