// Keeps the original bytes of an existing file that a stream overwrites or cuts off, so that an infected
// stream can be rolled back to exactly what was there. Each original byte range is saved once, before
// the first change to it, in a private temp file (0600) created only when there is something to save:
// appending to a file or writing a new one costs nothing.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Copy granularity when one journal takes the saved bytes of another. */
const ABSORB_CHUNK = 1 << 20;

interface SavedRange {
  readonly offset: number;
  readonly length: number;
  /** Where its bytes are in the journal file. */
  readonly at: number;
}

export class UndoJournal {
  private readonly saved: SavedRange[] = [];
  private file: FileHandle | null = null;
  private path: string | null = null;
  private end = 0;

  /** @param originalSize the file's size before the stream changed it. */
  constructor(private readonly stagingDir: string, readonly originalSize: number) {}

  /** The parts of [from, to) within the original size that are not saved yet. */
  unsaved(from: number, to: number): Array<[number, number]> {
    const end = Math.min(to, this.originalSize);
    const gaps: Array<[number, number]> = [];
    let cursor = Math.max(0, from);
    for (const range of [...this.saved].sort((a, b) => a.offset - b.offset)) {
      if (cursor >= end) break;
      if (range.offset + range.length <= cursor) continue;
      if (range.offset > cursor) gaps.push([cursor, Math.min(range.offset, end)]);
      cursor = Math.max(cursor, range.offset + range.length);
    }
    if (cursor < end) gaps.push([cursor, end]);
    return gaps;
  }

  /** Saves `bytes`, the original content at `offset`. */
  async save(offset: number, bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    const file = await this.ensureFile();
    await file.write(bytes, 0, bytes.length, this.end);
    this.saved.push({ offset, length: bytes.length, at: this.end });
    this.end += bytes.length;
  }

  /**
   * Takes from `other` (a later journal of the same stream) the original bytes of the ranges this one has
   * not saved; what this one saved is older, so it stays. `other` is left as it was.
   */
  async absorb(other: UndoJournal): Promise<void> {
    for (const range of other.saved) {
      for (const [from, to] of this.unsaved(range.offset, range.offset + range.length)) {
        for (let offset = from; offset < to; offset += ABSORB_CHUNK) {
          const bytes = new Uint8Array(Math.min(ABSORB_CHUNK, to - offset));
          await other.file!.read(bytes, 0, bytes.length, range.at + (offset - range.offset));
          await this.save(offset, bytes);
        }
      }
    }
  }

  get savedBytes(): number {
    return this.end;
  }

  /** Puts the original back: size first, then every saved range. */
  async restore(target: { setSize(size: number): Promise<void>; write(offset: number, data: Uint8Array): Promise<void> }): Promise<void> {
    await target.setSize(this.originalSize);
    for (const range of this.saved) {
      const bytes = new Uint8Array(range.length);
      await this.file!.read(bytes, 0, range.length, range.at);
      await target.write(range.offset, bytes);
    }
  }

  /** Forgets the journal (the stream was clean, or it has been restored). */
  async discard(): Promise<void> {
    const file = this.file;
    const path = this.path;
    this.file = null;
    this.path = null;
    if (file !== null) await file.close();
    if (path !== null) await rm(path, { force: true });
  }

  private async ensureFile(): Promise<FileHandle> {
    if (this.file !== null) return this.file;
    await mkdir(this.stagingDir, { recursive: true, mode: 0o700 });
    this.path = join(this.stagingDir, `undo-${process.pid}-${randomBytes(8).toString('hex')}`);
    this.file = await open(this.path, 'wx+', 0o600);
    return this.file;
  }
}
