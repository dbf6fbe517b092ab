// Migration 6: the vault recipient Strata trusts in each protected folder (filters/crypt/vault/vault-trust.ts):
// the one it created the vault with, or whose key an unlock proved. A folder's vault.json lies in the folder,
// open to whoever can write there; this private record is what says Strata may encrypt to it.
import type { Migration } from '../migration.js';

export const vaultTrustMigration: Migration = {
  version: 6,
  name: 'vault-trust',
  up: `
    CREATE TABLE crypt_vault_trust (
      folder_id  TEXT PRIMARY KEY REFERENCES agent_folders(id) ON DELETE CASCADE,
      recipient  TEXT NOT NULL CHECK (recipient LIKE 'age1%'),
      proof      TEXT NOT NULL CHECK (proof IN ('created', 'unlocked')),
      trusted_at TEXT NOT NULL
    ) STRICT;
  `,
};
