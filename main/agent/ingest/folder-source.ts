// Opens a file of a protected folder for ingest to read, never a file outside it: a symbolic link at the
// name is refused (O_NOFOLLOW), and where the host names open descriptors (Linux: /proc/self/fd) the
// opened file must lie inside the folder, so that a directory on the way swapped for a link to elsewhere
// cannot make ingest copy an outside file's content into the folder (or hand it to the quarantine).

import { constants } from 'node:fs';
import { open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';

const O_NOFOLLOW = (constants.O_NOFOLLOW as number | undefined) ?? 0;

/** The file `relativePath` of the folder `root` opened read-only, or null when it is gone, a link, or outside. */
export async function openFolderSource(root: string, relativePath: string): Promise<FileHandle | null> {
  const source = await open(join(root, relativePath), constants.O_RDONLY | O_NOFOLLOW).catch(() => null);
  if (source === null || process.platform !== 'linux') return source;
  const [opened, folder] = await Promise.all([readlink(`/proc/self/fd/${source.fd}`), realpath(root)]).catch(() => ['', '']);
  if (folder !== '' && opened.startsWith(folder.endsWith(sep) ? folder : folder + sep)) return source;
  await source.close();
  return null;
}
