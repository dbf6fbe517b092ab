// The journal of encrypt-in-place runs in Strata's SQLite store (migration 2): which files of a folder's
// run are done, so an interrupted run resumes and reports honestly. The files themselves are the truth
// (a file already in age format is never encrypted twice); the journal is the record.

import type { Database } from 'better-sqlite3';

export interface EncryptJournal {
  /** Starts or resumes the folder's run; returns the paths already done by an earlier attempt. */
  begin(folder: string): Set<string>;
  fileDone(folder: string, path: string, bytes: number): void;
  finish(folder: string, state: 'done' | 'interrupted'): void;
}

export function sqliteJournal(db: Database): EncryptJournal {
  const now = () => new Date().toISOString();
  const findRun = db.prepare<[string], { state: string }>('SELECT state FROM crypt_encrypt_runs WHERE folder = ?');
  const startRun = db.prepare('INSERT OR REPLACE INTO crypt_encrypt_runs (folder, started_at, state) VALUES (?, ?, ?)');
  const resumeRun = db.prepare("UPDATE crypt_encrypt_runs SET state = 'running', finished_at = NULL WHERE folder = ?");
  const doneFiles = db.prepare<[string], { path: string }>('SELECT path FROM crypt_encrypt_files WHERE folder = ?');
  const clearFiles = db.prepare('DELETE FROM crypt_encrypt_files WHERE folder = ?');
  const addFile = db.prepare('INSERT OR REPLACE INTO crypt_encrypt_files (folder, path, bytes, done_at) VALUES (?, ?, ?, ?)');
  const endRun = db.prepare('UPDATE crypt_encrypt_runs SET state = ?, finished_at = ? WHERE folder = ?');
  return {
    begin(folder) {
      return db.transaction(() => {
        const run = findRun.get(folder);
        if (run !== undefined && run.state !== 'done') {
          resumeRun.run(folder);
          return new Set(doneFiles.all(folder).map((row) => row.path));
        }
        clearFiles.run(folder);
        startRun.run(folder, now(), 'running');
        return new Set<string>();
      })();
    },
    fileDone: (folder, path, bytes) => void addFile.run(folder, path, bytes, now()),
    finish: (folder, state) => void endRun.run(state, now(), folder),
  };
}
