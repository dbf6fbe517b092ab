// Which vault recipient Strata may encrypt a protected folder's files to. A folder's .strata-vault/vault.json
// lies in the folder, open to whoever can write there (a shared folder, a copied one); encrypting to the
// recipient it names without proof would hand the files to whoever holds that key. So the recipient is
// trusted only once Strata created the vault itself or an unlock proved the user holds its key, and that
// fact is kept in the private store (migration 6), per folder.

import type { Database } from 'better-sqlite3';
import { UntrustedVaultError } from './vault-error.js';
import { vaultPaths } from './vault-layout.js';

export type TrustProof = 'created' | 'unlocked';

export class VaultTrust {
  private readonly find;
  private readonly upsert;

  constructor(db: Database) {
    this.find = db.prepare<[string], { recipient: string }>('SELECT recipient FROM crypt_vault_trust WHERE folder_id = ?');
    this.upsert = db.prepare(
      'INSERT INTO crypt_vault_trust (folder_id, recipient, proof, trusted_at) VALUES (?, ?, ?, ?) ON CONFLICT (folder_id) DO UPDATE SET recipient = excluded.recipient, proof = excluded.proof, trusted_at = excluded.trusted_at',
    );
  }

  /** The recipient trusted for the folder, or null when none is yet. */
  recipientOf(folderId: string): string | null {
    return this.find.get(folderId)?.recipient ?? null;
  }

  /** Trusts `recipient` for the folder from now on (in place of any other): only after `proof`. */
  record(folderId: string, recipient: string, proof: TrustProof): void {
    this.upsert.run(folderId, recipient, proof, new Date().toISOString());
  }

  /** Why the folder's vault must not be encrypted to (its recipient is not the trusted one), or null. */
  distrust(folderId: string, folder: string, recipient: string): UntrustedVaultError | null {
    const trusted = this.recipientOf(folderId);
    return trusted === recipient ? null : new UntrustedVaultError(folder, vaultPaths(folder).info, recipient, trusted);
  }
}
