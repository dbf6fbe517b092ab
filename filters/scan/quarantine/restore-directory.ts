// The folder a quarantined file is restored into, opened without following a symbolic link anywhere on
// its path. A restore puts (infected) content back at the path it was found at; if a folder on that path
// has since become a link (Docs/sub → a folder outside the protected one, ~/.config/autostart ...),
// following it would put that content wherever the link leads. Origin paths are recorded under a protected
// folder's real path (links resolved when the folder was added), so a link on the way is something that
// changed since: the restore is refused, naming it.
//
// Linux, as main/volumes/local/local-confinement.ts does it: the deepest existing folder of the path is
// opened with O_NOFOLLOW and the name /proc/self/fd gives its descriptor must be the path itself (a link
// anywhere on the way makes it differ); each missing folder below is created (0700) and opened through
// its parent's descriptor (/proc/self/fd/<fd>/<name>), never by walking the path again; the caller writes,
// links or renames and fsyncs through the final descriptor's name the same way, so a link planted after
// the check leads nowhere. Elsewhere (no /proc/self/fd) each folder on the path is lstat'd: the same rule,
// without the guarantee against a link planted between the check and the write.

import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, parse, relative, sep } from 'node:path';
import { QuarantineError } from './quarantine-error.js';

const FD_LINKS = process.platform === 'linux';
// Not every host has them (Windows); there the lstat walk alone stands.
const O_NOFOLLOW = (constants.O_NOFOLLOW as number | undefined) ?? 0;
const O_DIRECTORY = (constants.O_DIRECTORY as number | undefined) ?? 0;
const DIRECTORY_FLAGS = constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW;

/**
 * Runs `use` with a host path naming the folder `target` (an absolute file path) goes into, created if
 * missing, reached without following any link; throws a QuarantineError naming the link (or the entry
 * that is no folder) in the way. `use` must act through that path only.
 */
export async function withRestoreDirectory<T>(target: string, use: (hostDirectory: string) => Promise<T>): Promise<T> {
  const directory = dirname(target);
  if (!FD_LINKS) {
    await createByWalking(target, directory);
    return use(directory);
  }
  let { handle, at } = await openDeepestExisting(target, directory);
  try {
    for (const name of componentsOf(at, directory)) {
      const child = await openChild(target, handle, join(at, name), name);
      await handle.close();
      handle = child;
      at = join(at, name);
    }
    return await use(fdLink(handle));
  } finally {
    await handle.close();
  }
}

/**
 * `path` with the links of its existing folders followed: where a restore to a path the user named goes
 * (they chose it, links and all; what is then created below is reached without links all the same).
 */
export async function withExistingLinksFollowed(path: string): Promise<string> {
  const rest: string[] = [];
  for (let at = path; ; at = dirname(at)) {
    const real = await realpath(at).catch(() => null);
    if (real !== null) return join(real, ...rest);
    if (dirname(at) === at) return path;
    rest.unshift(basename(at));
  }
}

/** The names that lead from the folder `from` down to `to` (inside it). */
function componentsOf(from: string, to: string): string[] {
  return relative(from, to).split(sep).filter((part) => part !== '');
}

function fdLink(handle: FileHandle): string {
  return `/proc/self/fd/${handle.fd}`;
}

/** The deepest folder of `directory` that exists, opened, checked to be reached without a link. */
async function openDeepestExisting(target: string, directory: string): Promise<{ handle: FileHandle; at: string }> {
  for (let at = directory; ; at = dirname(at)) {
    let handle: FileHandle;
    try {
      handle = await open(at, DIRECTORY_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(at) !== at) continue;
      if (code === 'ENOTDIR' || code === 'ELOOP') throw await inTheWay(target, at);
      throw cannotOpen(target, at, error);
    }
    const opened = await readlink(fdLink(handle)).catch(() => null);
    if (opened === at) return { handle, at };
    await handle.close();
    throw await inTheWay(target, at, opened);
  }
}

/** Opens (creating it first if missing) the folder `path` inside the open folder `parent`, never through a link. */
async function openChild(target: string, parent: FileHandle, path: string, name: string): Promise<FileHandle> {
  const inParent = join(fdLink(parent), name);
  for (let created = false; ; created = true) {
    try {
      return await open(inParent, DIRECTORY_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR' || code === 'ELOOP') throw await inTheWay(target, path);
      if (code !== 'ENOENT' || created) throw cannotOpen(target, path, error);
    }
    await mkdir(inParent, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw cannotOpen(target, path, error);
    });
  }
}

/** Without descriptor names: each folder of `directory` lstat'd from the top, missing ones created. */
async function createByWalking(target: string, directory: string): Promise<void> {
  const { root } = parse(directory);
  let at = root;
  for (const name of componentsOf(root, directory)) {
    at = join(at, name);
    const info = await lstat(at).catch(() => null);
    if (info === null) {
      await mkdir(at, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw cannotOpen(target, at, error);
      });
      continue;
    }
    if (info.isSymbolicLink() || !info.isDirectory()) throw await inTheWay(target, at);
  }
}

/** The refusal, naming the first link (or entry that is no folder) on the way to `at`. */
async function inTheWay(target: string, at: string, openedAs?: string | null): Promise<QuarantineError> {
  const { root } = parse(at);
  let path = root;
  for (const name of componentsOf(root, at)) {
    path = join(path, name);
    const info: Stats | null = await lstat(path).catch(() => null);
    if (info?.isSymbolicLink()) {
      const to = await readlink(path).catch(() => '?');
      return refused(target, `${path} is a symbolic link (to ${to}); following it could put the file outside the folder it came from`);
    }
    if (info !== null && !info.isDirectory()) return refused(target, `${path} is not a folder`);
  }
  // No link left to see: one was there when the folder was opened, or the folder was moved meanwhile.
  return refused(target, `the folder ${at} was reached as ${openedAs ?? 'another folder'}: a link was on the way, or it was moved`);
}

function refused(target: string, why: string): QuarantineError {
  return new QuarantineError(`cannot restore to ${target}: ${why}. Nothing was restored; remove what is in the way or restore to another path`);
}

function cannotOpen(target: string, folder: string, error: unknown): QuarantineError {
  return new QuarantineError(`cannot restore to ${target}: the folder ${folder} cannot be opened or created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
}
