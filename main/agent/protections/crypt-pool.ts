// One crypto worker pool for the whole agent (a thread per core), shared by every encrypted folder: made
// when the first folder needs it, closed when the last one lets go (its threads keep a process alive).

import { CryptoPool } from '../../../filters/crypt/crypto-pool.js';

let shared: { pool: Promise<CryptoPool>; users: number } | null = null;

export async function acquireCryptoPool(): Promise<{ pool: CryptoPool; release: () => Promise<void> }> {
  const entry = (shared ??= { pool: CryptoPool.create(), users: 0 });
  entry.users++;
  let released = false;
  return {
    pool: await entry.pool,
    release: async () => {
      if (released) return;
      released = true;
      if (--entry.users > 0) return;
      if (shared === entry) shared = null;
      await (await entry.pool).close();
    },
  };
}
