// The vault of a protected folder: an X25519 identity, stored as an age file encrypted to the passphrase
// (scrypt, work factor 18 to 20) in the age-keygen text format, so `age -d -i identity.age file.age` (the
// stock tool, prompting for the passphrase) recovers any file. vault.json records the format version and
// the recipient. A vault is created whole in a staging folder beside it and renamed into place, which fails
// when a vault is there already: it exists only complete, and a concurrent creation never overwrites it.

import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AgeError, NoIdentityMatchError, ScryptIdentity, ScryptRecipient, WorkFactorTooHighError, X25519Identity, X25519Recipient, decrypt,
  encrypt, type Sodium,
} from '../../../main/age/index.js';
import { MAX_COMPUTABLE_WORK_FACTOR } from '../../../main/age/scrypt.js';
import { syncDirectory, writeFileDurably, writeNewFileSynced } from '../../../main/store/index.js';
import { isLeftoverTemp, tempOwnerTag } from '../../../main/store/temp-owner.js';
import { TEMP_MARK } from '../names.js';
import { withPassphraseChangeLock } from './passphrase-change-lock.js';
import { VaultError, VaultExistsError, WrongPassphraseError } from './vault-error.js';
import { IDENTITY_FILE, VAULT_DIR, VAULT_FILE, VAULT_FORMAT, VAULT_VERSION, vaultPaths, type VaultInfo } from './vault-layout.js';

export const MIN_WORK_FACTOR = 18;
/** The most libsodium can compute here (main/age/scrypt.ts): creating and reading both stop there. */
export const MAX_WORK_FACTOR = MAX_COMPUTABLE_WORK_FACTOR;

export interface VaultOptions {
  /** scrypt log2(N) for the identity file; 18 (the default) to 20. */
  workFactor?: number;
}

function checkWorkFactor(workFactor: number, identityPath: string): void {
  if (!Number.isInteger(workFactor) || workFactor < MIN_WORK_FACTOR || workFactor > MAX_WORK_FACTOR) {
    throw new VaultError(`the scrypt work factor for ${identityPath} must be an integer from ${MIN_WORK_FACTOR} to ${MAX_WORK_FACTOR} (log2 N; 2^${MAX_WORK_FACTOR + 1} and above need more memory than libsodium can use), got ${workFactor}; nothing was changed`);
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
    throw unreadable(path, error);
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

/** Staging folders of vault creations: Strata's own names (hidden, never ingested), tagged with their writer. */
const STAGING_PREFIX = `${VAULT_DIR}${TEMP_MARK}`;

export async function createVault(sodium: Sodium, folder: string, passphrase: string, options: VaultOptions = {}): Promise<VaultInfo> {
  const paths = vaultPaths(folder);
  const workFactor = options.workFactor ?? MIN_WORK_FACTOR;
  checkWorkFactor(workFactor, paths.identity);
  checkPassphrase(passphrase);
  if (await vaultExists(folder)) throw new VaultExistsError(folder, paths.info);
  await mkdir(folder, { recursive: true });
  await removeLeftoverStagings(folder);
  const staging = await mkdtemp(join(folder, `${STAGING_PREFIX}${tempOwnerTag()}-`));
  try {
    const identity = X25519Identity.generate(sodium);
    const info: VaultInfo = { format: VAULT_FORMAT, version: VAULT_VERSION, recipient: identity.recipient().toString(), created: new Date().toISOString() };
    try {
      const wrapped = encrypt(sodium, [new ScryptRecipient(sodium, passphrase, workFactor)], new TextEncoder().encode(identityText(identity)));
      await writeNewFileSynced(join(staging, IDENTITY_FILE), wrapped, 0o600);
    } finally {
      identity.wipe();
    }
    await writeNewFileSynced(join(staging, VAULT_FILE), new TextEncoder().encode(`${JSON.stringify(info, null, 2)}\n`), 0o644);
    await syncDirectory(staging);
    await moveIntoPlace(staging, folder);
    return info;
  } finally {
    // Gone already once renamed into place; what a failure left is removed.
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * rename(2) replaces an empty .strata-vault but fails on one with files in it: the first creation to get
 * there wins whole, and every later one is refused without touching it.
 */
async function moveIntoPlace(staging: string, folder: string): Promise<void> {
  const paths = vaultPaths(folder);
  try {
    await rename(staging, paths.dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new VaultError(`${paths.dir} is there but is not a folder; nothing was changed: move it away and create the vault again`);
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    if (await vaultExists(folder)) throw new VaultExistsError(folder, paths.info);
    throw new VaultError(`${paths.dir} is there but holds no ${VAULT_FILE} (what is left of an interrupted creation by an older Strata?); nothing was changed: move it away and create the vault again`);
  }
  await syncDirectory(folder);
}

/** Staging folders of creations whose process is gone (a crash between its start and the rename). */
async function removeLeftoverStagings(folder: string): Promise<void> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith(STAGING_PREFIX)) continue;
    const path = join(folder, entry.name);
    const written = await stat(path).then((stats) => stats.mtimeMs, () => null);
    if (written !== null && isLeftoverTemp(entry.name.slice(STAGING_PREFIX.length), written)) await rm(path, { recursive: true, force: true });
  }
}

/** The vault's identity; WrongPassphraseError when the passphrase does not open it. */
export async function unlockVault(sodium: Sodium, folder: string, passphrase: string): Promise<X25519Identity> {
  const info = await readVaultInfo(folder);
  const path = vaultPaths(folder).identity;
  const file = await readIdentityFile(folder, path);
  const scrypt = new ScryptIdentity(sodium, passphrase);
  let text: Uint8Array;
  try {
    text = decrypt(sodium, file, [scrypt]);
  } catch (error) {
    if (error instanceof NoIdentityMatchError) throw new WrongPassphraseError(path);
    if (error instanceof WorkFactorTooHighError) {
      throw new VaultError(`${path} asks for scrypt work factor 2^${error.workFactor}; Strata can compute at most 2^${error.maxWorkFactor} (libsodium's memory), so it cannot open this vault (the stock age tool can: age -d -i ${path} <file>)`);
    }
    if (error instanceof AgeError) throw new VaultError(`${path} is damaged: ${error.message}`);
    throw error;
  } finally {
    scrypt.wipe();
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

async function readIdentityFile(folder: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new VaultError(`${folder} has a ${VAULT_FILE} but no identity file (${path}): this vault cannot be unlocked`);
    throw unreadable(path, error);
  }
}

/** A vault file that is there but cannot be read (a folder in its place, no permission, an I/O error), named. */
function unreadable(path: string, error: unknown): VaultError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return new VaultError(`${path} is a folder, not the vault's file: this vault cannot be read`);
  return new VaultError(`cannot read ${path}: ${(error as Error).message}`);
}

/** Re-wraps the identity under a new passphrase (atomically, one change at a time); the files' key does not change. */
export async function changePassphrase(sodium: Sodium, folder: string, oldPassphrase: string, newPassphrase: string, options: VaultOptions = {}): Promise<void> {
  const workFactor = options.workFactor ?? MIN_WORK_FACTOR;
  checkWorkFactor(workFactor, vaultPaths(folder).identity);
  checkPassphrase(newPassphrase);
  await withPassphraseChangeLock(folder, async () => {
    const identity = await unlockVault(sodium, folder, oldPassphrase);
    try {
      const file = encrypt(sodium, [new ScryptRecipient(sodium, newPassphrase, workFactor)], new TextEncoder().encode(identityText(identity)));
      await writeFileDurably(vaultPaths(folder).identity, file);
    } finally {
      identity.wipe();
    }
  });
}
