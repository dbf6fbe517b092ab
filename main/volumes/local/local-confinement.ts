// Keeps a local volume inside its root directory. Names were already stripped of '..', separators and
// drive letters; what remains is symbolic links. A path is resolved with realpath and accepted only
// when the result lies inside the root's own realpath: links that stay inside may be followed.
//
// A check on a name is only as good as the moment it was made: a link can be planted or re-pointed
// between the check and the system call that walks the name again. So what is opened is checked once
// more on the open descriptor itself (where /proc/self/fd names it), and an entry is created, renamed or
// removed through a checked descriptor of its parent directory (/proc/self/fd/<fd>/<name>: the *at()
// calls), never by walking its volume path again: an entry opened through a link that stayed inside
// cannot be deleted or moved outside by re-pointing that link afterwards.

import { constants } from 'node:fs';
import { open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { STATUS_ACCESS_DENIED, STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND, type NTSTATUS } from '../../io/index.js';
import { VolumeError } from '../volume-error.js';
import { hostNameOf, volumeComponentOf } from '../host-names.js';
import { volumePathName } from '../volume-path.js';
import { FD_LINKS, fdLink } from './fd-link.js';

// Not every host has them (Windows); there the realpath check alone stands.
const O_NOFOLLOW = (constants.O_NOFOLLOW as number | undefined) ?? 0;
const O_DIRECTORY = (constants.O_DIRECTORY as number | undefined) ?? 0;

export class LocalConfinement {
  private readonly prefix: string;

  /** `realRoot` must itself be a realpath (no links in it). */
  constructor(readonly realRoot: string) {
    this.prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  }

  contains(realPath: string): boolean {
    return realPath === this.realRoot || realPath.startsWith(this.prefix);
  }

  /**
   * The resolved host path of `components`, or null when nothing is there (including a dangling link).
   * Throws STATUS_ACCESS_DENIED when it resolves outside the root.
   */
  async resolve(components: readonly string[]): Promise<string | null> {
    const real = await resolveOrNull(this.hostPath(components));
    if (real !== null && !this.contains(real)) {
      throw new VolumeError(STATUS_ACCESS_DENIED, `'${volumePathName(components)}' is a link leading outside the volume root ${this.realRoot}`);
    }
    return real;
  }

  /** Opens the existing file `components` with `flags` (O_* bits), checked inside the root on the descriptor. */
  async openFile(components: readonly string[], flags: number): Promise<FileHandle> {
    const real = await this.existing(components, STATUS_OBJECT_NAME_NOT_FOUND);
    return this.checked(await open(real, flags | O_NOFOLLOW), components);
  }

  /**
   * Runs `use` with a host path naming the directory `components` as it was checked: on Linux the
   * /proc/self/fd name of a descriptor held open meanwhile, so that nothing `use` does by that path can
   * be led elsewhere. `missing`: the status when the directory does not exist. `ownName`: refuse a
   * directory that `components` reach through a link.
   */
  async withDirectory<T>(components: readonly string[], use: (hostDirectory: string) => Promise<T>, missing: NTSTATUS = STATUS_OBJECT_NAME_NOT_FOUND, ownName = false): Promise<T> {
    const real = await this.existing(components, missing);
    if (ownName && real !== this.hostPath(components)) {
      throw new VolumeError(STATUS_OBJECT_PATH_NOT_FOUND, `the folder '${volumePathName(components)}' is a link now (to ${real}): it was replaced since its name was looked up`);
    }
    if (!FD_LINKS) return use(real);
    const directory = await this.checked(await open(real, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW), components);
    try {
      return await use(fdLink(directory));
    } finally {
      await directory.close();
    }
  }

  /**
   * Runs `use` with a host path naming the entry `components` inside its checked parent (see
   * withDirectory). Entries are created, renamed and removed by their own names (opens and renames through
   * a link are reparsed first): a parent that is reached through a link by now was swapped for one since,
   * and is refused rather than followed to another folder's entry of the same name.
   */
  withEntry<T>(components: readonly string[], use: (hostPath: string) => Promise<T>): Promise<T> {
    const name = components[components.length - 1];
    if (name === undefined) throw new VolumeError(STATUS_ACCESS_DENIED, 'the root directory of a volume is no entry of a directory');
    const hostName = hostNameOf(name);
    return this.withDirectory(components.slice(0, -1), (directory) => use(join(directory, hostName)), STATUS_OBJECT_PATH_NOT_FOUND, true);
  }

  /**
   * The volume components of `real` (a realpath inside the root) when `components` reach it through a
   * link; undefined when `components` name it directly.
   */
  linkTarget(components: readonly string[], real: string): string[] | undefined {
    if (real === this.hostPath(components)) return undefined;
    return real === this.realRoot ? [] : real.slice(this.prefix.length).split(sep).map(volumeComponentOf);
  }

  private hostPath(components: readonly string[]): string {
    return components.length === 0 ? this.realRoot : join(this.realRoot, ...components.map(hostNameOf));
  }

  private async existing(components: readonly string[], missing: NTSTATUS): Promise<string> {
    const real = await this.resolve(components);
    if (real === null) throw new VolumeError(missing, `'${volumePathName(components)}' no longer exists`);
    return real;
  }

  /** `handle`, once the file it has open is known to lie inside the root; otherwise it is closed and refused. */
  private async checked(handle: FileHandle, components: readonly string[]): Promise<FileHandle> {
    if (!FD_LINKS) return handle;
    try {
      const opened = await readlink(fdLink(handle));
      if (this.contains(opened)) return handle;
      throw new VolumeError(STATUS_ACCESS_DENIED, `'${volumePathName(components)}' led outside the volume root ${this.realRoot} when it was opened (to ${opened}): a link was planted on the way`);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
}

async function resolveOrNull(hostPath: string): Promise<string | null> {
  try {
    return await realpath(hostPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
