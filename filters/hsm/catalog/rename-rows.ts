// The catalog rows of a rename of stubs (a stub, or a directory holding some), put at the new names
// before the rename happens: if the process dies or the power goes between the rename on disk and the
// filter's post-callback, whichever name holds each stub still has its row (a stub without one would be
// served as its 300 plain bytes). The copies are synced before the rename is let through; after it, the
// old rows are moved as usual (or, if it failed, the copies are undone). Extra rows meanwhile are
// harmless: every open checks the stub itself, keeps the row of an authentic stub (following what it
// says) and drops the row of a file that is not a stub; fsck removes one whose file is gone.

import { durableTransaction } from './durable-transaction.js';
import { renamedPath, type StubCatalog, type StubRow } from './stub-catalog.js';
import { isWithin } from './volume-path.js';

export interface RowsAhead {
  /** The rows put at the new names. */
  readonly copies: readonly StubRow[];
  /** The rows those copies replaced (a stub the rename replaces, stale rows below a target directory). */
  readonly displaced: readonly StubRow[];
}

/** Copies the rows at or below `from` to their names below `to`, durably; null when there are none. */
export function putRowsAhead(catalog: StubCatalog, from: string, to: string): RowsAhead | null {
  // A rename into itself fails anyway, and its copies would land on rows of its own.
  if (isWithin(to, from)) return null;
  const rows = catalog.atOrBelow(from);
  if (rows.length === 0) return null;
  return durableTransaction(catalog.db, () => {
    const copies = rows.map((row) => ({ ...row, path: renamedPath(row.path, from, to) }));
    const displaced = copies.map((copy) => catalog.get(copy.path)).filter((row) => row !== null);
    for (const copy of copies) catalog.put(copy);
    return { copies, displaced };
  });
}

/** The rename failed: its copies go (those still as put) and the rows they replaced come back. */
export function undoRowsAhead(catalog: StubCatalog, ahead: RowsAhead): void {
  catalog.db.transaction(() => {
    for (const copy of ahead.copies) {
      const row = catalog.get(copy.path);
      if (row !== null && row.object === copy.object && row.sha256 === copy.sha256) catalog.remove(copy.path);
    }
    for (const row of ahead.displaced) catalog.put(row);
  })();
}
