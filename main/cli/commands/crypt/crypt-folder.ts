// Opens a protected folder for one CLI command: the vault's key ring (unlocked from --passphrase-file, the
// session of `strata vault unlock`, or a prompt; or left locked for a command that needs no key), the
// worker pool, and the folder's full filter stack with the crypt filter, mounted.

import { realpath, stat } from 'node:fs/promises';
import { X25519Identity, loadSodium, type Sodium } from '../../../age/index.js';
import { openFolderStack, type FolderStack } from '../../../agent/folder-stack.js';
import { FILE_DIRECTORY_FILE, FILE_OPEN, NT_SUCCESS, statusName } from '../../../io/index.js';
import { CryptoPool } from '../../../../filters/crypt/crypto-pool.js';
import type { CryptVolume } from '../../../../filters/crypt/crypt-volume.js';
import { registerCryptFilter, type CryptFilter } from '../../../../filters/crypt/index.js';
import { KeyRing } from '../../../../filters/crypt/key-ring.js';
import { unlockVault, vaultRecipient } from '../../../../filters/crypt/vault/vault.js';
import { vaultPaths } from '../../../../filters/crypt/vault/vault-layout.js';
import { CliError } from '../../cli-error.js';
import type { CliContext } from '../../command.js';
import { passphraseFrom } from './passphrase.js';
import { loadSession } from './session.js';
import { doing } from './system-error.js';

export interface CryptFolder {
  readonly folder: string;
  readonly sodium: Sodium;
  readonly stack: FolderStack;
  readonly crypt: CryptFilter;
  readonly volume: CryptVolume;
  close(): Promise<void>;
}

/** The folder's canonical absolute path; a clear error when it is not an existing folder one can reach. */
export async function resolveFolder(folder: unknown): Promise<string> {
  const given = String(folder);
  if (given === '') throw new CliError('the folder argument is empty: give the path of the protected folder');
  let real: string;
  try {
    real = await realpath(given);
  } catch (error) {
    throw new CliError(folderProblem(given, error as NodeJS.ErrnoException));
  }
  if (!(await stat(real)).isDirectory()) throw new CliError(`${given} is not a folder: give the path of the protected folder`);
  return real;
}

function folderProblem(given: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `the folder ${given} does not exist`;
    case 'ENOTDIR':
      return `the folder ${given} does not exist (a part of its path is a file)`;
    case 'EACCES':
      return `cannot reach the folder ${given}: permission denied on the way to it`;
    default:
      return `cannot reach the folder ${given}: ${error.message}`;
  }
}

/**
 * Whether a command needs the vault's key: 'required' unlocks (--passphrase-file, the session, or a
 * prompt); 'unless-locked' (listings: names and sizes are on disk in clear anyway) unlocks only with a
 * --passphrase-file that was given, and otherwise goes on with the vault locked, never prompting.
 */
export type KeyNeed = 'required' | 'unless-locked';

/** The vault identity for a command: --passphrase-file, else the unlock session, else a prompt. */
export async function identityFor(ctx: CliContext, sodium: Sodium, folder: string, passphraseFile: unknown): Promise<X25519Identity> {
  if (passphraseFile === undefined) {
    const session = await loadSession(ctx.dataDir, folder);
    if (session !== null) return X25519Identity.parse(sodium, session);
    if (!process.stdin.isTTY) {
      throw new CliError(`the vault of ${folder} is locked: run 'strata vault unlock ${folder}' first, or pass --passphrase-file <file>`);
    }
  }
  return unlockVault(sodium, folder, await passphraseFrom(passphraseFile, `Passphrase for ${folder}: `));
}

export async function openCryptFolder(ctx: CliContext, folderArg: unknown, passphraseFile: unknown, keyNeed: KeyNeed = 'required'): Promise<CryptFolder> {
  const folder = await resolveFolder(folderArg);
  const sodium = await loadSodium();
  const what = `cannot open the vault of ${folder}`;
  const keyRing = new KeyRing(await doing(what, () => vaultRecipient(sodium, folder)));
  if (keyNeed === 'required' || passphraseFile !== undefined) {
    const identity = await doing(what, () => identityFor(ctx, sodium, folder, passphraseFile));
    // Only an unlock session can hold another key: the vault was created anew or replaced since the unlock.
    if (identity.recipient().toString() !== keyRing.recipient.toString()) {
      identity.wipe();
      throw new CliError(`the unlock session of ${folder} holds the key of another vault than ${vaultPaths(folder).info} names now (the vault was created anew or replaced since the unlock): run 'strata vault lock ${folder}', then unlock it again`);
    }
    keyRing.unlock(identity);
  }
  const pool = await CryptoPool.create();
  let crypt: CryptFilter | undefined;
  let stack: FolderStack;
  try {
    stack = await openFolderStack(folder, {
      setup: (manager) => {
        // One command, one user: nothing unlocks the vault later, so waiting for it would only hang.
        crypt = registerCryptFilter(manager, { sodium, keyRing, pool, lockedWaitMs: 1 });
      },
    });
    const root = await stack.api.createFile(stack.pathOf(''), { disposition: FILE_OPEN, options: FILE_DIRECTORY_FILE });
    if (!NT_SUCCESS(root.status)) throw new CliError(`cannot open ${folder} through Strata: ${statusName(root.status)}`);
    await stack.api.close(root.handle!);
  } catch (error) {
    keyRing.lock();
    // The pool's threads would keep the process alive.
    await pool.close();
    throw error;
  }
  const volume = [...crypt!.volumes.values()][0]!;
  return {
    folder, sodium, stack, crypt: crypt!, volume,
    async close() {
      keyRing.lock();
      await stack.close();
      await pool.close();
    },
  };
}
