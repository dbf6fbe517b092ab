// What the host has on the way to a name inside a protected folder, when it is no ordinary file or
// directory: the first symbolic link, named pipe, socket or device node among the name's components, seen
// with lstat (a link is looked at, never followed). Used to say why cold storage refuses a name; whether
// to refuse is decided on the folder's stack (named-file-open.ts).

import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import { hostEntryKindOf } from '../../volumes/index.js';

export interface HostEntryKind {
  /** The component's folder-relative path, '/'-separated, as the host spells it. */
  readonly at: string;
  /** 'a symbolic link', 'a named pipe', ... */
  readonly kind: string;
  readonly link: boolean;
}

/** The first such component of `hostRelative` ('dir/name', host spelling) below `root`; null when there is none. */
export async function specialEntryOnTheWay(root: string, hostRelative: string): Promise<HostEntryKind | null> {
  const names = hostRelative.split('/').filter((name) => name !== '');
  for (let depth = 1; depth <= names.length; depth++) {
    const at = names.slice(0, depth).join('/');
    let stats: Stats;
    try {
      stats = await lstat(join(root, at));
    } catch {
      return null; // nothing there: nothing on the way leads elsewhere
    }
    if (stats.isDirectory()) continue;
    return stats.isFile() ? null : { at, kind: hostEntryKindOf(stats), link: stats.isSymbolicLink() };
  }
  return null;
}
