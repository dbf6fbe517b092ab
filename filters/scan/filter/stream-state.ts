// The scan filter's stream context: the verdict of one stream (shared by all its opens), the session
// scanning its sequential writes, and what rollback needs (was it created by this stream's writer,
// the journal of the original bytes, the refused write to quarantine).

import type { FileObject } from '../../../main/io/index.js';
import type { ScanSession } from '../engine/scan-session.js';
import type { UndoJournal } from './undo-journal.js';

export const enum StreamVerdict {
  /** Nothing known: opened, not written. */
  Unknown = 'unknown',
  /** Written sequentially from offset 0: the session holds the verdict so far. */
  Scanning = 'scanning',
  Clean = 'clean',
  Infected = 'infected',
  /** Written out of order (or an existing file changed): rescanned whole at cleanup. */
  Modified = 'modified',
}

export class ScanStreamState {
  verdict = StreamVerdict.Unknown;
  signature: string | null = null;
  session: ScanSession | null = null;
  /** The offset a write must start at to continue the sequential scan. */
  nextOffset = 0;
  /** The stream was created by an open (FILE_CREATED): rolling it back removes the file. */
  created = false;
  /** Original bytes of a file that existed, saved before they changed; null until first needed. */
  journal: UndoJournal | null = null;
  /** The first bytes of a sequential stream: they tell whether it is an archive the rescan must open. */
  head: Uint8Array = new Uint8Array(0);
  /** The write refused because it completed a signature: quarantined with what landed before it. */
  refused: { readonly offset: number; readonly data: Uint8Array } | null = null;
  /** Opens that wrote to the stream and have not had their cleanup yet. */
  readonly writers = new Set<FileObject>();
  /** Serialises the asynchronous steps on this stream (journal saves, verdicts, rollback). */
  private tail: Promise<unknown> = Promise.resolve();
  rolledBack = false;

  /** Runs `step` after every step queued before it. */
  serialize<T>(step: () => Promise<T>): Promise<T> {
    const run = this.tail.then(step, step);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Starts a fresh sequential scan (a new or emptied stream). */
  restart(session: ScanSession): void {
    this.verdict = StreamVerdict.Scanning;
    this.signature = null;
    this.session = session;
    this.nextOffset = 0;
    this.refused = null;
    this.head = new Uint8Array(0);
  }

  /** Keeps the first `limit` bytes written sequentially. */
  noteHead(bytes: Uint8Array, limit: number): void {
    if (this.head.length >= limit) return;
    const joined = new Uint8Array(Math.min(limit, this.head.length + bytes.length));
    joined.set(this.head);
    joined.set(bytes.subarray(0, joined.length - this.head.length), this.head.length);
    this.head = joined;
  }

  markModified(): void {
    if (this.verdict === StreamVerdict.Infected) return;
    this.verdict = StreamVerdict.Modified;
    this.session = null;
  }

  markInfected(signature: string): void {
    this.verdict = StreamVerdict.Infected;
    this.signature = signature;
    this.session = null;
  }
}
