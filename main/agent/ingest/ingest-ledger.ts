// What the stack itself last wrote to each file of a folder, kept in SQLite (so it survives restarts) and
// in memory (so a storm of watcher events is answered without queries). A file whose stamp matches, or
// that the stack is writing right now, is Strata's own write and is not ingested again.

import type { Database } from 'better-sqlite3';
import { sameStamp, type FileStamp } from './file-stamp.js';
import { isStrataPath } from './strata-names.js';

interface Writing {
  relativePath: () => string;
  writers: number;
}

export class IngestLedger {
  private readonly stamps = new Map<string, FileStamp>();
  private readonly writing = new Map<object, Writing>();
  private readonly upsert;
  private readonly remove;

  constructor(private readonly db: Database, private readonly folderId: string) {
    this.upsert = db.prepare(
      'INSERT INTO agent_ingested (folder_id, path, size, mtime_ms, ino) VALUES (?, ?, ?, ?, ?) ON CONFLICT (folder_id, path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, ino = excluded.ino',
    );
    this.remove = db.prepare('DELETE FROM agent_ingested WHERE folder_id = ? AND path = ?');
    const rows = db.prepare('SELECT path, size, mtime_ms, ino FROM agent_ingested WHERE folder_id = ?').all(folderId) as Array<{ path: string; size: number; mtime_ms: number; ino: number }>;
    for (const row of rows) this.stamps.set(row.path, { size: row.size, mtimeMs: row.mtime_ms, ino: row.ino });
  }

  /**
   * What the ledger's records were made under (the ingesting protections and their altitudes). When
   * that changes — encryption turned on for a folder that was only scanned — every record is dropped,
   * so the next walk takes each file in again under the new protections.
   */
  useProtections(key: string): boolean {
    const settingKey = `agent.ingest-protections.${this.folderId}`;
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(settingKey) as { value: string } | undefined;
    if (row?.value === key) return false;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM agent_ingested WHERE folder_id = ?').run(this.folderId);
      this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(settingKey, key);
    })();
    this.stamps.clear();
    return true;
  }

  /** The stack started modifying `stream` (a file system's stream object); its current name is asked lazily. */
  beginWrite(stream: object, relativePath: () => string): void {
    const entry = this.writing.get(stream);
    if (entry === undefined) this.writing.set(stream, { relativePath, writers: 1 });
    else entry.writers++;
  }

  /** One writer of `stream` is done; the file's stamp as it is now is recorded as the stack's. */
  endWrite(stream: object, stamp: FileStamp | null, relativePath: string): void {
    const entry = this.writing.get(stream);
    if (entry !== undefined && --entry.writers <= 0) this.writing.delete(stream);
    if (isStrataPath(relativePath)) return; // temporary names come and go; never worth a row
    if (stamp === null) this.forget(relativePath);
    else this.record(relativePath, stamp);
  }

  record(relativePath: string, stamp: FileStamp): void {
    this.stamps.set(relativePath, stamp);
    this.upsert.run(this.folderId, relativePath, stamp.size, stamp.mtimeMs, stamp.ino);
  }

  forget(relativePath: string): void {
    if (this.stamps.delete(relativePath)) this.remove.run(this.folderId, relativePath);
  }

  /** True while the stack is writing the file (its stamp is recorded once the writer is done). */
  isWriting(relativePath: string): boolean {
    for (const entry of this.writing.values()) if (entry.relativePath() === relativePath) return true;
    return false;
  }

  /** True when the stack is writing the file now, or last left it exactly as `stamp` says. */
  isOwn(relativePath: string, stamp: FileStamp): boolean {
    if (this.isWriting(relativePath)) return true;
    return sameStamp(this.stamps.get(relativePath), stamp);
  }

  get size(): number {
    return this.stamps.size;
  }

  /** Streams the stack is writing now (their final stamps are not recorded yet). */
  get writingCount(): number {
    return this.writing.size;
  }
}
