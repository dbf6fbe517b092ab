// Vault failures the user can act on; each message names the folder or file concerned.

export class VaultError extends Error {
  override name = 'VaultError';
}

/** The passphrase does not open the vault's identity file. Nothing was changed. */
export class WrongPassphraseError extends VaultError {
  override name = 'WrongPassphraseError';
  constructor(readonly identityPath: string) {
    super(`wrong passphrase: it does not open ${identityPath}; nothing was changed`);
  }
}
