// The stub catalog (hsm_stubs): one row per released file of a folder, saying what its stub says. The
// stubs on disk are the truth (they are self-describing and authenticated); the catalog is what lets a
// listing of N files find its stubs with one query instead of N reads. Rows follow the namespace
// changes Strata sees (renames, deletes, overwrites); fsck reconciles what happened behind its back.

import type { Database, Statement } from 'better-sqlite3';
import type { StubFields } from '../stub/stub-format.js';
import { childOf, nameOf, parentOf } from './volume-path.js';

export interface StubRow extends StubFields {
  readonly path: string;
  /** The stub file's own size on disk: a listing entry of another size is not this stub. */
  readonly stubSize: number;
}

export interface ListedStub {
  readonly size: number;
  readonly stubSize: number;
}

interface Row {
  path: string;
  logical_size: number;
  stub_size: number;
  mtime_ms: number;
  atime_ms: number;
  sha256: string;
  tier: string;
  object_id: string;
}

const rowOf = (row: Row): StubRow => ({
  path: row.path,
  size: row.logical_size,
  stubSize: row.stub_size,
  mtime: row.mtime_ms,
  atime: row.atime_ms,
  sha256: row.sha256,
  tier: row.tier,
  object: row.object_id,
});

export class StubCatalog {
  private readonly byPath: Statement;
  private readonly byDirectory: Statement;
  private readonly version: Statement;
  /** Directory listings of the catalog, valid while the database has not changed (see databaseVersion). */
  private listed = new Map<string, Map<string, ListedStub>>();
  private listedAt = '';

  constructor(readonly db: Database, readonly folderId: number) {
    this.byPath = db.prepare('SELECT * FROM hsm_stubs WHERE folder_id = ? AND path = ?');
    this.byDirectory = db.prepare('SELECT name, logical_size, stub_size FROM hsm_stubs WHERE folder_id = ? AND dir = ?').raw();
    // data_version moves with other connections' commits, total_changes() with this connection's writes.
    this.version = db.prepare('SELECT (SELECT data_version FROM pragma_data_version) || \'.\' || total_changes()').pluck();
  }

  get(path: string): StubRow | null {
    const row = this.byPath.get(this.folderId, path) as Row | undefined;
    return row === undefined ? null : rowOf(row);
  }

  /**
   * The stubs directly inside `directory`, by name: what a listing needs of them. Kept between listings
   * until anything (this process or another) writes to the database, so relisting a large directory
   * costs one tiny query.
   */
  inDirectory(directory: string): ReadonlyMap<string, ListedStub> {
    const version = this.version.get() as string;
    if (version !== this.listedAt) {
      this.listed = new Map();
      this.listedAt = version;
    }
    let stubs = this.listed.get(directory);
    if (stubs === undefined) {
      stubs = new Map();
      for (const [name, size, stubSize] of this.byDirectory.all(this.folderId, directory) as [string, number, number][]) stubs.set(name, { size, stubSize });
      this.listed.set(directory, stubs);
    }
    return stubs;
  }

  all(): StubRow[] {
    return (this.db.prepare('SELECT * FROM hsm_stubs WHERE folder_id = ? ORDER BY path').all(this.folderId) as Row[]).map(rowOf);
  }

  put(row: StubRow): void {
    this.db.prepare(`INSERT OR REPLACE INTO hsm_stubs
      (folder_id, path, dir, name, logical_size, stub_size, mtime_ms, atime_ms, sha256, tier, object_id, released_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      this.folderId, row.path, parentOf(row.path), nameOf(row.path), row.size, row.stubSize, row.mtime, row.atime,
      row.sha256, row.tier, row.object, new Date().toISOString(),
    );
  }

  /** Removes the row at `path`; returns it (its object may now be unreferenced). */
  remove(path: string): StubRow | null {
    const row = this.get(path);
    if (row !== null) this.db.prepare('DELETE FROM hsm_stubs WHERE folder_id = ? AND path = ?').run(this.folderId, path);
    return row;
  }

  /**
   * A rename of `from` (a file or a directory) to `to`: the rows at or below `from` move. Returns the
   * rows the rename replaced at `to`, whose objects may now be unreferenced.
   */
  move(from: string, to: string): StubRow[] {
    const replaced: StubRow[] = [];
    this.db.transaction(() => {
      const target = this.remove(to);
      if (target !== null) replaced.push(target);
      for (const row of this.atOrBelow(from)) {
        this.db.prepare('DELETE FROM hsm_stubs WHERE folder_id = ? AND path = ?').run(this.folderId, row.path);
        this.put({ ...row, path: renamedPath(row.path, from, to) });
      }
    })();
    return replaced;
  }

  /** The rows at `path` or below it: a file's row, or the stubs inside a directory. */
  atOrBelow(path: string): StubRow[] {
    return (this.db.prepare('SELECT * FROM hsm_stubs WHERE folder_id = ? AND (path = ? OR substr(path, 1, ?) = ?)')
      .all(this.folderId, path, path.length + 1, `${path}\\`) as Row[]).map(rowOf);
  }

  /** How many stubs of any folder, and unfinished journal entries (but `exceptJournalId`), still use the object. */
  references(tier: string, objectId: string, exceptJournalId = -1): number {
    const stubs = this.db.prepare('SELECT count(*) FROM hsm_stubs WHERE tier = ? AND object_id = ?').pluck().get(tier, objectId) as number;
    const journal = this.db.prepare('SELECT count(*) FROM hsm_journal WHERE tier = ? AND object_id = ? AND id != ?').pluck().get(tier, objectId, exceptJournalId) as number;
    return stubs + journal;
  }
}

/** Where `path`, at or below `from`, is once `from` is renamed to `to`. */
export function renamedPath(path: string, from: string, to: string): string {
  return path === from ? to : childOf(to, path.slice(from.length + 1));
}
