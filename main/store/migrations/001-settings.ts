// Migration 1: key-value settings.
import type { Migration } from '../migration.js';

export const settingsMigration: Migration = {
  version: 1,
  name: 'settings',
  up: `
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `,
};
