// Migration 4: tables of the HSM filter (tiers, journal, pins). Reserved until that filter lands.
import type { Migration } from '../migration.js';

export const hsmMigration: Migration = {
  version: 4,
  name: 'hsm',
  up: '-- reserved for the HSM filter (tiers, journal, pins)',
};
