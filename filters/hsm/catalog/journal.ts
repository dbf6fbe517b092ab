// The step journal (hsm_journal): every migration and recall writes down what it is about to do before
// doing it, so that after a crash the next start can tell, for each unfinished entry, whether to roll
// it back (the original is intact) or forward (the step that mattered happened). Every write of the
// journal is durable (synced) before it returns: the step after it may be an fsync'd file-system change
// that a power cut must not outlive the journal entry describing it.

import type { Database } from 'better-sqlite3';
import { durableTransaction } from './durable-transaction.js';

export type JournalKind = 'migrate' | 'recall';

/**
 * Migration: planned → copied → verified → stub-temp (a temporary stub may exist) → [rename] → done.
 * Recall: started (the stub's bytes are kept here; the file may be partly rewritten) → written → done.
 */
export type JournalStep = 'planned' | 'copied' | 'verified' | 'stub-temp' | 'started' | 'written';

export interface JournalEntry {
  readonly id: number;
  readonly kind: JournalKind;
  readonly path: string;
  readonly step: JournalStep;
  readonly tier: string;
  readonly size: number | null;
  readonly mtime: number | null;
  readonly atime: number | null;
  readonly sha256: string | null;
  readonly object: string | null;
  readonly tempName: string | null;
  readonly stub: Uint8Array | null;
}

export type JournalFields = Partial<Omit<JournalEntry, 'id' | 'kind' | 'path' | 'step' | 'tier'>>;

const COLUMNS: Record<keyof JournalFields, string> = {
  size: 'size', mtime: 'mtime_ms', atime: 'atime_ms', sha256: 'sha256', object: 'object_id', tempName: 'temp_name', stub: 'stub',
};

interface Row {
  id: number;
  kind: JournalKind;
  path: string;
  step: JournalStep;
  tier: string;
  size: number | null;
  mtime_ms: number | null;
  atime_ms: number | null;
  sha256: string | null;
  object_id: string | null;
  temp_name: string | null;
  stub: Buffer | null;
}

const entryOf = (row: Row): JournalEntry => ({
  id: row.id, kind: row.kind, path: row.path, step: row.step, tier: row.tier, size: row.size, mtime: row.mtime_ms,
  atime: row.atime_ms, sha256: row.sha256, object: row.object_id, tempName: row.temp_name,
  stub: row.stub === null ? null : new Uint8Array(row.stub),
});

/** The columns and values of the fields given (undefined ones left out). */
function columnsOf(fields: JournalFields): { columns: string[]; values: unknown[] } {
  const keys = (Object.keys(fields) as (keyof JournalFields)[]).filter((key) => fields[key] !== undefined);
  return {
    columns: keys.map((key) => COLUMNS[key]),
    values: keys.map((key) => {
      const value = fields[key];
      return value instanceof Uint8Array ? Buffer.from(value) : value;
    }),
  };
}

export class Journal {
  constructor(private readonly db: Database, private readonly folderId: number) {}

  /**
   * One INSERT with everything the first step recorded: a crash can never leave an entry without the
   * fields its recovery needs (a recall's stub bytes above all).
   */
  begin(kind: JournalKind, path: string, tier: string, step: JournalStep, fields: JournalFields = {}): number {
    const now = new Date().toISOString();
    const { columns, values } = columnsOf(fields);
    const names = ['folder_id', 'kind', 'path', 'step', 'tier', 'started_at', 'updated_at', ...columns];
    const insert = this.db.prepare(`INSERT INTO hsm_journal (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
    return Number(durableTransaction(this.db, () => insert.run(this.folderId, kind, path, step, tier, now, now, ...values)).lastInsertRowid);
  }

  /** Records that entry `id` reached `step`, with what that step learnt. */
  advance(id: number, step: JournalStep, fields: JournalFields = {}): void {
    const { columns, values } = columnsOf(fields);
    const sets = ['step = ?', 'updated_at = ?', ...columns.map((column) => `${column} = ?`)];
    const update = this.db.prepare(`UPDATE hsm_journal SET ${sets.join(', ')} WHERE id = ?`);
    durableTransaction(this.db, () => update.run(step, new Date().toISOString(), ...values, id));
  }

  finish(id: number): void {
    const remove = this.db.prepare('DELETE FROM hsm_journal WHERE id = ?');
    durableTransaction(this.db, () => remove.run(id));
  }

  get(id: number): JournalEntry | null {
    const row = this.db.prepare('SELECT * FROM hsm_journal WHERE id = ?').get(id) as Row | undefined;
    return row === undefined ? null : entryOf(row);
  }

  /** Unfinished entries of this folder, oldest first. */
  pending(): JournalEntry[] {
    return (this.db.prepare('SELECT * FROM hsm_journal WHERE folder_id = ? ORDER BY id').all(this.folderId) as Row[]).map(entryOf);
  }
}
