// Keeps the original bytes of an existing file that a stream overwrites or cuts off, so that an infected
// stream can be rolled back to exactly what was there. Each original byte range is saved once, before
// the first change to it, in a private file (0600) in the filter's private staging folder, created only
// when there is something to save: appending to a file or writing a new one costs nothing. The journal
// names its file and is synced before the change it protects goes down (undo-journal-format.ts), so a
// run started after a crash can still put the file back (journal-recovery.ts).

import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../../../main/store/index.js';
import { newJournalName } from './journal-owner.js';
import { ensurePrivateStagingDir } from './staging-dir.js';
import {
  MAX_RECORD, NAME, RANGE, encodeHeader, encodeRecordHeader, readExactly, readHeader, readRecords, type JournalTarget,
} from './undo-journal-format.js';

/** Copy granularity when one journal takes the saved bytes of another. */
const ABSORB_CHUNK = 1 << 20;
/** Journals begun by this process, in order. */
let begun = 0;

interface SavedRange {
  readonly offset: number;
  readonly length: number;
  /** Where its bytes are in the journal file. */
  readonly at: number;
}

export class UndoJournal {
  private readonly saved: SavedRange[] = [];
  private file: FileHandle | null = null;
  private filePath: string | null = null;
  private end = 0;
  /** Orders the journals of one file (UndoJournal.compare). */
  private created = Date.now();
  private sequence = begun++;
  /** Records written since the last commit(). */
  private unsynced = false;
  /** The journal's name in the staging folder is durable. */
  private named = false;

  /**
   * @param target the file (volume key and volume-relative name) whose original this journal keeps.
   * @param originalSize the file's size before the stream changed it.
   */
  constructor(private readonly stagingDir: string, readonly originalSize: number, private target: JournalTarget) {}

  /** Opens a journal a run left in `path` (recovery); null when it was cut before its header was whole. */
  static async load(path: string): Promise<UndoJournal | null> {
    const file = await open(path, 'r');
    try {
      const read = await readHeader(file, path);
      if (read === null) {
        await file.close();
        return null;
      }
      const { header } = read;
      const journal = new UndoJournal('', header.originalSize, header);
      journal.created = header.created;
      journal.sequence = header.sequence;
      journal.file = file;
      journal.filePath = path;
      for (const record of await readRecords(file, read.end)) {
        if (record.kind === RANGE) journal.saved.push({ offset: record.offset, length: record.length, at: record.at });
        else journal.target = { volume: header.volume, path: (await readExactly(file, record.at, record.length)).toString('utf8') };
        journal.end = record.at + record.length;
      }
      return journal;
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /** Orders journals of one file by when they began, oldest first. */
  static compare(a: UndoJournal, b: UndoJournal): number {
    return a.created - b.created || a.sequence - b.sequence;
  }

  /** The file this journal belongs to, under its latest known name. */
  get belongsTo(): JournalTarget {
    return this.target;
  }

  /** The journal's own file, once it has one. */
  get location(): string | null {
    return this.filePath;
  }

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

  /** Saves `bytes`, the original content at `offset`. Durable only after commit(). */
  async save(offset: number, bytes: Uint8Array): Promise<void> {
    for (let done = 0; done < bytes.length; done += MAX_RECORD) {
      const part = bytes.subarray(done, done + MAX_RECORD);
      const at = await this.append(RANGE, offset + done, part);
      this.saved.push({ offset: offset + done, length: part.length, at });
    }
  }

  /** Records the file's new name (it was renamed since the journal began), if it changed. */
  async renamed(path: string): Promise<void> {
    if (path === this.target.path) return;
    this.target = { ...this.target, path };
    if (this.file !== null) await this.append(NAME, 0, Buffer.from(path, 'utf8'));
  }

  /** Makes what was saved durable: call it before the change the saved bytes protect goes down. */
  async commit(): Promise<void> {
    if (this.file === null || !this.unsynced) return;
    await this.file.datasync();
    this.unsynced = false;
    if (!this.named) await syncDirectory(this.stagingDir);
    this.named = true;
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
    await this.commit();
  }

  /** Puts the original back: size first, then every saved range. */
  async restore(target: { setSize(size: number): Promise<void>; write(offset: number, data: Uint8Array): Promise<void> }): Promise<void> {
    await target.setSize(this.originalSize);
    for (const range of this.saved) await target.write(range.offset, await readExactly(this.file!, range.at, range.length));
  }

  /** Lets go of the journal's file but keeps it (recovery could not apply it). */
  async close(): Promise<void> {
    const file = this.file;
    this.file = null;
    await file?.close();
  }

  /** Forgets the journal (the stream was clean, or it has been restored): its file is unlinked at once. */
  async discard(): Promise<void> {
    const file = this.file;
    const path = this.filePath;
    this.file = null;
    this.filePath = null;
    if (file !== null) await file.close();
    if (path !== null) await rm(path, { force: true });
  }

  /** Writes one record at the end of the journal; returns where its payload is. */
  private async append(kind: typeof RANGE | typeof NAME, offset: number, payload: Uint8Array): Promise<number> {
    const file = await this.ensureFile();
    const head = encodeRecordHeader(kind, offset, payload);
    await file.writev([head, payload], this.end);
    const at = this.end + head.length;
    this.end = at + payload.length;
    this.unsynced = true;
    return at;
  }

  private async ensureFile(): Promise<FileHandle> {
    if (this.file !== null) return this.file;
    const path = join(this.stagingDir, newJournalName());
    let file: FileHandle;
    try {
      file = await open(path, 'wx+', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // The folder was removed since the filter checked it: made again, and checked again.
      ensurePrivateStagingDir(this.stagingDir);
      file = await open(path, 'wx+', 0o600);
    }
    this.file = file;
    this.filePath = path;
    const header = encodeHeader({ ...this.target, originalSize: this.originalSize, created: this.created, sequence: this.sequence });
    await file.write(header, 0, header.length, 0);
    this.end = header.length;
    this.unsynced = true;
    return file;
  }
}
