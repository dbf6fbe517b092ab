// `strata vault export-identity > key.txt` puts the vault's secret key in a file the shell created with
// the umask's mode, often readable by every user: say so (as age-keygen does), since the key opens every
// file of the folder without the passphrase.

import { fstatSync } from 'node:fs';
import type { CliIo } from '../../cli-io.js';

/** Warns on stderr when standard output is a regular file that others than its owner can read. */
export function warnIfOthersCanRead(io: CliIo): void {
  let mode: number;
  try {
    const stats = fstatSync(1);
    if (!stats.isFile()) return;
    mode = stats.mode & 0o777;
  } catch {
    return;
  }
  if ((mode & 0o044) === 0) return;
  io.writeErr(`strata: warning: the secret key goes to a file that others can read (mode ${mode.toString(8).padStart(3, '0')}): run chmod 600 on it, or write it where only you can read it\n`);
}
