// fsync on a host directory, so that a rename or create in it survives a power cut.

import { open } from 'node:fs/promises';

export async function fsyncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
