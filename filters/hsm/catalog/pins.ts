// Pinned paths (hsm_pins): a pinned file, or any file below a pinned directory, is never released.

import type { Database } from 'better-sqlite3';
import { isWithin } from './volume-path.js';

export class Pins {
  constructor(private readonly db: Database, private readonly folderId: number) {}

  pin(path: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO hsm_pins (folder_id, path) VALUES (?, ?)').run(this.folderId, path).changes > 0;
  }

  unpin(path: string): boolean {
    return this.db.prepare('DELETE FROM hsm_pins WHERE folder_id = ? AND path = ?').run(this.folderId, path).changes > 0;
  }

  list(): string[] {
    return this.db.prepare('SELECT path FROM hsm_pins WHERE folder_id = ? ORDER BY path').pluck().all(this.folderId) as string[];
  }

  /** The pin covering `path` (itself or an ancestor directory), or null. */
  covering(path: string, pins: readonly string[] = this.list()): string | null {
    return pins.find((pinned) => isWithin(path, pinned)) ?? null;
  }
}
