// Migration 4: tables of the HSM filter — cold tiers by name, per-folder policies, pins, the stub catalog
// (a cache of what the stubs on disk say, for listings) and the step journal that makes migration and
// recall crash-safe. Paths are volume-relative NT paths ('\dir\file'), as the filter sees them.
import type { Migration } from '../migration.js';

export const hsmMigration: Migration = {
  version: 4,
  name: 'hsm',
  up: `
    CREATE TABLE hsm_tiers (
      name       TEXT PRIMARY KEY,
      kind       TEXT NOT NULL CHECK (kind IN ('local')),
      location   TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE hsm_folders (
      id              INTEGER PRIMARY KEY,
      path            TEXT NOT NULL UNIQUE,
      tier            TEXT NOT NULL REFERENCES hsm_tiers (name),
      min_age_seconds INTEGER NOT NULL CHECK (min_age_seconds >= 0),
      age_basis       TEXT NOT NULL CHECK (age_basis IN ('access-or-modification', 'modification')),
      min_size        INTEGER NOT NULL CHECK (min_size >= 0),
      include_globs   TEXT NOT NULL,
      exclude_globs   TEXT NOT NULL
    ) STRICT;

    CREATE TABLE hsm_pins (
      folder_id INTEGER NOT NULL REFERENCES hsm_folders (id) ON DELETE CASCADE,
      path      TEXT NOT NULL,
      PRIMARY KEY (folder_id, path)
    ) STRICT;

    CREATE TABLE hsm_stubs (
      folder_id    INTEGER NOT NULL REFERENCES hsm_folders (id),
      path         TEXT NOT NULL,
      dir          TEXT NOT NULL,
      name         TEXT NOT NULL,
      logical_size INTEGER NOT NULL,
      stub_size    INTEGER NOT NULL,
      mtime_ms     INTEGER NOT NULL,
      atime_ms     INTEGER NOT NULL,
      sha256       TEXT NOT NULL,
      tier         TEXT NOT NULL REFERENCES hsm_tiers (name),
      object_id    TEXT NOT NULL,
      released_at  TEXT NOT NULL,
      PRIMARY KEY (folder_id, path)
    ) STRICT;
    CREATE INDEX hsm_stubs_by_dir ON hsm_stubs (folder_id, dir);
    CREATE INDEX hsm_stubs_by_object ON hsm_stubs (tier, object_id);

    CREATE TABLE hsm_journal (
      id         INTEGER PRIMARY KEY,
      folder_id  INTEGER NOT NULL REFERENCES hsm_folders (id),
      kind       TEXT NOT NULL CHECK (kind IN ('migrate', 'recall')),
      path       TEXT NOT NULL,
      step       TEXT NOT NULL,
      tier       TEXT NOT NULL,
      size       INTEGER,
      mtime_ms   INTEGER,
      atime_ms   INTEGER,
      sha256     TEXT,
      object_id  TEXT,
      temp_name  TEXT,
      stub       BLOB,
      started_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
  `,
};
