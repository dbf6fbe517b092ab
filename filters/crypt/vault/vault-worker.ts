// The thread of one vault operation (vault-thread.ts): runs it, answers once, and exits, so the scrypt
// memory it grew goes with it. An unlocked key goes back as its secret bytes, transferred, and the
// identity here is wiped.

import { parentPort, workerData } from 'node:worker_threads';
import { loadSodium } from '../../../main/age/index.js';
import type { SerializedVaultError, VaultJob, VaultReply } from './vault-thread.js';
import { createVault, unlockVault } from './vault.js';

function serialize(error: unknown): SerializedVaultError {
  const { name, message, identityPath, folder, infoPath } = error as Error & Partial<SerializedVaultError>;
  return { name: name ?? 'Error', message: message ?? String(error), identityPath, folder, infoPath };
}

async function run(job: VaultJob): Promise<void> {
  const sodium = await loadSodium();
  if (job.op === 'create') {
    const info = await createVault(sodium, job.folder, job.passphrase, job.options);
    parentPort!.postMessage({ info } satisfies VaultReply);
    return;
  }
  const identity = await unlockVault(sodium, job.folder, job.passphrase);
  const secretKey = identity.secretKeyCopy();
  identity.wipe();
  parentPort!.postMessage({ secretKey } satisfies VaultReply, [secretKey.buffer as ArrayBuffer]);
}

try {
  await run(workerData as VaultJob);
} catch (error) {
  parentPort!.postMessage({ error: serialize(error) } satisfies VaultReply);
}
