// The encryption protection: filters/crypt on a folder, with the vault in the folder itself
// (.strata-vault, see filters/crypt/README.md). The key lives in the agent's memory only while unlocked;
// the auto-lock is an idle job on the scheduler, re-armed by every use of the key; locking wipes it.
// Files other programs drop are ingested (and so encrypted) unless they already are age files; so are
// files in cold storage whose content is plaintext (migrated before the folder was encrypted), recalled first,
// and files Strata's own I/O below the filter left plaintext (such a file recalled by a user's read).
// Files are encrypted only to a vault recipient Strata trusts for the folder (vault-trust.ts): one it created,
// or whose key an unlock proved the user holds. Until then a gate above the filter refuses whatever would
// encrypt, nothing is ingested, and the first unlock with the vault's passphrase trusts it.
// Unlock and create run scrypt on a thread of their own (vault-thread.ts): every folder's I/O goes on meanwhile.

import { loadSodium, type Sodium, type X25519Identity } from '../../age/index.js';
import { ApiRequestError } from '../../api/index.js';
import type { FltFilter } from '../../fltmgr/index.js';
import type { Store } from '../../store/index.js';
import { CRYPT_ALTITUDE, registerCryptFilter, type CryptFilter } from '../../../filters/crypt/index.js';
import { KeyRing } from '../../../filters/crypt/key-ring.js';
import { registerTrustGate } from '../../../filters/crypt/vault/trust-gate.js';
import { VaultError, VaultExistsError, WrongPassphraseError, type UntrustedVaultError } from '../../../filters/crypt/vault/vault-error.js';
import { vaultPaths } from '../../../filters/crypt/vault/vault-layout.js';
import { VaultTrust } from '../../../filters/crypt/vault/vault-trust.js';
import { createVaultOffThread, unlockVaultOffThread } from '../../../filters/crypt/vault/vault-thread.js';
import { vaultExists, vaultRecipient } from '../../../filters/crypt/vault/vault.js';
import type { FolderRecord } from '../policy/policy-store.js';
import type { JobHandle } from '../scheduler/scheduler.js';
import { acquireCryptoPool } from './crypt-pool.js';
import type { ProtectionContext, ProtectionProvider } from './provider.js';

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
  notInKeptForm: (head) => (startsWith(head, AGE_HEADER) ? null : 'waiting to be encrypted'),
  async attach(context, protection) {
    const sodium = await loadSodium();
    const folder = context.folder.path;
    if (!(await vaultExists(folder))) {
      throw new Error(`${folder} has no vault yet: create it (strata folder create-vault, or the GUI) and the folder is encrypted from then on`);
    }
    const recipient = await vaultRecipient(sodium, folder);
    const trust = new VaultTrust(context.store.db);
    let distrust: UntrustedVaultError | null = trust.distrust(context.folder.id, folder, recipient.toString());
    const keyRing = new ScheduledKeyRing(recipient);
    keyRing.onLock(() => context.record({ action: 'locked', result: 'ok', detail: `vault '${protection.settings.vault}' locked; its key was wiped from memory` }));
    keyRing.onUnlock(() => context.record({ action: 'unlocked', result: 'ok', detail: `vault '${protection.settings.vault}' unlocked` }));
    const { pool, release } = await acquireCryptoPool();
    // The gate goes first: on a running folder the crypt filter filters as soon as it is registered.
    let gate: FltFilter | null = null;
    let crypt: CryptFilter;
    try {
      if (distrust !== null) gate = registerTrustGate(context.stack.manager, protection.altitude);
      crypt = registerCryptFilter(context.stack.manager, { sodium, keyRing, pool, altitude: protection.altitude, lockedWaitMs: LOCKED_WAIT_MS });
    } catch (error) {
      await gate?.unregister();
      await release();
      throw error;
    }
    if (distrust !== null) context.record({ action: 'error', result: 'refused', detail: distrust.message });
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
      ingestDecision: (candidate) => {
        if (startsWith(candidate.head, AGE_HEADER)) return 'skip';
        // Not taken in (and so not recorded as done): the walk after the unlock that trusts the vault finds it.
        if (distrust !== null) throw distrust;
        return 'ingest';
      },
      // A file migrated to cold storage before the folder was encrypted: its content is plaintext there.
      takesInOffline: (candidate) => {
        if (candidate.offline?.encrypted !== false) return false;
        if (distrust !== null) throw distrust;
        return true;
      },
      // Written by Strata below the filter (an HSM recall of such plaintext, which a user's read brought
      // back before ingest took it in): not encrypted either. Ingest's copy of it is an age file.
      takesInOwnWrite: (candidate) => {
        if (startsWith(candidate.head, AGE_HEADER)) return false;
        if (distrust !== null) throw distrust;
        return true;
      },
      lockState: () => (keyRing.unlocked ? 'unlocked' : 'locked'),
      async unlock(passphrase) {
        const identity = await openVault(sodium, folder, passphrase, context.record);
        if (identity.recipient().toString() !== keyRing.recipient.toString()) {
          identity.wipe();
          throw new ApiRequestError('conflict', `the vault file changed on disk: ${vaultPaths(folder).info} now names recipient ${identity.recipient()}, but Strata attached to ${folder} with ${keyRing.recipient}; nothing was unlocked (it is looked at again when the folder restarts)`, '$.folder');
        }
        if (distrust !== null) {
          // The passphrase opened the key of the recipient the filter encrypts to: it is the user's.
          trust.record(context.folder.id, recipient.toString(), 'unlocked');
          distrust = null;
          await gate?.unregister();
          gate = null;
          context.record({ action: 'unlocked', result: 'ok', detail: `vault '${protection.settings.vault}' trusted: its passphrase proved its key (${recipient}) is yours; files are encrypted to it from now on` });
          keyRing.unlock(identity);
          context.rescan?.();
        } else {
          keyRing.unlock(identity);
        }
        keyRing.autoLock?.touch();
      },
      lock: async () => keyRing.lock(),
      async detach() {
        keyRing.lock();
        await crypt.quiesce();
        await crypt.filter.unregister();
        await gate?.unregister();
        await release();
      },
    };
  },
};

/** The vault's identity for an unlock; failures the user can act on become API errors that say so. */
async function openVault(sodium: Sodium, folder: string, passphrase: string, record: ProtectionContext['record']): Promise<X25519Identity> {
  try {
    return await unlockVaultOffThread(sodium, folder, passphrase);
  } catch (error) {
    if (error instanceof WrongPassphraseError) {
      record({ action: 'unlocked', result: 'refused', detail: 'wrong passphrase' });
      throw new ApiRequestError('invalid-request', `the passphrase does not open the vault of ${folder}`, '$.passphrase');
    }
    if (error instanceof VaultError) throw new ApiRequestError('conflict', error.message, '$.folder');
    throw error;
  }
}

/**
 * Creates the vault of a folder (its key, wrapped by the passphrase, in <folder>/.strata-vault) and trusts
 * its recipient there: Strata made the key. A folder that has a vault already is a 'conflict' (unlock that
 * one with its own passphrase); other vault errors are the request's.
 */
export async function createFolderVault(store: Store, folder: Pick<FolderRecord, 'id' | 'path'>, passphrase: string): Promise<void> {
  try {
    const info = await createVaultOffThread(folder.path, passphrase);
    new VaultTrust(store.db).record(folder.id, info.recipient, 'created');
  } catch (error) {
    if (error instanceof VaultExistsError) throw new ApiRequestError('conflict', error.message, '$.folder');
    if (error instanceof VaultError) throw new ApiRequestError('invalid-request', error.message, '$.folder');
    throw error;
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}
