// Migration 2: tables of the encryption filter: the journal of encrypt-in-place runs, so an interrupted
// first protection of a folder resumes where it stopped and reports what it already did.
import type { Migration } from '../migration.js';

export const cryptMigration: Migration = {
  version: 2,
  name: 'crypt',
  up: `
    CREATE TABLE crypt_encrypt_runs (
      folder      TEXT PRIMARY KEY,
      started_at  TEXT NOT NULL,
      finished_at TEXT,
      state       TEXT NOT NULL CHECK (state IN ('running', 'interrupted', 'done'))
    ) STRICT;
    CREATE TABLE crypt_encrypt_files (
      folder  TEXT NOT NULL REFERENCES crypt_encrypt_runs(folder) ON DELETE CASCADE,
      path    TEXT NOT NULL,
      bytes   INTEGER NOT NULL,
      done_at TEXT NOT NULL,
      PRIMARY KEY (folder, path)
    ) STRICT;
  `,
};
