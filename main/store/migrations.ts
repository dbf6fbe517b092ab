// The ordered list of Strata schema migrations. Later issues append here; never edit a released entry.
import type { Migration } from './migration.js';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings',
    up: `
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
];
