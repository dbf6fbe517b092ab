// `strata vault unlock` in a one-process-per-command CLI: the unlocked identity is kept in a session file
// in the data dir (folder 0700, file 0600, written atomically) with an expiry; later commands read it, and
// `strata vault lock` (or the expiry) ends it. The trade-off: while the session lasts the key is on disk,
// readable by the same user (and root), as an ssh-agent socket would be; see filters/crypt/README.md.
// The write goes through a temp file naming its writer (host, PID, run); one left by a command killed
// mid-write holds the key too, so every session command first sweeps the leftovers of writers that are
// gone (main/agent/server/temp-files.ts).

import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writePrivateFileAtomic } from '../../../agent/server/private-file.js';
import { sweepTempLeftovers } from '../../../agent/server/temp-files.js';

export const DEFAULT_SESSION_MINUTES = 15;

interface SessionFile {
  folder: string;
  identity: string;
  expires: string;
}

function sessionsDir(dataDir: string): string {
  return join(dataDir, 'crypt-sessions');
}

function sessionPath(dataDir: string, folder: string): string {
  const id = createHash('sha256').update(folder).digest('hex').slice(0, 32);
  return join(sessionsDir(dataDir), `${id}.json`);
}

/** Removes the temp files (each holding a key) that session writers killed mid-write left behind. */
function sweepLeftovers(dataDir: string): void {
  sweepTempLeftovers(sessionsDir(dataDir));
}

export async function saveSession(dataDir: string, folder: string, identity: string, minutes: number): Promise<Date> {
  const path = sessionPath(dataDir, folder);
  await mkdir(sessionsDir(dataDir), { recursive: true, mode: 0o700 });
  await chmod(sessionsDir(dataDir), 0o700);
  sweepLeftovers(dataDir);
  const expires = new Date(Date.now() + minutes * 60_000);
  const session: SessionFile = { folder, identity, expires: expires.toISOString() };
  writePrivateFileAtomic(path, JSON.stringify(session));
  return expires;
}

/** The session's identity, or null when there is none, it expired (it is then removed) or it is unsafe. */
export async function loadSession(dataDir: string, folder: string): Promise<string | null> {
  sweepLeftovers(dataDir);
  const path = sessionPath(dataDir, folder);
  let text: string;
  try {
    if (((await stat(path)).mode & 0o077) !== 0) {
      await endSession(dataDir, folder);
      return null;
    }
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const session = JSON.parse(text) as SessionFile;
  if (session.folder !== folder || Date.parse(session.expires) <= Date.now()) {
    await endSession(dataDir, folder);
    return null;
  }
  return session.identity;
}

/** Overwrites the session file before removing it; true when there was one. */
export async function endSession(dataDir: string, folder: string): Promise<boolean> {
  sweepLeftovers(dataDir);
  const path = sessionPath(dataDir, folder);
  try {
    const handle = await open(path, 'r+');
    try {
      const { size } = await handle.stat();
      await handle.write(new Uint8Array(size), 0, size, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
  await rm(path, { force: true });
  return true;
}
