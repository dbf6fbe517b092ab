// Migration 3: tables of the scan filter — quarantined files (the encrypted content lives in
// <data dir>/quarantine/<id>.age) and the signature databases imported into <data dir>/signatures.
import type { Migration } from '../migration.js';

export const scanMigration: Migration = {
  version: 3,
  name: 'scan',
  up: `
    CREATE TABLE scan_quarantine (
      id           TEXT PRIMARY KEY,
      origin_path  TEXT NOT NULL,
      signature    TEXT NOT NULL,
      detected_at  INTEGER NOT NULL,
      size         INTEGER NOT NULL CHECK (size >= 0),
      sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
      -- How it was found: 'write', 'open', 'cleanup', 'media' (the filter) or 'scan' (on demand).
      found_by     TEXT NOT NULL
    ) STRICT;
    CREATE INDEX scan_quarantine_detected ON scan_quarantine (detected_at);

    CREATE TABLE scan_signature_databases (
      file_name    TEXT PRIMARY KEY,
      sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
      imported_at  INTEGER NOT NULL,
      imported_from TEXT NOT NULL,
      signatures   INTEGER NOT NULL CHECK (signatures >= 0),
      skipped      INTEGER NOT NULL CHECK (skipped >= 0)
    ) STRICT;
  `,
};
