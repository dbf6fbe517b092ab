// Vault work that runs scrypt (unlock, create) on a thread of its own, for callers with other work to do
// (the agent: every folder's I/O runs on its main thread). scrypt at 2^18 takes about a second and 256 MiB
// of libsodium's WebAssembly heap (1 GiB at 2^20): on the main thread it stalled every folder for that long,
// and the heap, once grown, stayed grown. Here a worker does one operation and exits, taking its heap with it.
// The unlocked key comes back as its 32 secret bytes, transferred (no copy stays in the worker); failures
// come back as the same VaultError classes the in-thread functions throw.

import { Worker } from 'node:worker_threads';
import { X25519Identity, type Sodium } from '../../../main/age/index.js';
import { VaultError, VaultExistsError, WrongPassphraseError } from './vault-error.js';
import type { VaultInfo } from './vault-layout.js';
import type { VaultOptions } from './vault.js';

export type VaultJob =
  | { op: 'unlock'; folder: string; passphrase: string }
  | { op: 'create'; folder: string; passphrase: string; options: VaultOptions };

/** What a vault worker says when done: exactly one of these. */
export type VaultReply =
  | { secretKey: Uint8Array }
  | { info: VaultInfo }
  | { error: SerializedVaultError };

export interface SerializedVaultError {
  name: string;
  message: string;
  identityPath?: string;
  folder?: string;
  infoPath?: string;
}

/** The vault's identity (unlockVault() on a worker thread); WrongPassphraseError when the passphrase does not open it. */
export async function unlockVaultOffThread(sodium: Sodium, folder: string, passphrase: string): Promise<X25519Identity> {
  const reply = await runVaultJob({ op: 'unlock', folder, passphrase });
  if (!('secretKey' in reply)) throw new Error(`vault worker: unlocking ${folder} gave no key`);
  try {
    return new X25519Identity(sodium, reply.secretKey.slice());
  } finally {
    sodium.memzero(reply.secretKey);
  }
}

/** createVault() on a worker thread. */
export async function createVaultOffThread(folder: string, passphrase: string, options: VaultOptions = {}): Promise<VaultInfo> {
  const reply = await runVaultJob({ op: 'create', folder, passphrase, options });
  if (!('info' in reply)) throw new Error(`vault worker: creating the vault of ${folder} gave no vault information`);
  return reply.info;
}

function runVaultJob(job: VaultJob): Promise<VaultReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./vault-worker.js', import.meta.url), { workerData: job });
    let reply: VaultReply | null = null;
    worker.once('message', (message: VaultReply) => (reply = message));
    worker.once('error', (error) => reject(new VaultError(`the vault worker for ${job.folder} failed: ${error.message}`)));
    worker.once('exit', (code) => {
      if (reply === null) return reject(new VaultError(`the vault worker for ${job.folder} stopped (exit code ${code}) before it answered; nothing was changed`));
      if ('error' in reply) return reject(revive(reply.error));
      resolve(reply);
    });
  });
}

/** A vault error thrown on the worker, as the class it was there (its message names the files concerned). */
function revive(error: SerializedVaultError): Error {
  if (error.name === 'WrongPassphraseError' && error.identityPath !== undefined) return new WrongPassphraseError(error.identityPath);
  if (error.name === 'VaultExistsError' && error.folder !== undefined && error.infoPath !== undefined) return new VaultExistsError(error.folder, error.infoPath);
  if (error.name === 'VaultError') return new VaultError(error.message);
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}
