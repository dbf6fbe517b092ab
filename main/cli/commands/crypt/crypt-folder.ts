// Opens a protected folder for one CLI command: the vault's key ring (unlocked from --passphrase-file, the
// session of `strata vault unlock`, or a prompt), the worker pool, and the folder's full filter stack with
// the crypt filter, mounted.

import { realpath } from 'node:fs/promises';
import { X25519Identity, loadSodium, type Sodium } from '../../../age/index.js';
import { openFolderStack, type FolderStack } from '../../../agent/folder-stack.js';
import { FILE_DIRECTORY_FILE, FILE_OPEN, NT_SUCCESS, statusName } from '../../../io/index.js';
import { CryptoPool } from '../../../../filters/crypt/crypto-pool.js';
import type { CryptVolume } from '../../../../filters/crypt/crypt-volume.js';
import { registerCryptFilter, type CryptFilter } from '../../../../filters/crypt/index.js';
import { KeyRing } from '../../../../filters/crypt/key-ring.js';
import { unlockVault, vaultRecipient } from '../../../../filters/crypt/vault/vault.js';
import { CliError } from '../../cli-error.js';
import type { CliContext } from '../../command.js';
import { passphraseFrom } from './passphrase.js';
import { loadSession } from './session.js';

export interface CryptFolder {
  readonly folder: string;
  readonly sodium: Sodium;
  readonly stack: FolderStack;
  readonly crypt: CryptFilter;
  readonly volume: CryptVolume;
  close(): Promise<void>;
}

export async function resolveFolder(folder: unknown): Promise<string> {
  try {
    return await realpath(String(folder));
  } catch {
    throw new CliError(`the folder ${String(folder)} does not exist`);
  }
}

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

export async function openCryptFolder(ctx: CliContext, folderArg: unknown, passphraseFile: unknown): Promise<CryptFolder> {
  const folder = await resolveFolder(folderArg);
  const sodium = await loadSodium();
  const keyRing = new KeyRing(await vaultRecipient(sodium, folder));
  keyRing.unlock(await identityFor(ctx, sodium, folder, passphraseFile));
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
