// The signature databases imported into the data dir (`strata sigs import`): copies of ClamAV database
// files in <data dir>/signatures, recorded in SQLite. An import is validated together with what is
// already there before anything is moved in, so the library always loads completely. Opening the library
// sweeps the staging folders of imports whose process was killed (import-staging.ts).

import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { DATABASE_EXTENSIONS, loadSignatureDatabases } from '../signatures/load-databases.js';
import { SignatureError } from '../signatures/signature-error.js';
import type { SignatureSet } from '../signatures/signature-set.js';
import type { SignatureNotice } from '../signatures/signature-types.js';
import { syncDirectory, writeNewFileSynced } from '../../../main/store/index.js';
import { stagingNameFor, sweepStaging, type StagingSweep } from './import-staging.js';

export const SIGNATURE_DIR = 'signatures';

export interface ImportedDatabase {
  readonly fileName: string;
  readonly sha256: string;
  readonly importedAt: number;
  readonly importedFrom: string;
  readonly signatures: number;
  readonly skipped: number;
}

export interface ImportResult {
  readonly imported: ImportedDatabase[];
  readonly notices: readonly SignatureNotice[];
  /** The whole library after the import. */
  readonly set: SignatureSet;
}

interface Row {
  file_name: string;
  sha256: string;
  imported_at: number;
  imported_from: string;
  signatures: number;
  skipped: number;
}

export class SignatureLibrary {
  readonly directory: string;
  /** What opening the library swept (begun at once, settles later): staging folders of imports a killed process left. */
  readonly leftovers: Promise<StagingSweep>;

  constructor(dataDir: string, private readonly db: Database) {
    this.directory = join(dataDir, SIGNATURE_DIR);
    this.leftovers = sweepStaging(this.directory);
  }

  list(): ImportedDatabase[] {
    return (this.db.prepare('SELECT * FROM scan_signature_databases ORDER BY file_name').all() as Row[]).map((row) => ({
      fileName: row.file_name, sha256: row.sha256, importedAt: row.imported_at, importedFrom: row.imported_from, signatures: row.signatures, skipped: row.skipped,
    }));
  }

  /** The library's database files, for an engine to load. */
  paths(): string[] {
    return this.list().map((entry) => join(this.directory, entry.fileName));
  }

  /** Imports a database file, or the database files of a folder; a file of the same name is replaced. */
  async import(source: string): Promise<ImportResult> {
    const files = await databaseFilesIn(source);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const staging = join(this.directory, stagingNameFor());
    await mkdir(staging, { mode: 0o700 });
    try {
      const contents = new Map<string, Uint8Array>();
      for (const file of files) {
        const bytes = await readFile(file);
        contents.set(basename(file), bytes);
        await writeNewFileSynced(join(staging, basename(file)), bytes);
      }
      const kept = this.paths().filter((path) => !contents.has(basename(path)));
      // Validated together: the library must keep loading as a whole after the import.
      const set = await loadSignatureDatabases([...kept, ...[...contents.keys()].map((name) => join(staging, name))]);
      for (const name of contents.keys()) await rename(join(staging, name), join(this.directory, name));
      await syncDirectory(this.directory);
      const now = Date.now();
      const imported = [...contents].map(([name, bytes]): ImportedDatabase => {
        const counted = countsFor(set, join(staging, name));
        return { fileName: name, sha256: createHash('sha256').update(bytes).digest('hex'), importedAt: now, importedFrom: files.find((f) => basename(f) === name)!, ...counted };
      });
      const upsert = this.db.prepare(`INSERT INTO scan_signature_databases (file_name, sha256, imported_at, imported_from, signatures, skipped)
        VALUES (@fileName, @sha256, @importedAt, @importedFrom, @signatures, @skipped)
        ON CONFLICT (file_name) DO UPDATE SET sha256 = excluded.sha256, imported_at = excluded.imported_at, imported_from = excluded.imported_from, signatures = excluded.signatures, skipped = excluded.skipped`);
      this.db.transaction(() => imported.forEach((entry) => upsert.run(entry)))();
      const notices = set.notices.filter((notice) => notice.file.startsWith(staging)).map((notice) => ({ ...notice, file: notice.file.replace(staging, this.directory) }));
      return { imported, notices, set };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}

async function databaseFilesIn(source: string): Promise<string[]> {
  let info;
  try {
    info = await stat(source);
  } catch (error) {
    throw new SignatureError(source, null, `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const isDatabase = (name: string): boolean => (DATABASE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
  if (!info.isDirectory()) {
    if (!isDatabase(source)) throw new SignatureError(source, null, `not a database Strata reads: expected one of ${DATABASE_EXTENSIONS.join(' ')}`);
    return [source];
  }
  const files = (await readdir(source)).filter(isDatabase).sort().map((name) => join(source, name));
  if (files.length === 0) throw new SignatureError(source, null, `holds no database files (${DATABASE_EXTENSIONS.join(' ')})`);
  return files;
}

/** Signatures and skipped lines of one file (for a container: of all its members). */
function countsFor(set: SignatureSet, path: string): { signatures: number; skipped: number } {
  let signatures = 0;
  let skipped = 0;
  for (const database of set.databases) {
    if (database.file === path || database.file.startsWith(`${path}/`)) {
      signatures += database.signatures;
      skipped += database.skipped;
    }
  }
  return { signatures, skipped };
}
