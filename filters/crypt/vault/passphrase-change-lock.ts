// One passphrase change at a time per vault. Two at once each read the old identity file and each renamed
// its own over it: both said "changed", and only the last one's passphrase opened the vault. A change holds
// <vault>/passwd.lock (created exclusively, holding its writer's tag, main/store/temp-owner.ts) while it
// works; another change finds it and is refused. A lock whose writer is gone (a crash) is taken over.

import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempOwnerState, tempOwnerTag } from '../../../main/store/temp-owner.js';
import { VaultError } from './vault-error.js';
import { vaultPaths } from './vault-layout.js';

export const PASSPHRASE_CHANGE_LOCK = 'passwd.lock';

export function passphraseChangeLockPath(folder: string): string {
  return join(vaultPaths(folder).dir, PASSPHRASE_CHANGE_LOCK);
}

/** Runs `change` holding the vault's passphrase-change lock; refused (VaultError, nothing changed) while another holds it. */
export async function withPassphraseChangeLock<T>(folder: string, change: () => Promise<T>): Promise<T> {
  const path = passphraseChangeLockPath(folder);
  const tag = tempOwnerTag();
  await take(folder, path, tag);
  try {
    return await change();
  } finally {
    // Only our own lock is removed (a refused change never gets here).
    if ((await readFile(path, 'utf8').catch(() => null)) === tag) await unlink(path).catch(() => undefined);
  }
}

async function take(folder: string, path: string, tag: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, tag, { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new VaultError(`cannot lock the vault of ${folder} for a passphrase change (${path}): ${(error as Error).message}; nothing was changed`);
    }
    const holder = await readFile(path, 'utf8').catch(() => '');
    if (tempOwnerState(holder) !== 'gone') {
      throw new VaultError(`another passphrase change of the vault of ${folder} is under way (${path}, held by ${holder || 'an unknown writer'}); nothing was changed: try again once it is done`
        + (tempOwnerState(holder) === 'unknown' ? `, or delete ${path} if no change is running on any machine` : ''));
    }
    await unlink(path).catch(() => undefined);
  }
  throw new VaultError(`cannot lock the vault of ${folder} for a passphrase change: ${path} keeps coming back; nothing was changed`);
}
