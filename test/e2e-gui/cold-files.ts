// Cold files for GUI tests: a file old enough for any migration policy, and the folder view's migration
// run from its button.

import { writeFileSync, utimesSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const OLD_FILE_SIZE = 256 * 1024;

/** Writes a 256 KiB file last modified and read 400 days ago. */
export function writeOldFile(file: string): void {
  writeFileSync(file, Buffer.alloc(OLD_FILE_SIZE, 7));
  const longAgo = new Date(Date.now() - 400 * 86_400_000);
  utimesSync(file, longAgo, longAgo);
}

/** Presses the folder view's "Move cold files now" and waits until the migration says it is done. */
export async function moveColdFilesNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Move cold files now' }).click();
  await page.getByText('Cold files moved.').waitFor({ timeout: 30_000 });
}
