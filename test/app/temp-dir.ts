// Temp folders that clean themselves up after a test (shared by the app's and the GUI's tests).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cleanup {
  after(fn: () => void | Promise<void>): void;
}

export function tempDir(t: Cleanup, prefix = 'strata-app-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
