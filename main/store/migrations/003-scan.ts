// Migration 3: tables of the scan filter (signature sets, quarantine). Reserved until that filter lands.
import type { Migration } from '../migration.js';

export const scanMigration: Migration = {
  version: 3,
  name: 'scan',
  up: '-- reserved for the scan filter (signature sets, quarantine)',
};
