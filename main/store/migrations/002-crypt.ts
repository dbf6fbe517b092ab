// Migration 2: tables of the encryption filter (vaults, encrypt-in-place progress). Reserved until that filter lands.
import type { Migration } from '../migration.js';

export const cryptMigration: Migration = {
  version: 2,
  name: 'crypt',
  up: '-- reserved for the encryption filter (vaults, encrypt-in-place progress)',
};
