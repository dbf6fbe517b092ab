// Detections the user allowed in a folder by restoring a file from quarantine, kept in the settings
// table (one row per folder): the file's folder-relative path, its signature and the SHA-256 of the
// content that was restored. Opens and folder scans leave an allowed detection alone; ingest takes in
// exactly the restored content (same path, same hash) without scanning it, so it is not quarantined
// again. Anything else at that path — new content, another signature — is scanned as usual.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Database } from 'better-sqlite3';

export interface AllowedThreat {
  path: string;
  signature: string;
  sha256: string;
  allowedAt: string;
}

export class AllowedThreats {
  private entries: AllowedThreat[];

  constructor(private readonly db: Database, private readonly folderId: string) {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(this.key) as { value: string } | undefined;
    this.entries = row === undefined ? [] : (JSON.parse(row.value) as AllowedThreat[]);
  }

  private get key(): string {
    return `agent.allowed-threats.${this.folderId}`;
  }

  list(): readonly AllowedThreat[] {
    return this.entries;
  }

  allow(entry: Omit<AllowedThreat, 'allowedAt'>): void {
    this.entries = [...this.entries.filter((e) => e.path !== entry.path), { ...entry, allowedAt: new Date().toISOString() }];
    this.save();
  }

  /** Undone when the restore that needed it failed. */
  forget(path: string): void {
    this.entries = this.entries.filter((e) => e.path !== path);
    this.save();
  }

  isAllowed(path: string, signature: string): boolean {
    return this.entries.some((e) => e.path === path && e.signature === signature);
  }

  /** Whether the file at `absolutePath` is the content restored at `path` (hashed only when there is an entry). */
  async isRestoredContent(path: string, absolutePath: string): Promise<boolean> {
    const entry = this.entries.find((e) => e.path === path);
    if (entry === undefined) return false;
    return (await sha256Of(absolutePath).catch(() => null)) === entry.sha256;
  }

  /** The folder is no longer protected: its allowances go with it. */
  drop(): void {
    this.entries = [];
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(this.key);
  }

  private save(): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(this.key, JSON.stringify(this.entries));
  }
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolve(hash.digest('hex')));
  });
}
