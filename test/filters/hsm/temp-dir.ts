// Temporary folders for the HSM tests, removed when the test ends.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDir(t: { after(fn: () => Promise<void> | void): void }, label = 'hsm'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `strata-${label}-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
