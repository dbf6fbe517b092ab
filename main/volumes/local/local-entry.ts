// Host file metadata (fs.Stats) seen as an NT entry: times rounded to whole milliseconds, the directory flag,
// ARCHIVE for files and READONLY when no write permission bit is set; `extra` adds attributes the stats
// cannot tell (the reparse point of a listed link). An entry that is neither file nor directory (a named
// pipe, socket or device: special-files.ts) is a reparse point of no size. A file's number of links is the
// host's; a directory has one, as on NTFS (the host counts its subdirectories' '..' entries as links).

import type { Stats } from 'node:fs';
import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_REPARSE_POINT } from '../../io/index.js';
import { clusterRound, type EntryInfo } from '../volume-backend.js';
import { isSpecialFile } from './special-files.js';

export function entryOfStats(name: string, stats: Stats, extra = 0): EntryInfo {
  const directory = stats.isDirectory();
  const special = isSpecialFile(stats);
  const size = directory || special ? 0 : stats.size;
  const readOnly = (stats.mode & 0o222) === 0 ? FILE_ATTRIBUTE_READONLY : 0;
  return {
    name,
    directory,
    size,
    allocationSize: clusterRound(size),
    // Not every host file system records a birth time; the change time is the closest stand-in.
    creationTime: Math.round(stats.birthtimeMs > 0 ? stats.birthtimeMs : stats.ctimeMs),
    lastAccessTime: Math.round(stats.atimeMs),
    lastWriteTime: Math.round(stats.mtimeMs),
    changeTime: Math.round(stats.ctimeMs),
    attributes: (directory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE) | (special ? FILE_ATTRIBUTE_REPARSE_POINT : 0) | readOnly | extra,
    links: directory ? 1 : stats.nlink,
  };
}
