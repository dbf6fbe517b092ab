// Transactions whose commit is on disk before they return, for the HSM's writes that a file-system step
// taken next depends on (a journal step before the stub replaces the file, the stub's bytes before a
// recall overwrites it, a stub's row before it is renamed). The store runs SQLite in WAL mode with
// `synchronous = NORMAL`: a commit is in the WAL but not fsync'd until the next checkpoint, so a power
// cut or an OS crash can lose it while the file-system step after it, fsync'd, survives. With `FULL`
// SQLite syncs the WAL at every commit (which also makes every earlier commit in it durable). The level
// is raised for the one transaction only (the rest of the store keeps NORMAL's speed) and cannot be
// changed inside a transaction; better-sqlite3 is synchronous, so nothing else runs on the connection
// while it is raised.

import type { Database } from 'better-sqlite3';

/** PRAGMA synchronous = FULL. */
const FULL = 2;

/** The connections running a durable transaction now (a durable write inside one simply joins it). */
const durableNow = new WeakSet<Database>();

export function durableTransaction<T>(db: Database, work: () => T): T {
  if (durableNow.has(db)) return db.transaction(work)();
  if (db.inTransaction) {
    throw new Error('a durable HSM write was attempted inside a transaction opened without durableTransaction(); its commit would not be synced');
  }
  const level = db.pragma('synchronous', { simple: true }) as number;
  if (level < FULL) db.pragma(`synchronous = ${FULL}`);
  durableNow.add(db);
  try {
    return db.transaction(work)();
  } finally {
    durableNow.delete(db);
    if (level < FULL) db.pragma(`synchronous = ${level}`);
  }
}
