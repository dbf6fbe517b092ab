// Opens the data dir's database for the length of one command and closes it whatever happens.

import { openStore, type Store } from '../store/index.js';

export async function withStore<T>(dataDir: string, use: (store: Store) => T | Promise<T>): Promise<T> {
  const store = openStore(dataDir);
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
