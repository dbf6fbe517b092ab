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

/** The folder has a vault already (a concurrent creation may just have made it). Nothing was changed. */
export class VaultExistsError extends VaultError {
  override name = 'VaultExistsError';
  constructor(readonly folder: string, readonly infoPath: string) {
    super(`${folder} already has a vault (${infoPath}); nothing was changed: unlock it with its own passphrase`);
  }
}

/**
 * The folder's vault.json names a recipient Strata has no proof the user holds the key of: none was trusted
 * there yet (a vault planted in a shared folder, copied from elsewhere, made by another Strata), or the file
 * changed since. Nothing is encrypted to it until an unlock with its passphrase proves the key is the user's.
 */
export class UntrustedVaultError extends VaultError {
  override name = 'UntrustedVaultError';
  constructor(readonly folder: string, readonly infoPath: string, readonly recipient: string, readonly trusted: string | null) {
    super(trusted === null
      ? `the vault in ${folder} is not one this Strata created or unlocked (${infoPath} names recipient ${recipient}): nothing is encrypted or taken in until you unlock it with its passphrase, which trusts it`
      : `the vault file changed on disk: ${infoPath} names recipient ${recipient}, expected ${trusted}: nothing is encrypted or taken in until you unlock the vault now there with its passphrase`);
  }
}
