// The API token: 32 random bytes, new at every agent start, kept owner-only (0600) in the data dir
// for local clients, and compared in constant time on every request. Only the agent holding the data
// dir's lock writes it, so every temp file of it found then is a crash's leftover (holding an old token)
// and is removed first.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFileAtomic } from './private-file.js';
import { sweepTempLeftovers } from './temp-files.js';

export const TOKEN_FILE = 'agent.token';

/** Called by the agent holding `dataDir`'s lock (agent-lock.ts). */
export function issueApiToken(dataDir: string): string {
  sweepTempLeftovers(dataDir, { target: TOKEN_FILE, noOtherWriter: true });
  const token = randomBytes(32).toString('base64url');
  writePrivateFileAtomic(join(dataDir, TOKEN_FILE), `${token}\n`);
  return token;
}

export function readApiToken(dataDir: string): string {
  const path = join(dataDir, TOKEN_FILE);
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new Error(`${path} is readable by other users; refusing to use it (it should be mode 0600)`);
  }
  return readFileSync(path, 'utf8').trim();
}

/** Constant-time: both sides are hashed first so neither length nor content leaks through timing. */
export function tokensMatch(presented: string | null, expected: string): boolean {
  if (presented === null) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
