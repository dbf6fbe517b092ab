// Opens (creating if needed) the Strata SQLite database in a data dir, configured and migrated.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreOpenError } from './errors.js';
import { assertNotNewer, migrate } from './migrate.js';
import type { Migration } from './migration.js';
import { migrations as strataMigrations } from './migrations.js';

export const DB_FILE_NAME = 'strata.db';

export interface Store {
  readonly db: Database.Database;
  readonly dbPath: string;
  readonly schemaVersion: number;
  /** Idempotent. */
  close(): void;
}

export interface OpenStoreOptions {
  /** For tests of the migration mechanism; defaults to Strata's own list. */
  readonly migrations?: readonly Migration[];
}

export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  const dir = resolve(dataDir);
  ensurePrivateDir(dir);
  const dbPath = join(dir, DB_FILE_NAME);

  let db: Database.Database;
  try {
    db = new Database(dbPath);
  } catch (err) {
    throw new StoreOpenError(dbPath, reasonOf(err));
  }

  try {
    const list = options.migrations ?? strataMigrations;
    // Version check first: a newer database must not even get its journal mode changed.
    assertNotNewer(db, dbPath, list);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const schemaVersion = migrate(db, dbPath, list);
    return makeStore(db, dbPath, schemaVersion);
  } catch (err) {
    db.close();
    if (isNotADatabase(err)) throw new StoreOpenError(dbPath, 'the file is not an SQLite database');
    throw err;
  }
}

function makeStore(db: Database.Database, dbPath: string, schemaVersion: number): Store {
  return {
    db,
    dbPath,
    schemaVersion,
    close() {
      if (db.open) db.close();
    },
  };
}

// The data dir will hold keys and quarantined files later on: owner-only from the start.
// Hand-rolled rather than mkdirSync({recursive}), which spins forever on a parent
// that answers ENOENT to mkdir (procfs, for example).
function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700); // the umask may have removed bits we asked for
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(dir).isDirectory()) throw new Error(`the data dir ${dir} exists but is not a folder`);
      return;
    }
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    ensurePrivateDir(parent);
    mkdirSync(dir, { mode: 0o700 }); // once: a second ENOENT is a real error
    chmodSync(dir, 0o700);
  }
}

function isNotADatabase(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'SQLITE_NOTADB';
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
