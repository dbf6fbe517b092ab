// Migration 5: the agent's tables — protected folders and their protections, shared tiers and signature
// sets, the event log, and what the ingest pipeline already wrote (so nothing is ingested twice).
import type { Migration } from '../migration.js';

export const agentMigration: Migration = {
  version: 5,
  name: 'agent',
  up: `
    CREATE TABLE agent_folders (
      id         TEXT PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
      path       TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    -- One row per protection a folder has (enabled or not); settings as JSON checked by main/api schemas.
    CREATE TABLE agent_protections (
      folder_id TEXT NOT NULL REFERENCES agent_folders(id) ON DELETE CASCADE,
      kind      TEXT NOT NULL CHECK (kind IN ('crypt', 'scan', 'hsm')),
      enabled   INTEGER NOT NULL CHECK (enabled IN (0, 1)),
      altitude  TEXT NOT NULL,
      settings  TEXT NOT NULL CHECK (json_valid(settings)),
      PRIMARY KEY (folder_id, kind)
    ) STRICT;

    CREATE TABLE agent_tiers (
      name TEXT PRIMARY KEY COLLATE NOCASE,
      path TEXT NOT NULL
    ) STRICT;

    CREATE TABLE agent_signature_sets (
      name  TEXT PRIMARY KEY COLLATE NOCASE,
      paths TEXT NOT NULL CHECK (json_valid(paths))
    ) STRICT;

    -- Singleton rows of agent-wide policy (the media policy), as JSON.
    CREATE TABLE agent_policy_settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value))
    ) STRICT;

    -- Events outlive their folder, so folder_id is not a foreign key; the name is kept for display.
    CREATE TABLE agent_events (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      time_ms     INTEGER NOT NULL,
      folder_id   TEXT,
      folder_name TEXT,
      path        TEXT,
      action      TEXT NOT NULL,
      result      TEXT NOT NULL,
      detail      TEXT
    ) STRICT;
    CREATE INDEX agent_events_time ON agent_events (time_ms);
    CREATE INDEX agent_events_folder ON agent_events (folder_id, id);

    -- The file as the stack left it after ingest: a watcher event for a file still matching this row is
    -- Strata's own write, not a new file to ingest.
    CREATE TABLE agent_ingested (
      folder_id TEXT NOT NULL REFERENCES agent_folders(id) ON DELETE CASCADE,
      path      TEXT NOT NULL,
      size      INTEGER NOT NULL,
      mtime_ms  REAL NOT NULL,
      ino       INTEGER NOT NULL,
      PRIMARY KEY (folder_id, path)
    ) STRICT, WITHOUT ROWID;
  `,
};
