// The unlock sessions of `strata vault unlock`: the CLI is one process per command, so an unlock leaves
// the vault key in `<data dir>/crypt-sessions/<sha256(folder)[:32]>.json` (folder 0700, file 0600,
// written atomically) for the commands after it, until it ends. A session ends when `strata vault lock`
// or an agent's lock of its folder ends it, when it expires, and when the machine reboots (it records
// the boot id, where the system tells one: a restart locks, as it does the agent's key in memory).
// An ended session's key must not stay on disk, so every read or write of a session first sweeps away
// every ended one (of any folder), as the agent does at start and then periodically; each is overwritten
// before it is unlinked. The write goes through a temp file naming its writer (host, PID, run); one left
// by a command killed mid-write holds the key too, so the sweep also removes the leftovers of writers
// that are gone (server/temp-files.ts). Here (main/agent) so that both the CLI and the agent reach it.

import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readdir, realpath, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { currentBootId } from '../../store/process-identity.js';
import { writePrivateFileAtomic } from '../server/private-file.js';
import { sweepTempLeftovers } from '../server/temp-files.js';

export const SESSIONS_FOLDER = 'crypt-sessions';

interface SessionFile {
  folder: string;
  identity: string;
  expires: string;
  /** The boot it was written in; absent where the system tells none (and in sessions of older Strata). */
  bootId?: string;
}

const SESSION_NAME = /^[0-9a-f]{32}\.json$/;

function sessionsDir(dataDir: string): string {
  return join(dataDir, SESSIONS_FOLDER);
}

function sessionPath(dataDir: string, folder: string): string {
  const id = createHash('sha256').update(folder).digest('hex').slice(0, 32);
  return join(sessionsDir(dataDir), `${id}.json`);
}

/** A session file's content, or null when it is not one (damaged, or being overwritten by a sweep). */
function parseSession(text: string): SessionFile | null {
  try {
    const session = JSON.parse(text) as Partial<SessionFile> | null;
    const valid = typeof session?.folder === 'string' && typeof session.identity === 'string' && typeof session.expires === 'string';
    return valid ? (session as SessionFile) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a session may still be used: not expired, written in this boot (a session from before a
 * reboot, or one without a boot id where the system tells one, is over), and readable by its owner only.
 */
function isLive(session: SessionFile | null, mode: number): session is SessionFile {
  return session !== null && (mode & 0o077) === 0 && Date.parse(session.expires) > Date.now() && session.bootId === currentBootId();
}

/**
 * Opens the session file at `path`, and if `ends(content, mode)` says so, overwrites it with zeros, then
 * unlinks it. The decision and the overwrite use one handle, so a session written over the name meanwhile
 * (a rename) is not zeroed, and is not unlinked either unless it arrived after the check just before.
 * Returns the session read when it was kept, 'ended' when it was removed, null when there was none.
 */
async function endIf(path: string, ends: (session: SessionFile | null, mode: number) => boolean): Promise<SessionFile | 'ended' | null> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot open the unlock session ${path}: ${(error as Error).message}`);
  }
  let opened;
  try {
    opened = await handle.stat();
    const session = parseSession(await handle.readFile('utf8'));
    if (!ends(session, opened.mode)) return session;
    await handle.write(new Uint8Array(opened.size), 0, opened.size, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const now = await stat(path).catch(() => null);
  if (now !== null && now.ino === opened.ino && now.dev === opened.dev) await rm(path, { force: true });
  return 'ended';
}

/** Removes every ended session (expired, from another boot, unsafe, damaged) and killed writers' temp files. */
export async function sweepEndedSessions(dataDir: string): Promise<number> {
  const dir = sessionsDir(dataDir);
  sweepTempLeftovers(dir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw new Error(`cannot list the unlock sessions in ${dir}: ${(error as Error).message}`);
  }
  let ended = 0;
  for (const name of names.filter((n) => SESSION_NAME.test(n))) {
    if ((await endIf(join(dir, name), (session, mode) => !isLive(session, mode))) === 'ended') ended++;
  }
  return ended;
}

export async function saveSession(dataDir: string, folder: string, identity: string, minutes: number): Promise<Date> {
  await mkdir(sessionsDir(dataDir), { recursive: true, mode: 0o700 });
  await chmod(sessionsDir(dataDir), 0o700);
  await sweepEndedSessions(dataDir);
  const expires = new Date(Date.now() + minutes * 60_000);
  const bootId = currentBootId();
  const session: SessionFile = { folder, identity, expires: expires.toISOString(), ...(bootId === undefined ? {} : { bootId }) };
  writePrivateFileAtomic(sessionPath(dataDir, folder), JSON.stringify(session));
  return expires;
}

/** The session's identity, or null when there is none or it has ended (it is then removed). */
export async function loadSession(dataDir: string, folder: string): Promise<string | null> {
  await sweepEndedSessions(dataDir);
  const kept = await endIf(sessionPath(dataDir, folder), (session, mode) => !isLive(session, mode) || session.folder !== folder);
  return kept === null || kept === 'ended' ? null : kept.identity;
}

/** Ends the folder's session (overwritten, then removed); true when there was one still live. */
export async function endSession(dataDir: string, folder: string): Promise<boolean> {
  await sweepEndedSessions(dataDir);
  return (await endIf(sessionPath(dataDir, folder), () => true)) === 'ended';
}

/**
 * Ends the sessions of a folder the agent names by `path` (the CLI names it by its real path, which a
 * folder reached through a symlink differs from): true when one was live.
 */
export async function endFolderSessions(dataDir: string, path: string): Promise<boolean> {
  const real = await realpath(path).catch(() => path);
  let ended = false;
  for (const folder of new Set([path, real])) ended = (await endSession(dataDir, folder)) || ended;
  return ended;
}
