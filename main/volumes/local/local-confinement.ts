// Keeps a local volume inside its root directory. Names were already stripped of '..', separators and
// drive letters; what remains is symbolic links: a path is resolved with realpath and accepted only
// when the result lies inside the root's own realpath. Links that stay inside may be followed.

import { realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { STATUS_ACCESS_DENIED } from '../../io/index.js';
import { VolumeError } from '../volume-error.js';

export class LocalConfinement {
  private readonly prefix: string;

  /** `realRoot` must itself be a realpath (no links in it). */
  constructor(readonly realRoot: string) {
    this.prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  }

  /** The host path of volume `components`, unresolved (for creating, renaming and removing entries). */
  hostPath(components: readonly string[]): string {
    return components.length === 0 ? this.realRoot : join(this.realRoot, ...components);
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
      throw new VolumeError(STATUS_ACCESS_DENIED, `'\\${components.join('\\')}' is a link leading outside the volume root ${this.realRoot}`);
    }
    return real;
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
