// The vault of a protected folder: an X25519 identity, stored as an age file encrypted to the passphrase
// (scrypt, work factor >= 18) in the age-keygen text format, so `age -d -i identity.age file.age` (the
// stock tool, prompting for the passphrase) recovers any file. vault.json records the format version and
// the recipient; it is written last, so a vault exists only once both files are complete.

import { mkdir, readFile, stat } from 'node:fs/promises';
import {
  AgeError, NoIdentityMatchError, ScryptIdentity, ScryptRecipient, X25519Identity, X25519Recipient, decrypt, encrypt,
  type Sodium,
} from '../../../main/age/index.js';
import { writeFileDurably } from '../../../main/store/index.js';
import { VaultError, WrongPassphraseError } from './vault-error.js';
import { VAULT_FORMAT, VAULT_VERSION, vaultPaths, type VaultInfo } from './vault-layout.js';

export const MIN_WORK_FACTOR = 18;

export interface VaultOptions {
  /** scrypt log2(N) for the identity file; at least 18 (the default). */
  workFactor?: number;
}

function checkWorkFactor(workFactor: number): void {
  if (!Number.isInteger(workFactor) || workFactor < MIN_WORK_FACTOR || workFactor > 22) {
    throw new VaultError(`the scrypt work factor must be an integer from ${MIN_WORK_FACTOR} to 22, got ${workFactor}`);
  }
}

function checkPassphrase(passphrase: string): void {
  if (passphrase.length === 0) throw new VaultError('the passphrase is empty');
}

export async function vaultExists(folder: string): Promise<boolean> {
  try {
    await stat(vaultPaths(folder).info);
    return true;
  } catch {
    return false;
  }
}

export async function readVaultInfo(folder: string): Promise<VaultInfo> {
  const path = vaultPaths(folder).info;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new VaultError(`${folder} has no vault (no ${path}); create one with 'strata vault create'`);
    throw error;
  }
  let info: Partial<VaultInfo>;
  try {
    info = JSON.parse(text) as Partial<VaultInfo>;
  } catch (error) {
    throw new VaultError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (info.format !== VAULT_FORMAT) throw new VaultError(`${path}: field "format" must be "${VAULT_FORMAT}"`);
  if (info.version !== VAULT_VERSION) throw new VaultError(`${path}: field "version" is ${String(info.version)}; this Strata reads version ${VAULT_VERSION}`);
  if (typeof info.recipient !== 'string' || !info.recipient.startsWith('age1')) throw new VaultError(`${path}: field "recipient" must be an age1… recipient`);
  return info as VaultInfo;
}

/** The vault's recipient, checked: a damaged vault.json is a clear error, not a silent wrong key. */
export async function vaultRecipient(sodium: Sodium, folder: string): Promise<X25519Recipient> {
  const info = await readVaultInfo(folder);
  try {
    return X25519Recipient.parse(sodium, info.recipient);
  } catch (error) {
    throw new VaultError(`${vaultPaths(folder).info}: field "recipient": ${(error as Error).message}`);
  }
}

function identityText(identity: X25519Identity): string {
  return `# created: ${new Date().toISOString()}\n# public key: ${identity.recipient()}\n${identity}\n`;
}

export async function createVault(sodium: Sodium, folder: string, passphrase: string, options: VaultOptions = {}): Promise<VaultInfo> {
  const workFactor = options.workFactor ?? MIN_WORK_FACTOR;
  checkWorkFactor(workFactor);
  checkPassphrase(passphrase);
  const paths = vaultPaths(folder);
  if (await vaultExists(folder)) throw new VaultError(`${folder} already has a vault (${paths.info}); nothing was changed`);
  const identity = X25519Identity.generate(sodium);
  const info: VaultInfo = { format: VAULT_FORMAT, version: VAULT_VERSION, recipient: identity.recipient().toString(), created: new Date().toISOString() };
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await writeFileDurably(paths.identity, encrypt(sodium, [new ScryptRecipient(sodium, passphrase, workFactor)], new TextEncoder().encode(identityText(identity))));
  await writeFileDurably(paths.info, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o644 });
  identity.wipe();
  return info;
}

/** The vault's identity; WrongPassphraseError when the passphrase does not open it. */
export async function unlockVault(sodium: Sodium, folder: string, passphrase: string): Promise<X25519Identity> {
  const info = await readVaultInfo(folder);
  const path = vaultPaths(folder).identity;
  const file = new Uint8Array(await readFile(path));
  let text: Uint8Array;
  try {
    text = decrypt(sodium, file, [new ScryptIdentity(sodium, passphrase)]);
  } catch (error) {
    if (error instanceof NoIdentityMatchError) throw new WrongPassphraseError(path);
    if (error instanceof AgeError) throw new VaultError(`${path} is damaged: ${error.message}`);
    throw error;
  }
  const line = new TextDecoder().decode(text).split('\n').find((candidate) => candidate.startsWith('AGE-SECRET-KEY-1'));
  sodium.memzero(text);
  if (line === undefined) throw new VaultError(`${path} decrypts but holds no AGE-SECRET-KEY-1… line`);
  const identity = X25519Identity.parse(sodium, line);
  if (identity.recipient().toString() !== info.recipient) {
    identity.wipe();
    throw new VaultError(`${path} holds the key of another recipient than ${vaultPaths(folder).info} names`);
  }
  return identity;
}

/** Re-wraps the identity under a new passphrase (atomically); the files' key does not change. */
export async function changePassphrase(sodium: Sodium, folder: string, oldPassphrase: string, newPassphrase: string, options: VaultOptions = {}): Promise<void> {
  const workFactor = options.workFactor ?? MIN_WORK_FACTOR;
  checkWorkFactor(workFactor);
  checkPassphrase(newPassphrase);
  const identity = await unlockVault(sodium, folder, oldPassphrase);
  try {
    const file = encrypt(sodium, [new ScryptRecipient(sodium, newPassphrase, workFactor)], new TextEncoder().encode(identityText(identity)));
    await writeFileDurably(vaultPaths(folder).identity, file);
  } finally {
    identity.wipe();
  }
}
