// The shape of one schema migration and the check that a list of them is well-formed.
import type { Database } from 'better-sqlite3';

/**
 * One step of the schema. Versions start at 1 and go up by one; a migration is
 * never edited once released — later changes are appended as new versions.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Either SQL run with `exec`, or a function for steps SQL alone cannot express. */
  readonly up: string | ((db: Database) => void);
}

/** Throws if the versions are not exactly 1, 2, 3, ... in order (a programming error). */
export function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((m, index) => {
    const expected = index + 1;
    if (m.version !== expected) {
      throw new Error(
        `schema migrations are misnumbered: entry ${index} ("${m.name}") has version ${m.version}, expected ${expected}`,
      );
    }
  });
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}
