// Brings a database up to the latest schema version, all pending steps in one transaction.
import type { Database } from 'better-sqlite3';
import { StoreMigrationError, StoreSchemaTooNewError } from './errors.js';
import { assertWellFormed, latestVersion, type Migration } from './migration.js';

// PRAGMA user_version is the authoritative version (readable without any table);
// schema_migrations keeps a readable history of what ran and when.
const HISTORY_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT;
`;

export function readSchemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses a database newer than `migrations` without writing to it. Call this
 * before anything that could modify the file (including journal-mode changes).
 */
export function assertNotNewer(db: Database, dbPath: string, migrations: readonly Migration[]): void {
  const found = readSchemaVersion(db);
  const known = latestVersion(migrations);
  if (found > known) throw new StoreSchemaTooNewError(dbPath, found, known);
}

/** Applies the pending migrations and returns the resulting schema version. */
export function migrate(db: Database, dbPath: string, migrations: readonly Migration[]): number {
  assertWellFormed(migrations);
  const target = latestVersion(migrations);

  // IMMEDIATE takes the write lock first, so two processes opening the same
  // fresh database cannot both run migration 1; the version is re-read inside.
  const applyPending = db.transaction(() => {
    const current = readSchemaVersion(db);
    if (current > target) throw new StoreSchemaTooNewError(dbPath, current, target);
    if (current === target) return current;
    db.exec(HISTORY_TABLE);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations.slice(current)) {
      try {
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
      } catch (cause) {
        throw new StoreMigrationError(dbPath, m.version, m.name, cause);
      }
      record.run(m.version, m.name, new Date().toISOString());
    }
    // user_version is part of the database header and so rolls back with the transaction.
    db.pragma(`user_version = ${target}`);
    return target;
  });
  return applyPending.immediate();
}
