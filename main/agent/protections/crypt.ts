// The encryption protection: filters/crypt on a folder, with the vault in the folder itself
// (.strata-vault, see filters/crypt/README.md). The key lives in the agent's memory only while unlocked;
// the auto-lock is an idle job on the scheduler, re-armed by every use of the key; locking wipes it.
// Files other programs drop are ingested (and so encrypted) unless they already are age files.

import { loadSodium } from '../../age/index.js';
import { ApiRequestError } from '../../api/index.js';
import { CRYPT_ALTITUDE, registerCryptFilter } from '../../../filters/crypt/index.js';
import { KeyRing } from '../../../filters/crypt/key-ring.js';
import { WrongPassphraseError } from '../../../filters/crypt/vault/vault-error.js';
import { createVault, unlockVault, vaultExists, vaultRecipient } from '../../../filters/crypt/vault/vault.js';
import type { JobHandle } from '../scheduler/scheduler.js';
import { acquireCryptoPool } from './crypt-pool.js';
import type { ProtectionProvider } from './provider.js';

const AGE_HEADER = new TextEncoder().encode('age-encryption.org/v1\n');
/** How long I/O on a locked vault waits for an unlock before failing with STATUS_FILE_ENCRYPTED. */
const LOCKED_WAIT_MS = 30_000;

/** A key ring whose every use re-arms the scheduler's auto-lock job. */
class ScheduledKeyRing extends KeyRing {
  autoLock: JobHandle | null = null;
  override use() {
    const identity = super.use();
    if (identity !== null) this.autoLock?.touch();
    return identity;
  }
}

export const cryptProvider: ProtectionProvider<'crypt'> = {
  kind: 'crypt',
  defaultAltitude: CRYPT_ALTITUDE,
  unavailableReason: null,
  ingests: true,
  async attach(context, protection) {
    const sodium = await loadSodium();
    const folder = context.folder.path;
    if (!(await vaultExists(folder))) {
      throw new Error(`${folder} has no vault yet: create it (strata folder create-vault, or the GUI) and the folder is encrypted from then on`);
    }
    const keyRing = new ScheduledKeyRing(await vaultRecipient(sodium, folder));
    keyRing.onLock(() => context.record({ action: 'locked', result: 'ok', detail: `vault '${protection.settings.vault}' locked; its key was wiped from memory` }));
    keyRing.onUnlock(() => context.record({ action: 'unlocked', result: 'ok', detail: `vault '${protection.settings.vault}' unlocked` }));
    const { pool, release } = await acquireCryptoPool();
    const crypt = registerCryptFilter(context.stack.manager, { sodium, keyRing, pool, altitude: protection.altitude, lockedWaitMs: LOCKED_WAIT_MS });
    const autoLockMinutes = protection.settings.autoLockMinutes;
    return {
      kind: 'crypt',
      altitude: protection.altitude,
      jobs: autoLockMinutes === 0 ? [] : [{
        name: `auto-lock after ${autoLockMinutes} idle minute(s)`,
        trigger: { kind: 'idle', afterMs: autoLockMinutes * 60_000 },
        run: async () => {
          if (keyRing.unlocked) keyRing.lock();
        },
        bind: (handle) => (keyRing.autoLock = handle),
      }],
      ingestDecision: (candidate) => (startsWith(candidate.head, AGE_HEADER) ? 'skip' : 'ingest'),
      lockState: () => (keyRing.unlocked ? 'unlocked' : 'locked'),
      async unlock(passphrase) {
        try {
          keyRing.unlock(await unlockVault(sodium, folder, passphrase));
        } catch (error) {
          if (error instanceof WrongPassphraseError) {
            context.record({ action: 'unlocked', result: 'refused', detail: 'wrong passphrase' });
            throw new ApiRequestError('invalid-request', `the passphrase does not open the vault of ${folder}`, '$.passphrase');
          }
          throw error;
        }
        keyRing.autoLock?.touch();
      },
      lock: async () => keyRing.lock(),
      async detach() {
        keyRing.lock();
        await crypt.quiesce();
        await crypt.filter.unregister();
        await release();
      },
    };
  },
};

/** Creates the vault of a folder (its key, wrapped by the passphrase, in <folder>/.strata-vault). */
export async function createFolderVault(folder: string, passphrase: string): Promise<void> {
  const sodium = await loadSodium();
  await createVault(sodium, folder, passphrase);
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}
