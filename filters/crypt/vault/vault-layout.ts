// Where a protected folder keeps its vault, and the format of vault.json. The vault folder is hidden from
// listings and closed to writes through Strata (see the filter's name rules).

import { join } from 'node:path';

export const VAULT_DIR = '.strata-vault';
export const VAULT_FILE = 'vault.json';
export const IDENTITY_FILE = 'identity.age';
export const VAULT_FORMAT = 'strata-vault';
export const VAULT_VERSION = 1;

export interface VaultInfo {
  format: typeof VAULT_FORMAT;
  version: number;
  /** The vault's X25519 recipient (age1…): every file in the folder is encrypted to it. */
  recipient: string;
  created: string;
}

export function vaultPaths(folder: string): { dir: string; info: string; identity: string } {
  const dir = join(folder, VAULT_DIR);
  return { dir, info: join(dir, VAULT_FILE), identity: join(dir, IDENTITY_FILE) };
}
