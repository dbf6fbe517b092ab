// Shared ground for tests of the CLI's unlock sessions: session files written as a `strata vault unlock`
// of some time ago (or of another boot) left them, the list of those in a data dir, and the CLI of this
// very build run as a child process (bin/strata.js would run the one in build/).

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentBootId } from '../../main/store/process-identity.js';
import { runCli, type CliRun } from './cli-child.js';

export type { CliRun } from './cli-child.js';

export const KEY = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';

/** `<data dir>/crypt-sessions/<sha256(folder)[:32]>.json`, the name filters/crypt/README.md documents. */
export function sessionFileOf(dataDir: string, folder: string): string {
  return join(dataDir, 'crypt-sessions', `${createHash('sha256').update(folder).digest('hex').slice(0, 32)}.json`);
}

export interface SessionShape {
  /** Minutes from now; negative: expired that long ago. */
  expiresInMinutes: number;
  /** Default: this boot's id (where the system tells one). null: no boot id, as older Strata wrote. */
  bootId?: string | null;
}

/** Writes the session file of `folder` as an unlock would have (0600 in a 0700 folder); returns its path. */
export function writeSession(dataDir: string, folder: string, shape: SessionShape): string {
  mkdirSync(join(dataDir, 'crypt-sessions'), { recursive: true, mode: 0o700 });
  const bootId = shape.bootId === undefined ? currentBootId() : shape.bootId;
  const expires = new Date(Date.now() + shape.expiresInMinutes * 60_000).toISOString();
  const path = sessionFileOf(dataDir, folder);
  writeFileSync(path, JSON.stringify({ folder, identity: KEY, expires, ...(bootId === null || bootId === undefined ? {} : { bootId }) }), { mode: 0o600 });
  return path;
}

/** The session files in the data dir, sorted. */
export function sessionFiles(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, 'crypt-sessions')).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

/** Runs `strata --data-dir <dataDir> ...args` of this build, without the STRATA_ variables of this environment. */
export function strataCli(dataDir: string, ...args: string[]): Promise<CliRun> {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('STRATA_')) delete env[key];
  return runCli(dataDir, args, { env });
}
